/**
 * The three-hop lab journey the benchmark drives, assembled from the world's public parts:
 *   1. the learner's client → the real sandbox (startSmtpListeners over TCP), which stores the
 *      raw message and enqueues it for bob@example.net in one SQLite transaction, then answers 250;
 *   2. the relay worker (outbound queue in the same database) → MX lookup in the lab zone, DKIM
 *      signing for example.com, SMTP through the one client driver to mx.example.net (the lab
 *      network's loopback listener, Postfix personality);
 *   3. that MX → SPF, DKIM and DMARC (mailauth with the lab resolver, p=reject enforced),
 *      Authentication-Results and Received prepended, the copy committed to bob's mailbox.
 * A journey ends when its copy is committed in the mailbox (step 3), before the MX's 250 and
 * its background parse. With `relay: false` only step 1 runs: single-hop ingest, the baseline.
 *
 * Unlike the live process, the sandbox's commit runs on the main thread (no capture worker or
 * group commit): the enqueue-in-the-capture wiring is built elsewhere; this is its equivalent
 * with the parts on main, and the baseline is measured the same way, so the ratio is fair.
 */
import { join } from 'node:path';
import { DEFAULT_HOSTS } from '../../protocol/world/default-world.ts';
import { startSmtpListeners } from '../../server/app/smtp-listeners.ts';
import type { CapturedMessage } from '../../server/sandbox/captured-message.ts';
import { MessageStore } from '../../server/storage/message-store.ts';
import { openDatabase } from '../../server/storage/open-database.ts';
import { loadTlsCredentials } from '../../server/tls/load-tls-credentials.ts';
import { dkimPublicKeys, type DkimKeys } from '../../server/world/dkim-keys.ts';
import { LabClock } from '../../server/world/lab-clock.ts';
import type { LabMailboxStore } from '../../server/world/lab-network/lab-delivery.ts';
import { startLabNetwork } from '../../server/world/lab-network/start-lab-network.ts';
import { inspectAtMx } from '../../server/world/mail-auth/inspect-at-mx.ts';
import { signOutbound } from '../../server/world/mail-auth/sign-outbound.ts';
import { OutboundQueue } from '../../server/world/outbound/outbound-queue.ts';
import { startRelayWorker } from '../../server/world/outbound/relay-worker.ts';
import { ZoneStore } from '../../server/world/zone-store.ts';
import { defaultWorld } from '../../protocol/world/default-world.ts';
import { testConfig } from '../server/app/app-config.ts';
import { epochNow, journeyIndex } from './journey-load.ts';

const NAMESPACE = 'default';

export interface JourneyPipelineOptions {
  readonly keys: DkimKeys;
  /** false: the submission hop alone (client → sandbox → stored), the single-hop baseline. */
  readonly relay: boolean;
  /** Outbound rows in flight at once (the relay worker's default when absent). */
  readonly relayConcurrency?: number;
}

export interface JourneyPipeline {
  readonly port: number;
  /** When each journey ended (epoch ms), by journey number; see the file comment. */
  readonly finished: ReadonlyMap<number, number>;
  /** How many delivered copies had each set of verdicts (see verdictsOf). */
  verdicts(): ReadonlyMap<string, number>;
  /** Messages stored in bob@example.net's mailbox, read back from SQLite. */
  mailboxCount(): number;
  /** Resolves once the delivered copies' background parses are done. */
  idle(): Promise<void>;
  /** Forgets the journeys seen so far (between runs). */
  reset(): void;
  close(): Promise<void>;
}

/** The verdicts in a delivered copy's Authentication-Results, e.g. "spf=pass dkim=pass dmarc=pass". */
export function verdictsOf(raw: Buffer): string {
  const header = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
  return ['spf', 'dkim', 'dmarc'].map((method) => `${method}=${new RegExp(`\\b${method}=(\\w+)`).exec(header)?.[1] ?? 'missing'}`).join(' ');
}

export async function startJourneyPipeline(options: JourneyPipelineOptions): Promise<JourneyPipeline> {
  const config = testConfig();
  const db = openDatabase(join(config.dataDir, 'smtp-lab.sqlite'));
  const store = new MessageStore(db, { maxMessages: config.maxStoredMessages });
  const queue = new OutboundQueue(db);
  const world = defaultWorld({ dkimPublicKeys: dkimPublicKeys(options.keys) });
  const zones = new ZoneStore(db, world.records);
  const clock = new LabClock();
  const finished = new Map<number, number>();
  const tally = new Map<string, number>();
  const errors: Error[] = [];
  const onError = (error: Error) => void errors.push(error);

  /** The MX's background parses, awaited before the database closes. */
  const parsing = new Set<Promise<unknown>>();
  const finish = (raw: Buffer, at: number) => {
    const index = journeyIndex(raw);
    if (index !== null) finished.set(index, at);
  };

  // Step 3's mailbox: the real store, watched for the journeys it commits.
  const mailboxes: LabMailboxStore = {
    storeRaw(entries) {
      const refs = store.storeRaw(entries);
      const at = epochNow();
      for (const entry of entries) {
        const verdicts = verdictsOf(entry.message.raw);
        tally.set(verdicts, (tally.get(verdicts) ?? 0) + 1);
        finish(entry.message.raw, at);
      }
      return refs;
    },
    parseStored(id) {
      const parse = store.parseStored(id);
      parsing.add(parse);
      void parse.finally(() => parsing.delete(parse)).catch(() => undefined);
      return parse;
    },
  };
  const lab = options.relay
    ? await startLabNetwork({
        hosts: DEFAULT_HOSTS,
        store: mailboxes,
        now: () => clock.now(),
        outsideNamespace: NAMESPACE,
        inspect: inspectAtMx({ zoneOf: (namespace) => zones.records(namespace), unreachable: world.unreachable }),
        onError,
      })
    : null;
  const relay = lab
    ? startRelayWorker({
        queue,
        clock,
        zoneOf: (namespace) => zones.records(namespace),
        unreachable: world.unreachable,
        connect: ({ fromIp, toHost, namespace }) => lab.connect({ fromIp, toHost, namespace }),
        sign: async (raw, domain) => (await signOutbound(raw, domain, options.keys)).raw,
        ...(options.relayConcurrency === undefined ? {} : { concurrency: options.relayConcurrency }),
        log: (line) => onError(new Error(line)),
      })
    : null;

  // Step 1: the sandbox's capture and the outbound row in one commit, then the 250.
  const capture = db.transaction((message: CapturedMessage) => {
    store.storeRaw([{ namespace: NAMESPACE, message }]);
    if (!relay) return;
    queue.enqueue(
      message.rcptTo.map((recipient) => ({
        namespace: NAMESPACE,
        queueId: message.queueId,
        mailFrom: message.mailFrom,
        recipient,
        clientHelo: message.clientHelo,
        clientAddress: message.remoteAddress,
        raw: message.raw,
        receivedAt: clock.now(),
      })),
    );
  });
  const tls = await loadTlsCredentials({ dataDir: config.dataDir, hostname: config.hostname, keyFile: null, certFile: null });
  const smtp = await startSmtpListeners({
    config,
    tls,
    onMessage: async (message) => {
      capture(message);
      if (relay) relay.wake();
      else finish(message.raw, epochNow());
    },
    onError,
  });
  const mailbox = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE mailbox = ?');

  return {
    port: smtp.smtp.port,
    finished,
    verdicts: () => new Map(tally),
    mailboxCount: () => (mailbox.get('bob@example.net') as { n: number }).n,
    async idle() {
      while (parsing.size > 0) await Promise.allSettled([...parsing]);
    },
    reset() {
      if (errors.length > 0) throw new Error(`the pipeline reported: ${errors.slice(0, 3).map((error) => error.message).join('; ')}`);
      finished.clear();
      tally.clear();
    },
    async close() {
      await smtp.close('benchmark finished');
      await relay?.stop();
      await lab?.close();
      await Promise.allSettled([...parsing]);
      db.close();
    },
  };
}
