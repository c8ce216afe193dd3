/**
 * The lab's accelerated clock: queue retries, expiry and Received dates run in lab time, so a
 * learner sees a 5-minute retry or a 5-day give-up without waiting for them. `speed` lab
 * milliseconds pass per real millisecond (default 60: one lab minute per real second).
 *
 * Across restarts lab time pauses while the process is down: the reading is saved in the
 * database (`lab_clock`, one row) every few real seconds and at stop, and the next start resumes from
 * it. So a day with the server off does not expire every queued message; after a SIGKILL the
 * clock resumes at most one save interval (times the speed) behind where it was. Several
 * processes on one PostgreSQL share one timeline: a process that starts while another is saving
 * joins it (see resumeAt), so their readings agree.
 */
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

/** Lab ms per real ms by default: one lab minute per real second. */
export const DEFAULT_LAB_CLOCK_SPEED = 60;
/** Timers at once: the relay worker needs one; a bound keeps a bug from piling them up. */
const MAX_TIMERS = 1000;
/** setTimeout's longest delay; longer waits are re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** How often the reading is saved (real ms). */
const SAVE_INTERVAL_MS = 5000;

export interface LabClockOptions {
  /** Lab ms per real ms (a positive number). */
  readonly speed?: number;
  /** The lab time now, when the clock starts (default: the real time). */
  readonly startAt?: number;
  /** The real clock, in ms; injected by tests. */
  readonly realNow?: () => number;
}

export type CancelTimer = () => void;

interface Timer {
  readonly at: number;
  readonly fire: () => void;
  handle: ReturnType<typeof setTimeout> | undefined;
}

export class LabClock {
  readonly speed: number;
  readonly #realNow: () => number;
  readonly #startReal: number;
  #startLab: number;
  readonly #timers = new Set<Timer>();

  constructor(options: LabClockOptions = {}) {
    this.speed = options.speed ?? DEFAULT_LAB_CLOCK_SPEED;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new RangeError(`the lab clock's speed must be a positive number, got ${this.speed}`);
    this.#realNow = options.realNow ?? Date.now;
    this.#startReal = this.#realNow();
    this.#startLab = options.startAt ?? this.#startReal;
  }

  /** Lab time in ms since the epoch. */
  now(): number {
    return Math.floor(this.#startLab + (this.#realNow() - this.#startReal) * this.speed);
  }

  /** Jumps lab time forward (a lesson's "skip ahead", a test); timers now due fire. */
  advance(labMs: number): void {
    if (!(labMs >= 0)) throw new RangeError(`the lab clock only moves forward, got ${labMs}`);
    this.#startLab += labMs;
    for (const timer of this.#timers) this.#arm(timer);
  }

  /** Calls `fire` once lab time reaches `at` (unref'd: it never keeps the process alive). */
  at(at: number, fire: () => void): CancelTimer {
    if (this.#timers.size >= MAX_TIMERS) throw new RangeError(`the lab clock holds at most ${MAX_TIMERS} timers`);
    const timer: Timer = { at, fire, handle: undefined };
    this.#timers.add(timer);
    this.#arm(timer);
    return () => this.#drop(timer);
  }

  /** Cancels every timer. */
  stop(): void {
    for (const timer of this.#timers) this.#drop(timer);
  }

  #arm(timer: Timer): void {
    clearTimeout(timer.handle);
    const realDelay = Math.max(0, Math.ceil((timer.at - this.now()) / this.speed));
    timer.handle = setTimeout(() => {
      if (this.now() < timer.at) return this.#arm(timer);
      this.#drop(timer);
      timer.fire();
    }, Math.min(realDelay, MAX_DELAY_MS));
    timer.handle.unref();
  }

  #drop(timer: Timer): void {
    clearTimeout(timer.handle);
    this.#timers.delete(timer);
  }
}

/** A reading saved this recently (real ms) says another process is running on the same database. */
const RUNNING_WITHIN_MS = 3 * SAVE_INTERVAL_MS;

/**
 * Where a starting clock begins. Alone (SQLite, one process per data directory; or every other
 * process gone), lab time paused while nobody ran: the saved reading. On a shared PostgreSQL
 * with another process saving, its timeline: the saved reading plus the real time since, so
 * every process reads the same lab time (greylisting and retries compare readings made by
 * different processes).
 */
function resumeAt(db: SqlDatabase, saved: { labMs: number; realMs: number | null }, speed: number, now: number): number {
  const elapsed = saved.realMs === null ? null : now - saved.realMs;
  const othersRunning = db.engine === 'postgres' && elapsed !== null && elapsed >= 0 && elapsed < RUNNING_WITHIN_MS;
  return othersRunning ? saved.labMs + Math.floor(elapsed * speed) : saved.labMs;
}

export interface PersistedLabClock {
  readonly clock: LabClock;
  /** Saves the reading and stops saving and every timer. */
  stop(): Promise<void>;
}

/** The clock of a data directory (or shared database): resumes from the saved reading and keeps saving it. */
export async function openLabClock(db: SqlDatabase, speed: number = DEFAULT_LAB_CLOCK_SPEED, realNow: () => number = Date.now): Promise<PersistedLabClock> {
  const saved = await db.get<{ labMs: number; realMs: number | null }>('SELECT lab_ms AS "labMs", real_ms AS "realMs" FROM lab_clock WHERE id = 1');
  const clock = new LabClock({ speed, realNow, ...(saved === undefined ? {} : { startAt: resumeAt(db, saved, speed, realNow()) }) });
  const save = () =>
    db.run('INSERT INTO lab_clock (id, lab_ms, real_ms) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET lab_ms = excluded.lab_ms, real_ms = excluded.real_ms', [
      clock.now(),
      realNow(),
    ]);
  await save();
  const saver = setInterval(() => {
    // Locked by a writer past the busy timeout (a capture burst), or the connection lost: the next save comes soon.
    save().catch(() => undefined);
  }, SAVE_INTERVAL_MS);
  saver.unref();
  return {
    clock,
    async stop() {
      clearInterval(saver);
      clock.stop();
      await save();
    },
  };
}
