/**
 * When the capture worker does its background work. Storing comes first; parsing (mailparser)
 * and the checkpoint of what it stored (copying the write-ahead log into the database file,
 * with an fsync) wait until mail stops pouring in. So a burst of mail is stored, and
 * answered, at the speed of SQLite appends, and the rest catches up right after it. Neither
 * waits without bound: a flood longer than `maxDeferMs` gets parsed while it lasts (storing
 * and parsing take turns), and a long one checkpointed every `checkpointAfter` messages.
 */
export interface BackgroundScheduleOptions {
  /** Mail counts as stopped once nothing arrived for this long (ms). */
  readonly quietMs: number;
  /** A stored message waits at most this long for its parse to begin (ms), unless others are ahead of it. */
  readonly maxDeferMs: number;
  /** Checkpoint anyway once this many messages were stored since the last checkpoint. */
  readonly checkpointAfter: number;
}

/**
 * maxDeferMs: every SMTP client waits for its message's commit (a 250 means stored), so a
 * parse taking turns with the commits during a flood adds its time to every waiting client's
 * reply; 5 s lets a burst of a few thousand messages be answered first and parsed right after.
 */
export const DEFAULT_BACKGROUND_SCHEDULE: BackgroundScheduleOptions = { quietMs: 20, maxDeferMs: 5000, checkpointAfter: 2000 };

export class BackgroundSchedule {
  readonly #options: BackgroundScheduleOptions;
  #lastArrivalAt = -Infinity;
  /** When the current backlog of unparsed messages began; null while there is none. */
  #backlogSince: number | null = null;
  #storedSinceCheckpoint = 0;

  constructor(options: BackgroundScheduleOptions = DEFAULT_BACKGROUND_SCHEDULE) {
    this.#options = options;
  }

  /** A message arrived at `now`, to be stored and then parsed. */
  arrived(now: number): void {
    this.#lastArrivalAt = now;
    this.#backlogSince ??= now;
  }

  /** `count` messages were written to the database. */
  stored(count: number): void {
    this.#storedSinceCheckpoint += count;
  }

  /** Every stored message is parsed. */
  caughtUp(): void {
    this.#backlogSince = null;
  }

  /** Milliseconds to wait before the next parse; 0: parse now. */
  waitBeforeParse(now: number): number {
    // No backlog known (e.g. messages left unparsed by the previous run): nothing to wait for.
    if (this.#backlogSince === null) return 0;
    const quiet = this.#lastArrivalAt + this.#options.quietMs - now;
    const overdue = this.#backlogSince + this.#options.maxDeferMs - now;
    return Math.max(0, Math.min(quiet, overdue));
  }

  /** Whether a checkpoint of stored messages should run now; if so, counting starts again. */
  checkpointDue(now: number): boolean {
    if (this.#storedSinceCheckpoint === 0) return false;
    const quiet = now - this.#lastArrivalAt >= this.#options.quietMs;
    if (!quiet && this.#storedSinceCheckpoint < this.#options.checkpointAfter) return false;
    this.#storedSinceCheckpoint = 0;
    return true;
  }
}
