/**
 * What the event bus tests share: each implementation opened the same way (the contract tests
 * run one body against both), a recorder of what a bus delivers, and a bounded wait.
 */
import { afterEach, beforeEach } from 'vitest';
import type { ClassEvent } from '../../../server/events/class-event.ts';
import type { EventBus } from '../../../server/events/event-bus.ts';
import { LocalEventBus } from '../../../server/events/local-event-bus.ts';
import { PostgresEventBus, type PostgresEventBusOptions } from '../../../server/events/postgres-event-bus.ts';
import type { SqlDatabase } from '../../../server/storage/sql/sql-database.ts';
import { freshDatabase, postgresAdminUrl } from '../../support/sql-engines.ts';

export interface BusOptions {
  readonly processId?: string;
  readonly onError?: (error: Error) => void;
  readonly reconnectDelayMs?: PostgresEventBusOptions['reconnectDelayMs'];
}

export interface BusKind {
  readonly name: 'local' | 'postgres';
  readonly unavailable: boolean;
  /** Opens a bus for this test; closed after it. */
  open(options?: BusOptions): Promise<EventBus>;
}

/** The PostgreSQL database of the current test (a fresh one each), for raw NOTIFY and pg_terminate_backend. */
export const postgres: { db: SqlDatabase | null; url: string | null } = { db: null, url: null };

const opened: EventBus[] = [];

export const BUS_KINDS: readonly BusKind[] = [
  {
    name: 'local',
    unavailable: false,
    open: async (options = {}) => track(new LocalEventBus(options)),
  },
  {
    name: 'postgres',
    unavailable: postgresAdminUrl() === null,
    open: async (options = {}) => {
      if (postgres.url === null) throw new Error('useFreshPostgres() was not called in this describe');
      return track(await PostgresEventBus.open({ url: postgres.url, ...options }));
    },
  },
];

function track(bus: EventBus): EventBus {
  opened.push(bus);
  return bus;
}

/** A fresh PostgreSQL database for each test of the describe (when `kind` needs one), and every bus closed after. */
export function useFreshDatabase(kind: BusKind): void {
  let drop: () => Promise<void> = async () => undefined;
  beforeEach(async () => {
    if (kind.name !== 'postgres') return;
    const fresh = await freshDatabase('postgres');
    postgres.db = fresh.db;
    postgres.url = fresh.url;
    drop = fresh.drop;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
    await drop();
    drop = async () => undefined;
    postgres.db = null;
    postgres.url = null;
  });
}

/** Every event a bus delivers, in order. */
export function record(bus: EventBus): ClassEvent[] {
  const events: ClassEvent[] = [];
  bus.subscribe((event) => void events.push(event));
  return events;
}

/** Waits until `done()` holds: checked every 10 ms, at most 10 s (then fails, naming `what`). */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Gave up waiting for ${what}`);
}

export const mail = (namespace: string, messageId: number): ClassEvent => ({ type: 'mail.delivered', namespace, messageId });
