/**
 * The lab clock of simulated mode: lab time runs `speed` times faster than real time (the
 * server's default, one lab minute per real second), from the moment the page made it. It
 * lives only as long as the page: nothing is saved, so a reload starts it again.
 */

/** Cancels a timer set with `at`. */
export type CancelTimer = () => void;

export interface PageLabClock {
  /** Lab ms. */
  now(): number;
  /** Runs `fire` once the lab clock reads `labMs` (at once, on a later task, if it already does). */
  at(labMs: number, fire: () => void): CancelTimer;
}

/** The server's --lab-clock-speed default: 60 lab ms per real ms. */
export const DEFAULT_LAB_CLOCK_SPEED = 60;

export interface PageLabClockOptions {
  readonly speed?: number;
  /** Real ms (Date.now by default). */
  readonly realNow?: () => number;
}

export function createPageLabClock(options: PageLabClockOptions = {}): PageLabClock {
  const speed = options.speed ?? DEFAULT_LAB_CLOCK_SPEED;
  const realNow = options.realNow ?? (() => Date.now());
  const realStart = realNow();
  const now = () => realStart + (realNow() - realStart) * speed;
  return {
    now,
    at(labMs, fire) {
      const timer = setTimeout(fire, Math.max(0, (labMs - now()) / speed));
      return () => clearTimeout(timer);
    },
  };
}
