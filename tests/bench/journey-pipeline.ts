/**
 * The lab journey the benchmark drives, on the live process's own wiring: startApp in this
 * process, as `smtp-lab serve` runs it (capture worker with group commit, outbound queue,
 * relay worker, lab network, mailauth). A message sent to the sandbox's SMTP port goes
 *   1. client → sandbox: the capture and its outbound row committed in one transaction (the
 *      capture worker's SQLite connection), then the 250;
 *   2. relay worker → MX lookup in the lab zone, the sandbox's Received line, DKIM signing for
 *      example.com, SMTP through the one client driver to mx.example.net's loopback listener;
 *   3. mx.example.net (Postfix personality) → SPF, DKIM and DMARC with mailauth (p=reject
 *      enforced), Authentication-Results and Received prepended, committed to bob's mailbox.
 * A journey ends when a poll of the database (a read-only connection, every 2 ms) first sees
 * bob's copy; a single-hop message ends when it first sees the capture. The poll is the only
 * part the live process does not have; both kinds of message are timed by it alike.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type RunningApp } from '../../server/app/start-app.ts';
import { testConfig } from '../server/app/app-config.ts';
import { epochNow, JOURNEY_RECIPIENT, journeyIndex } from './journey-load.ts';

/**
 * Where the app's data lives: tmpfs when the machine has one. On the shared disk the capture
 * worker's fsync holds SQLite's write lock long enough that the main thread's writes (the
 * relay's bookkeeping, the MX's mailbox copy) hit their 250 ms busy timeout: a 451 and a
 * retry, or a row left in flight until its lease ends. The ingest bench measures the fsync.
 */
export const DATA_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
/** Copies kept: far more than a run stores, so no copy is evicted before the poll sees it. */
const MAX_STORED = '1000000';
const POLL_MS = 2;
/** Rows read per poll: a bounded read, the rest at the next poll. */
const POLL_BATCH = 500;

export interface JourneyAppOptions {
  /** --relay-concurrency (the setting's default when absent). */
  readonly relayConcurrency?: number;
  /** StartAppOptions.mailAuthPreload (the pipeline test guards the mail-auth worker with it). */
  readonly mailAuthPreload?: readonly string[];
}

export type Arrival = 'mailbox' | 'capture';

export interface JourneyApp {
  readonly port: number;
  /** When each numbered message was first seen where `arrival` says (epoch ms), by number. */
  arrived(arrival: Arrival): ReadonlyMap<number, number>;
  /** How many of bob's copies had each set of verdicts (see verdictsOf). */
  verdicts(): ReadonlyMap<string, number>;
  /** Forgets what was seen so far (between runs); throws if the app reported trouble. */
  reset(): void;
  close(): Promise<void>;
}

/** The verdicts in a delivered copy's Authentication-Results, e.g. "spf=pass dkim=pass dmarc=pass". */
export function verdictsOf(raw: Buffer): string {
  const header = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
  return ['spf', 'dkim', 'dmarc'].map((method) => `${method}=${new RegExp(`\\b${method}=(\\w+)`).exec(header)?.[1] ?? 'missing'}`).join(' ');
}

export async function startJourneyApp(options: JourneyAppOptions = {}): Promise<JourneyApp> {
  const problems: string[] = [];
  const config = testConfig({
    'data-dir': mkdtempSync(join(DATA_ROOT, 'smtp-lab-journey-')),
    'max-stored-messages': MAX_STORED,
    ...(options.relayConcurrency === undefined ? {} : { 'relay-concurrency': String(options.relayConcurrency) }),
  });
  // The start's one-line notes (the lab network's ports) are not trouble; anything else is.
  const app: RunningApp = await startApp(config, {
    log: (line) => void (line.startsWith('lab network: ') || problems.push(line)),
    ...(options.mailAuthPreload ? { mailAuthPreload: options.mailAuthPreload } : {}),
  });
  const reader = new BetterSqlite3(app.databaseFile!, { readonly: true });
  const newRows = reader.prepare('SELECT id, mailbox, raw FROM messages WHERE id > ? ORDER BY id LIMIT ?');
  const seen: Record<Arrival, Map<number, number>> = { mailbox: new Map(), capture: new Map() };
  const tally = new Map<string, number>();
  let lastId = 0;
  let polling = true;

  const poll = () => {
    const rows = newRows.all(lastId, POLL_BATCH) as { id: number; mailbox: string | null; raw: Buffer }[];
    const at = epochNow();
    for (const row of rows) {
      lastId = row.id;
      const index = journeyIndex(row.raw);
      if (index === null) continue;
      if (row.mailbox === null) seen.capture.set(index, at);
      else if (row.mailbox === JOURNEY_RECIPIENT) {
        seen.mailbox.set(index, at);
        const verdicts = verdictsOf(row.raw);
        tally.set(verdicts, (tally.get(verdicts) ?? 0) + 1);
      }
    }
  };
  const poller = (async () => {
    while (polling) {
      poll();
      await sleep(POLL_MS);
    }
  })();

  return {
    port: app.ports.smtp,
    arrived: (arrival) => seen[arrival],
    verdicts: () => new Map(tally),
    reset() {
      if (problems.length > 0) throw new Error(`the app reported: ${problems.slice(0, 3).join('; ')}`);
      seen.mailbox.clear();
      seen.capture.clear();
      tally.clear();
    },
    async close() {
      polling = false;
      await poller;
      reader.close();
      await app.close('benchmark finished');
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
