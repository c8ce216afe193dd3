/**
 * How class events reach every process: one bus per process, one implementation per engine
 * (LocalEventBus for the SQLite default, a single process; PostgresEventBus over LISTEN/NOTIFY
 * for several). Every subscriber of every process, the publisher's own included, receives each
 * event once, in publishing order for one publisher. Events are notices of what the tables
 * already hold: a subscriber that missed some (onResync) reloads from the tables.
 */
import type { ClassEvent } from './class-event.ts';

export type EventHandler = (event: ClassEvent) => void | Promise<void>;

export interface EventBus {
  /** Names this process in presence events and, on PostgreSQL, its listening connection. */
  readonly processId: string;
  /**
   * Sends the event to every process. Resolves once it is on its way (on PostgreSQL, once
   * NOTIFY ran); rejects when it cannot go (EventRefusedError, or the connection is down):
   * the state the caller committed stays, only the event is lost.
   */
  publish(event: ClassEvent): Promise<void>;
  /** Calls `handler` for every event, asynchronously; a handler that throws does not stop the others. */
  subscribe(handler: EventHandler): () => void;
  /**
   * Calls `handler` after a lost connection is back: events in the gap are gone, so
   * subscribers read the tables again (and send their own presence again).
   */
  onResync(handler: () => void | Promise<void>): () => void;
  /**
   * The processes whose buses are connected now (this one included), to forget the presence
   * a dead process left behind. Rejects while this bus is offline.
   */
  processes(): Promise<readonly string[]>;
  close(): Promise<void>;
}
