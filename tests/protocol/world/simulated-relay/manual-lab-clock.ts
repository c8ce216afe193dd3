/** A lab clock the test moves by hand: timers fire only when `advance` passes them (no real waiting). */
import type { PageLabClock } from '../../../../protocol/world/simulated-relay/page-lab-clock.ts';

export interface ManualLabClock extends PageLabClock {
  /** Moves lab time forward and fires the timers now due, in order. */
  advance(ms: number): void;
}

export function manualLabClock(start = Date.UTC(2026, 11, 7, 13, 0, 0)): ManualLabClock {
  let now = start;
  let timers: { at: number; fire: () => void }[] = [];
  const fireDue = () => {
    const due = timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at);
    timers = timers.filter((timer) => timer.at > now);
    // On a later task, as a real timer would.
    for (const timer of due) setTimeout(timer.fire, 0);
  };
  return {
    now: () => now,
    at(labMs, fire) {
      const timer = { at: labMs, fire };
      timers.push(timer);
      fireDue();
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
    advance(ms) {
      now += ms;
      fireDue();
    },
  };
}

/** Lets the page's simulated servers talk until `done` holds; bounded in turns, never in time. */
export async function until(done: () => boolean, turns = 5_000): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`not done after ${turns} turns`);
}
