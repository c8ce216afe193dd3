/**
 * The event bus of a single process (the SQLite default): events go from publish to the
 * subscribers in memory, through the same encoding as on PostgreSQL, so an event that could
 * not travel between processes is refused (or shortened) here too.
 */
import { randomUUID } from 'node:crypto';
import type { ClassEvent } from './class-event.ts';
import type { EventBus, EventHandler } from './event-bus.ts';
import { encodeEvent } from './event-payload.ts';
import { HandlerSet } from './handler-set.ts';

export interface LocalEventBusOptions {
  readonly processId?: string;
  /** Where a subscriber's failure is reported. */
  readonly onError?: (error: Error) => void;
}

export class LocalEventBus implements EventBus {
  readonly processId: string;
  readonly #events: HandlerSet<[ClassEvent]>;
  #closed = false;

  constructor(options: LocalEventBusOptions = {}) {
    this.processId = options.processId ?? randomUUID();
    this.#events = new HandlerSet(options.onError ?? (() => undefined));
  }

  async publish(event: ClassEvent): Promise<void> {
    if (this.#closed) throw new Error('The event bus is closed');
    // What arrives is what was sent, as on PostgreSQL: checked, shortened, a copy.
    this.#events.call(JSON.parse(encodeEvent(event)) as ClassEvent);
  }

  subscribe(handler: EventHandler): () => void {
    return this.#events.add(handler);
  }

  /** Nothing to resync from: within one process no event is ever lost. */
  onResync(): () => void {
    return () => undefined;
  }

  async processes(): Promise<readonly string[]> {
    return this.#closed ? [] : [this.processId];
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#events.clear();
  }
}
