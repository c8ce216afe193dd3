/**
 * The relay worker: takes due rows from the outbound queue, finds the next hop in the
 * namespace's lab zone (RFC 5321 §5.1 through protocol/world's routeMail, every lookup
 * recorded), and speaks SMTP to each host in order until one takes the message. A refused
 * connection or a 4xx moves on to the next MX; when all fail the row waits for its next
 * retry in lab time; a 5xx (or the null MX, or a domain that takes no mail) bounces it, and
 * a DSN goes back to the envelope sender (never to the null sender).
 *
 * Its ports to the rest of the world are injected: `connect` (the lab network picks the
 * listener behind a lab host), `sign` (DKIM at the sending domain), `bounces` (the DSN
 * builder in protocol/mail and local delivery of the report).
 */
import type net from 'node:net';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { createLabResolver, type DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import { routeMail, routeWithoutSelf, type RandomSource } from '../../../protocol/world/mx-route.ts';
import { domainOf } from '../../../protocol/world/outbound-plan.ts';
import { failureDiagnostic, failureStatus } from '../../../protocol/mail/dsn/failure-dsn.ts';
import { isBusy } from '../../storage/sqlite-errors.ts';
import type { LabClock, CancelTimer } from '../lab-clock.ts';
import type { OutboundQueue, OutboundRow } from './outbound-queue.ts';
import type { HopTry } from '../../../protocol/world/attempt-hops.ts';
import { converse } from './relay-conversation.ts';
import { sandboxReceivedHeader } from '../../../protocol/world/received-header.ts';
import { hasReceivedBy, receivedCount } from './sandbox-received.ts';

/** Opens a TCP connection to a lab host, as seen from `fromIp` (the lab network's job). */
export type LabConnect = (target: {
  readonly fromIp: string;
  readonly toHost: string;
  readonly toIp: string;
  readonly namespace: string;
  /** The queue row this hop carries: the receiver links what it delivers to the row's journey. */
  readonly outboundId: number;
}) => Promise<net.Socket>;

/** Signs `raw` as `domain` (DKIM); returns the signed message. */
export type SignMessage = (raw: Buffer, domain: string) => Promise<Buffer>;

/** What a DSN says about one failed recipient (RFC 3464 §2.3). */
export interface DsnRequest {
  readonly reportingMta: string;
  readonly originalSender: string;
  readonly finalRecipient: string;
  readonly action: 'failed';
  /** RFC 3463 status, e.g. 5.1.1, 5.1.10, 4.4.7 (expired). */
  readonly status: string;
  readonly remoteMta: string | null;
  readonly diagnosticCode: string | null;
  /** Lab time. */
  readonly arrivalDate: Date;
  readonly date: Date;
  /** The message that failed; the report quotes its header. */
  readonly original: Buffer;
}

/** A lab host's name (its EHLO) and lab address. */
export interface HostAddress {
  readonly name: string;
  readonly ip: string;
}

export interface Bounces {
  /** Builds the RFC 3464 report (protocol/mail/dsn). */
  build(request: DsnRequest): Buffer;
  /**
   * Puts the report in the envelope sender's lab mailbox in `namespace`, sent by the host whose
   * row failed: `from` is a forwarder or list host, null for the sandbox.
   */
  deliver(namespace: string, recipient: string, dsn: Buffer, from: HostAddress | null): Promise<void>;
}

export interface RelayWorkerOptions {
  readonly queue: OutboundQueue;
  readonly clock: LabClock;
  readonly zoneOf: (namespace: string) => Promise<readonly DnsRecord[]>;
  readonly connect: LabConnect;
  readonly unreachable?: readonly string[];
  readonly sign?: SignMessage;
  readonly bounces?: Bounces;
  readonly random?: RandomSource;
  /** The sandbox's name in EHLO and its Received line, and its lab address. */
  readonly hostname?: string;
  readonly ip?: string;
  /** Rows in flight at once. */
  readonly concurrency?: number;
  readonly replyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** What one attempt recorded, stored per attempt for the journey API. */
export interface HopRecord {
  readonly lookups: readonly (DnsLookup & { readonly at: number })[];
  readonly tries: readonly HopTry[];
  readonly outcome: 'delivered' | 'retry' | 'bounced' | 'expired';
  readonly reply: string;
}

export const SANDBOX_HOSTNAME = 'mail.example.com';
export const SANDBOX_IP = '192.0.2.10';
/** A lease longer than any attempt: every host's replies time out well before it. */
const LEASE_MS = 5 * 60_000;
/** What --relay-concurrency defaults to (npm run bench measures 4 to 32). */
const DEFAULT_CONCURRENCY = 16;
/** Real ms before the queue is read again after the database stayed locked (a capture's fsync is shorter). */
const BUSY_RETRY_MS = 100;
/** How often an attempt's outcome is written again while the database stays locked (30 s in all). */
const OUTCOME_WRITE_TRIES = 300;
/** RFC 5321 §6.3: a message with this many Received fields is taken for a mail loop and bounced. */
export const MAX_RECEIVED_FIELDS = 100;

export interface RelayWorker {
  /** Looks for due rows now (after an enqueue). */
  wake(): void;
  /** Stops claiming; waits for the attempts in flight. */
  stop(): Promise<void>;
}

export function startRelayWorker(options: RelayWorkerOptions): RelayWorker {
  const { queue, clock } = options;
  const hostname = options.hostname ?? SANDBOX_HOSTNAME;
  const ip = options.ip ?? SANDBOX_IP;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const log = options.log ?? (() => undefined);
  const active = new Set<Promise<void>>();
  let stopped = false;
  let scheduled = false;
  let cancelTimer: CancelTimer | null = null;
  let busyRetry: ReturnType<typeof setTimeout> | undefined;
  /** The claim under way (one at a time: a second would count the free slots twice); stop() waits for it. */
  let cycle: Promise<void> | null = null;
  let wokenMeanwhile = false;

  const released = queue.releaseAbandoned().then(
    () => undefined,
    (error: unknown) => log(`relay: rows left in flight could not be put back: ${error instanceof Error ? error.message : String(error)}`),
  );

  const wake = () => {
    if (stopped || scheduled) return;
    scheduled = true;
    setImmediate(run);
  };

  function run(): void {
    scheduled = false;
    if (stopped) return;
    if (cycle !== null) {
      wokenMeanwhile = true;
      return;
    }
    cycle = released
      .then(claimAndSchedule)
      .catch((error: unknown) => {
        // The database is locked by a writer past the busy timeout (a capture burst), or out of reach: look again shortly.
        log(`relay: the queue could not be read (${error instanceof Error ? error.message : String(error)}); trying again in ${BUSY_RETRY_MS} ms`);
        clearTimeout(busyRetry);
        busyRetry = setTimeout(wake, BUSY_RETRY_MS);
        busyRetry.unref();
      })
      .finally(() => {
        cycle = null;
        if (wokenMeanwhile) {
          wokenMeanwhile = false;
          wake();
        }
      });
  }

  async function claimAndSchedule(): Promise<void> {
    const free = concurrency - active.size;
    if (free > 0) {
      for (const row of await queue.claim(clock.now(), Date.now() + LEASE_MS, Date.now(), free)) {
        const work = attempt(row)
          .catch((error: unknown) => {
            // A bug, not a reply: the row goes back to the queue at its lease's end.
            log(`relay: row ${row.id}: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => {
            active.delete(work);
            wake();
          });
        active.add(work);
      }
    }
    if (options.bounces !== undefined && active.size === 0 && !sending) reports = sendDsns(options.bounces);
    const next = await queue.nextAttemptAt();
    cancelTimer?.();
    cancelTimer = next === null || stopped ? null : clock.at(next, wake);
  }

  async function attempt(row: OutboundRow): Promise<void> {
    const startedAt = clock.now();
    const lookups: (DnsLookup & { at: number })[] = [];
    const resolver = createLabResolver(await options.zoneOf(row.namespace), {
      onLookup: (lookup) => lookups.push({ ...lookup, at: clock.now() }),
      ...(options.unreachable ? { unreachable: options.unreachable } : {}),
    });
    const domain = domainOf(row.recipient);
    const route = await routeMail(domain, resolver, options.random ?? Math.random);
    const tries: HopTry[] = [];
    // The hop and the row's new state in one commit each time: a journey never shows a hop its row has not taken.
    const finish = (outcome: 'delivered' | 'bounced', reply: string, host: string | null) =>
      persistently(() =>
        queue.atomically(async (writes) => {
          await writes.recordHop(row.id, row.attempts, startedAt, { lookups, tries, outcome, reply } satisfies HopRecord);
          if (outcome === 'delivered') await writes.delivered(row.id, reply, host ?? '');
          else await writes.bounced(row, reply, host);
        }),
      );
    const defer = (reply: string, host: string | null) =>
      persistently(() =>
        queue.atomically(async (writes) => {
          const result = await writes.deferred(row, reply, host, clock.now());
          await writes.recordHop(row.id, row.attempts, startedAt, { lookups, tries, outcome: result, reply } satisfies HopRecord);
        }),
      );

    switch (route.kind) {
      case 'null-mx':
        return finish('bounced', `${route.reply.code} ${route.reply.enhanced} ${route.reply.text} (RFC 7505: ${domain} takes no mail)`, null);
      case 'no-such-domain':
      case 'no-mail-host':
        return finish('bounced', `550 5.1.2 ${route.message}`, null);
      case 'dns-failure':
        return defer(`451 4.4.3 ${route.message}`, null);
      case 'hosts':
        break;
    }
    const hops = routeWithoutSelf(route.hosts, hostname, ip);
    if (hops.length === 0) {
      return finish('bounced', `554 5.4.6 mail for ${domain} loops back to myself: its best MX is ${hostname} [${ip}], the sandbox itself`, null);
    }
    const received = receivedCount(row.raw);
    if (received >= MAX_RECEIVED_FIELDS) {
      return finish('bounced', `554 5.4.6 Too many hops: the message has ${received} Received header fields, a mail loop (RFC 5321 §6.3)`, null);
    }
    let message: Buffer;
    try {
      message = await outgoing(row, domainOf(row.mailFrom));
    } catch (error) {
      // Signing could not run (its worker busy or stopped): nothing was sent, so the queue tries again.
      return defer(`451 4.3.0 not sent: ${error instanceof Error ? error.message : String(error)}`, null);
    }
    // A forwarder's row leaves from the forwarder: its lab IP is what the receiver's SPF sees.
    const sender = row.sendingHost ?? { name: hostname, ip };
    let last = { reply: '', host: null as string | null };
    for (const hop of hops) {
      const toIp = hop.addresses[0] ?? '';
      let socket: net.Socket;
      try {
        socket = await options.connect({ fromIp: sender.ip, toHost: hop.host, toIp, namespace: row.namespace, outboundId: row.id });
      } catch (error) {
        const reply = `cannot connect to ${hop.host} [${toIp}]: ${error instanceof Error ? error.message : String(error)}`;
        tries.push({ host: hop.host, ip: toIp, transcript: [], outcome: { kind: 'no-connection', reply } });
        last = { reply, host: hop.host };
        continue;
      }
      const conversation = await converse({
        socket,
        host: hop.host,
        helo: sender.name,
        mailFrom: row.mailFrom,
        recipient: row.recipient,
        message,
        labNow: () => clock.now(),
        ...(options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs }),
      });
      tries.push({ host: hop.host, ip: toIp, transcript: conversation.transcript, outcome: conversation.outcome });
      const { outcome } = conversation;
      if (outcome.kind === 'delivered') return finish('delivered', outcome.reply, hop.host);
      if (outcome.kind === 'permanent') return finish('bounced', outcome.reply, hop.host);
      // RFC 5321 §5.1: a 4xx or a lost connection sends the client on to the next MX.
      last = { reply: outcome.reply, host: hop.host };
    }
    await defer(last.reply, last.host);
  }

  /**
   * Writes an attempt's outcome, waiting out a lock (a capture's fsync holds SQLite's write lock
   * past this connection's short busy timeout): a row left in flight would be sent again when its
   * lease ends, so a delivered message would arrive twice.
   */
  async function persistently<T>(write: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await write();
      } catch (error) {
        if (!isBusy(error) || tries >= OUTCOME_WRITE_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      }
    }
  }

  /**
   * The message as it leaves: the sandbox's Received line on top, then the sender domain's DKIM
   * signature. A forwarder's row leaves as the forwarder took it (its own Received line is on
   * top already; a .forward does not re-sign, so the original signature is what survives).
   */
  async function outgoing(row: OutboundRow, senderDomain: string): Promise<Buffer> {
    if (row.sendingHost !== null) return row.raw;
    const received = hasReceivedBy(row.raw, hostname)
      ? row.raw
      : Buffer.concat([
          Buffer.from(sandboxReceivedHeader({ helo: row.clientHelo, clientAddress: row.clientAddress, serverHostname: hostname, queueId: row.queueId, recipient: row.recipient, at: row.receivedAt })),
          row.raw,
        ]);
    return options.sign && senderDomain !== '' ? options.sign(received, senderDomain) : received;
  }

  let sending = false;
  /** The DSN round under way, which stop() waits for too (it writes to the database). */
  let reports: Promise<void> = Promise.resolve();
  async function sendDsns(bounces: Bounces): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      for (const row of await queue.dsnsDue()) {
        if (stopped) return;
        // Another process on the same database may have taken it first.
        if (!(await queue.claimDsn(row.id))) continue;
        // A forwarder's row failed at the forwarder: it is the reporting MTA (RFC 3464 §2.2.2).
        const dsn = bounces.build(dsnRequest(row, row.sendingHost?.name ?? hostname, clock.now()));
        await bounces
          .deliver(row.namespace, row.mailFrom, dsn, row.sendingHost === null ? null : { name: row.sendingHost.name, ip: row.sendingHost.ip })
          .catch(async (error: unknown) => {
            await queue.dsnUnsent(row.id);
            throw error;
          });
      }
    } catch (error) {
      log(`relay: a DSN could not be delivered: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      sending = false;
    }
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      cancelTimer?.();
      clearTimeout(busyRetry);
      // A claim under way starts its attempts; they finish like the others.
      await cycle;
      await Promise.all([...active, reports]);
    },
  };
}

/** The DSN's fields for a bounced or expired row. */
export function dsnRequest(row: OutboundRow, reportingMta: string, labNow: number): DsnRequest {
  const reply = row.lastReply ?? '';
  const expired = row.state === 'expired';
  return {
    reportingMta,
    originalSender: row.mailFrom,
    finalRecipient: row.recipient,
    action: 'failed',
    status: failureStatus(reply, expired),
    ...failureDiagnostic(reply, row.lastHost),
    arrivalDate: new Date(row.receivedAt),
    date: new Date(labNow),
    original: row.raw,
  };
}
