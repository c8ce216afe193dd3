/**
 * Backpressure for message capture: counts the messages handed to the capture worker and not
 * yet stored, and tells the SMTP side when to hold its reply. A client waiting for its reply
 * to the end of the data sends nothing more on that connection, so mail cannot pile up in
 * memory faster than it is stored.
 */
export interface InFlightLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

export class InFlightLimit {
  readonly #limits: InFlightLimits;
  #messages = 0;
  #bytes = 0;
  #waiting: (() => void)[] = [];

  constructor(limits: InFlightLimits) {
    this.#limits = limits;
  }

  /** Messages and bytes in flight right now. */
  get messages(): number {
    return this.#messages;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** One more message of `bytes` is on its way to storage. */
  add(bytes: number): void {
    this.#messages += 1;
    this.#bytes += bytes;
  }

  /** A message of `bytes` was stored (or will never be). */
  release(bytes: number): void {
    this.#messages = Math.max(0, this.#messages - 1);
    this.#bytes = Math.max(0, this.#bytes - bytes);
    if (this.#isFull()) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resume of waiting) resume();
  }

  /** Null when there is room (the usual case, no promise made), else resolves once there is. */
  room(): Promise<void> | null {
    if (!this.#isFull()) return null;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Lets every waiter go, room or not (the capture is shutting down or gave up). */
  releaseAll(): void {
    this.#messages = 0;
    this.#bytes = 0;
    this.release(0);
  }

  #isFull(): boolean {
    return this.#messages >= this.#limits.maxMessages || this.#bytes >= this.#limits.maxBytes;
  }
}
