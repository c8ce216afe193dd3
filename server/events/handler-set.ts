/**
 * The subscribers of one bus: each call runs later (a queued microtask, so publish never runs
 * a handler inside its caller), in the order the calls were made, each on its own: one that
 * throws or rejects is reported and the others still run. One unsubscribed is not called again.
 */
export class HandlerSet<Args extends unknown[]> {
  readonly #handlers = new Set<(...args: Args) => void | Promise<void>>();
  readonly #onError: (error: Error) => void;

  constructor(onError: (error: Error) => void) {
    this.#onError = onError;
  }

  add(handler: (...args: Args) => void | Promise<void>): () => void {
    // A wrapper per subscription: the same function subscribed twice is called twice and removed once.
    const entry = (...args: Args) => handler(...args);
    this.#handlers.add(entry);
    return () => void this.#handlers.delete(entry);
  }

  /** Calls every handler subscribed now, soon. */
  call(...args: Args): void {
    for (const handler of [...this.#handlers]) {
      queueMicrotask(() => {
        // Unsubscribed in the meantime: not called any more.
        if (!this.#handlers.has(handler)) return;
        try {
          const result = handler(...args);
          if (result instanceof Promise) result.catch((error: unknown) => this.#onError(asError(error)));
        } catch (error) {
          this.#onError(asError(error));
        }
      });
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
