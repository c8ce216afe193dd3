/**
 * The lab internet's relay in simulated mode (no server): what the server's outbound queue
 * and relay worker do, in the page. Mail the simulated sandbox accepts for another lab domain
 * is planned as the server plans it (planOutbound), then each recipient's row resolves MX in
 * the learner's simulated zone (routeMail: priority, ties shuffled, implicit MX, null MX),
 * talks SMTP to a simulated MX of the host's personality through the one client driver, and
 * ends delivered (a copy in the recipient's mailbox, with each hop's Received header), retried
 * on the page's lab clock after a 4xx (the server's retry schedule), or bounced with an
 * RFC 3464 DSN to the envelope sender's lab mailbox (never for the null sender).
 *
 * Held in memory and bounded: at most `maxWaiting` rows wait at once (more are not relayed,
 * and say so), and the oldest finished journeys are forgotten past MAX_KEPT. Nothing survives
 * a reload. SPF, DKIM and DMARC need mailauth (Node): messages are not signed or checked here.
 */
import { buildDsn } from '../../mail/dsn/build-dsn.ts';
import { failureDiagnostic, failureDsnInput, failureStatus } from '../../mail/dsn/failure-dsn.ts';
import { shouldBounce } from '../../mail/dsn/should-bounce.ts';
import type { SimulatedMessage } from '../../simulator/index.ts';
import { DEFAULT_HOSTS, LAB_USERS, type LabHost } from '../default-world.ts';
import type { DnsRecord } from '../dns-record.ts';
import { defaultSwitches, switchesOf, type HostSwitches } from '../host-settings.ts';
import type { Journey, JourneyHop } from '../journey.ts';
import { createLabResolver, type DnsLookup } from '../lab-resolver.ts';
import { routeMail, routeWithoutSelf, type RandomSource } from '../mx-route.ts';
import { forwardedMail, forwardingHost, forwards } from '../lab-forwarding.ts';
import { domainOf, planOutbound } from '../outbound-plan.ts';
import { sandboxReceivedHeader } from '../received-header.ts';
import { DEFAULT_QUEUE_LIFETIME_MS, retryDelay } from '../retry-schedule.ts';
import { attemptHops, type HopTry } from '../attempt-hops.ts';
import { converse, dotStuffed } from '../hop-conversation.ts';
import type { CancelTimer, PageLabClock } from './page-lab-clock.ts';
import { SimulatedMx, type AcceptedCopy } from './simulated-mx.ts';

/** The learner's simulated world, read at every attempt (an edit applies to the next one). */
export interface SimulatedWorld {
  readonly records: readonly DnsRecord[];
  readonly hosts: readonly HostSwitches[];
  /** Names whose DNS does not answer (the default world's dns-down.example). */
  readonly unreachable?: readonly string[];
}

/** A message that reached a lab mailbox in the page: a delivered copy or a DSN. */
export interface DeliveredMail {
  /** Its journey's id (`journey(id)`). */
  readonly id: number;
  readonly mailbox: string;
  /** "" for a DSN (sent with the null reverse-path). */
  readonly mailFrom: string;
  readonly raw: string;
  /** Lab ms. */
  readonly labTime: number;
}

/** A row waiting in the page's queue (GET /api/world/queue's counterpart). */
export interface WaitingRow {
  readonly id: number;
  readonly recipient: string;
  readonly attempts: number;
  /** Lab ms. */
  readonly nextAttemptAt: number;
  readonly lastReply: string | null;
}

export interface SimulatedRelayOptions {
  readonly world: () => SimulatedWorld;
  readonly clock: PageLabClock;
  readonly onDelivered: (mail: DeliveredMail) => void;
  /** Something changed (a row moved, a journey grew): an open view may read again. */
  readonly onChange?: () => void;
  readonly hosts?: readonly LabHost[];
  readonly random?: RandomSource;
  readonly maxWaiting?: number;
  /** Lab ms a row may wait before it expires (the server's --queue-lifetime default). */
  readonly lifetimeMs?: number;
}

/** Rows that may wait at once in the page. */
const MAX_WAITING = 50;
/** Journeys (submissions, copies, rows) kept; the oldest go first. */
const MAX_KEPT = 500;

type RowState = Journey['outbound'][number]['state'];

interface Submission {
  readonly id: number;
  readonly recipients: readonly string[];
  readonly helo: string;
  readonly address: string;
  readonly receivedAt: number;
  readonly rowIds: number[];
}

interface Row {
  readonly id: number;
  readonly submissionId: number;
  readonly mailFrom: string;
  readonly recipient: string;
  /** The message as it leaves (the sandbox's or the forwarder's Received line on top). */
  readonly raw: string;
  readonly receivedAt: number;
  /** A forwarder's row leaves from the forwarder; null: from the sandbox. */
  readonly sendingHost: { readonly name: string; readonly ip: string } | null;
  readonly forwardedFrom: number | null;
  state: RowState;
  attempts: number;
  nextAttemptAt: number;
  lastReply: string | null;
  lastHost: string | null;
  dsn: 'none' | 'due' | 'sent';
  readonly hops: JourneyHop[];
}

/** A copy in a lab mailbox: delivered by an MX through `rowId`, or written by the sandbox (a DSN). */
interface Copy {
  readonly id: number;
  readonly mailbox: string;
  readonly rowId: number | null;
  readonly host: LabHost | null;
  readonly labTime: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SimulatedRelay {
  readonly #options: SimulatedRelayOptions;
  readonly #hosts: ReadonlyMap<string, LabHost>;
  readonly #sandbox: LabHost;
  readonly #mxs = new Map<string, SimulatedMx>();
  readonly #submissions = new Map<number, Submission>();
  readonly #rows = new Map<number, Row>();
  readonly #copies = new Map<number, Copy>();
  readonly #timers = new Map<number, CancelTimer>();
  #nextId = 1;
  #stopped = false;

  constructor(options: SimulatedRelayOptions) {
    this.#options = options;
    const hosts = options.hosts ?? DEFAULT_HOSTS;
    this.#hosts = new Map(hosts.map((host) => [host.name.toLowerCase(), host]));
    const sandbox = hosts.find((host) => host.role === 'sandbox');
    if (sandbox === undefined) throw new Error('The lab world has no sandbox host.');
    this.#sandbox = sandbox;
  }

  /**
   * Takes a message the simulated sandbox accepted; returns the id of its journey (the
   * sandbox's copy), or null when none of its recipients leaves the sandbox.
   */
  submit(message: SimulatedMessage): number | null {
    const receivedAt = this.#options.clock.now();
    const plan = planOutbound({ namespace: 'page', mailFrom: message.mailFrom, rcptTo: message.rcptTo, zone: this.#options.world().records, ownDomains: this.#sandbox.domains, receivedAt });
    if (plan === null || plan.queue.length === 0) return null;
    const submission = this.#keep(this.#submissions, { id: this.#newId(), recipients: message.rcptTo, helo: message.clientHelo, address: message.remoteAddress, receivedAt, rowIds: [] });
    for (const entry of plan.queue) {
      const raw = sandboxReceivedHeader({ helo: message.clientHelo, clientAddress: message.remoteAddress, serverHostname: this.#sandbox.name, queueId: message.queueId, recipient: entry.recipient, at: receivedAt }) + message.data;
      const row = this.#newRow(submission, message.mailFrom, entry.recipient, raw, null, null);
      if (entry.notInLab !== undefined) this.#bounceUnsent(row, entry.notInLab.reply, entry.notInLab.dsn);
    }
    this.#changed();
    return submission.id;
  }

  /** The journey of a submission or a delivered copy, in the one schema the Journey view reads; null once forgotten. */
  journey(id: number): Journey | null {
    const submission = this.#submissions.get(id);
    if (submission !== undefined) {
      const rows = submission.rowIds.map((rowId) => this.#rows.get(rowId)).filter((row) => row !== undefined);
      return this.#journeyOf(id, null, submission, rows, null);
    }
    const copy = this.#copies.get(id);
    if (copy === undefined) return null;
    if (copy.rowId === null) {
      const sandbox = { host: this.#sandbox.name, ip: this.#sandbox.ip };
      const written: JourneyHop = { kind: 'submission', recipient: copy.mailbox, attempt: null, from: sandbox, to: sandbox, personality: this.#sandbox.personality, lookups: [], transcript: [], outcome: 'captured', reply: null, labTime: copy.labTime };
      return { messageId: id, mailbox: copy.mailbox, hops: [written], authentication: null, disposition: null, outbound: [] };
    }
    const rows = this.#chainTo(copy.rowId);
    const first = rows[0];
    const submission0 = first === undefined ? undefined : this.#submissions.get(first.submissionId);
    if (submission0 === undefined) return null;
    return this.#journeyOf(id, copy.mailbox, submission0, rows, copy);
  }

  /** The rows waiting for their next attempt, soonest first. */
  waiting(): WaitingRow[] {
    return [...this.#rows.values()]
      .filter((row) => row.state === 'queued' || row.state === 'in-flight')
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .map((row) => ({ id: row.id, recipient: row.recipient, attempts: row.attempts, nextAttemptAt: row.nextAttemptAt, lastReply: row.lastReply }));
  }

  /** Stops every timer; attempts under way finish without starting new ones. */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  #newId(): number {
    return this.#nextId++;
  }

  /** Adds to a bounded map: past MAX_KEPT the oldest entry is forgotten. */
  #keep<T>(map: Map<number, T>, value: T & { readonly id: number }): T & { readonly id: number } {
    map.set(value.id, value);
    if (map.size > MAX_KEPT) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    return value;
  }

  #newRow(submission: Submission, mailFrom: string, recipient: string, raw: string, sendingHost: Row['sendingHost'], forwardedFrom: number | null): Row {
    const now = this.#options.clock.now();
    const row: Row = { id: this.#newId(), submissionId: submission.id, mailFrom, recipient, raw, receivedAt: submission.receivedAt, sendingHost, forwardedFrom, state: 'queued', attempts: 0, nextAttemptAt: now, lastReply: null, lastHost: null, dsn: 'none', hops: [] };
    submission.rowIds.push(row.id);
    this.#keep(this.#rows, row);
    const waiting = [...this.#rows.values()].filter((other) => other.state === 'queued' || other.state === 'in-flight').length;
    const max = this.#options.maxWaiting ?? MAX_WAITING;
    if (waiting > max) {
      this.#bounceUnsent(row, `452 4.3.1 Not relayed: the page's simulated queue already holds ${max} waiting messages (it lives in this page only)`, false);
    } else {
      this.#schedule(row, now);
    }
    return row;
  }

  /** A row refused before any attempt (not in the lab, queue full). */
  #bounceUnsent(row: Row, reply: string, dsn: boolean): void {
    this.#timers.get(row.id)?.();
    this.#timers.delete(row.id);
    row.state = 'bounced';
    row.lastReply = reply;
    row.dsn = dsn && shouldBounce(row.mailFrom) ? 'due' : 'none';
    if (row.dsn === 'due') this.#sendDsn(row);
  }

  #schedule(row: Row, labMs: number): void {
    if (this.#stopped) return;
    row.nextAttemptAt = labMs;
    this.#timers.get(row.id)?.();
    this.#timers.set(row.id, this.#options.clock.at(labMs, () => {
      this.#timers.delete(row.id);
      void this.#attempt(row);
    }));
  }

  async #attempt(row: Row): Promise<void> {
    if (this.#stopped || row.state !== 'queued') return;
    const { clock } = this.#options;
    row.state = 'in-flight';
    row.attempts += 1;
    const attempt = row.attempts;
    const startedAt = clock.now();
    const lookups: DnsLookup[] = [];
    const world = this.#options.world();
    const resolver = createLabResolver(world.records, { onLookup: (lookup) => lookups.push(lookup), ...(world.unreachable ? { unreachable: world.unreachable } : {}) });
    const domain = domainOf(row.recipient);
    const route = await routeMail(domain, resolver, this.#options.random ?? Math.random);
    const tries: HopTry[] = [];
    const record = (reply: string) => row.hops.push(...this.#hopsOf(row, attempt, startedAt, lookups, tries, reply));
    const bounce = (reply: string, host: string | null) => {
      record(reply);
      row.state = 'bounced';
      row.lastReply = reply;
      row.lastHost = host;
      row.dsn = shouldBounce(row.mailFrom) ? 'due' : 'none';
      if (row.dsn === 'due') this.#sendDsn(row);
      this.#changed();
    };
    switch (route.kind) {
      case 'null-mx':
        return bounce(`${route.reply.code} ${route.reply.enhanced} ${route.reply.text} (RFC 7505: ${domain} takes no mail)`, null);
      case 'no-such-domain':
      case 'no-mail-host':
        return bounce(`550 5.1.2 ${route.message}`, null);
      case 'dns-failure':
        record(`451 4.4.3 ${route.message}`);
        return this.#defer(row, `451 4.4.3 ${route.message}`, null);
      case 'hosts':
        break;
    }
    const hops = routeWithoutSelf(route.hosts, this.#sandbox.name, this.#sandbox.ip);
    if (hops.length === 0) {
      return bounce(`554 5.4.6 mail for ${domain} loops back to myself: its best MX is ${this.#sandbox.name} [${this.#sandbox.ip}], the sandbox itself`, null);
    }
    const sender = row.sendingHost ?? { name: this.#sandbox.name, ip: this.#sandbox.ip };
    let last = { reply: '', host: null as string | null };
    for (const hop of hops) {
      const toIp = hop.addresses[0] ?? '';
      // The host at the resolved address, as IP routing (and the server's lab network) would reach it.
      const host = [...this.#hosts.values()].find((candidate) => candidate.ip === toIp);
      const mx = host === undefined || host.role === 'sandbox' ? null : this.#mxOf(host);
      const copies: AcceptedCopy[] = [];
      const connection = mx === null
        ? { ok: false as const, reason: `connect ECONNREFUSED: no lab server listens at ${hop.host} [${toIp}] (only the lab's own MX hosts answer)` }
        : mx.connect(sender.ip, switchesOf(world.hosts, mx.host.name) ?? defaultSwitches(mx.host), world.records, (copy) => copies.push(copy));
      if (!connection.ok || mx === null) {
        const reply = connection.ok ? '' : connection.reason;
        tries.push({ host: hop.host, ip: toIp, transcript: [], outcome: { kind: 'no-connection', reply } });
        last = { reply, host: hop.host };
        continue;
      }
      const conversation = await converse({ open: connection.open, host: mx.host.name, personality: mx.host.personality, helo: sender.name, mailFrom: row.mailFrom, recipient: row.recipient, data: dotStuffed(row.raw), labNow: () => clock.now() });
      tries.push({ host: hop.host, ip: toIp, transcript: conversation.transcript, outcome: conversation.outcome });
      const { outcome } = conversation;
      if (outcome.kind === 'delivered') {
        record(outcome.reply);
        row.state = 'delivered';
        row.lastReply = outcome.reply;
        row.lastHost = hop.host;
        for (const copy of copies) this.#accept(row, copy);
        this.#changed();
        return;
      }
      if (outcome.kind === 'permanent') return bounce(outcome.reply, hop.host);
      // RFC 5321 §5.1: a 4xx or a lost connection sends the client on to the next MX.
      last = { reply: outcome.reply, host: hop.host };
    }
    record(last.reply);
    this.#defer(row, last.reply, last.host);
  }

  /** A 4xx everywhere: try again after the retry schedule's delay, or expire past the lifetime. */
  #defer(row: Row, reply: string, host: string | null): void {
    const now = this.#options.clock.now();
    row.lastReply = reply;
    row.lastHost = host;
    if (now - row.receivedAt >= (this.#options.lifetimeMs ?? DEFAULT_QUEUE_LIFETIME_MS)) {
      row.state = 'expired';
      row.dsn = shouldBounce(row.mailFrom) ? 'due' : 'none';
      if (row.dsn === 'due') this.#sendDsn(row);
    } else {
      row.state = 'queued';
      this.#schedule(row, now + retryDelay(row.attempts));
    }
    this.#changed();
  }

  /**
   * A copy an MX took: into its mailbox, or, at a forwarder, on from the forwarder as the
   * server's forwarders do (protocol/world/lab-forwarding.ts): a .forward to the same local
   * part, a list to its members with its footer, from its bounce address.
   */
  #accept(row: Row, copy: AcceptedCopy): void {
    const forwarder = forwardingHost(copy.host);
    const submission = this.#submissions.get(row.submissionId);
    if (forwarder !== null && forwards(forwarder, copy.mailbox)) {
      const mail = forwardedMail(forwarder, copy.mailFrom, [copy.mailbox], encoder.encode(copy.raw));
      const raw = decoder.decode(mail.raw);
      // Neither kind signs again: SPF will see the forwarder's IP.
      if (submission !== undefined) for (const recipient of mail.recipients) this.#newRow(submission, mail.mailFrom, recipient, raw, { name: copy.host.name, ip: copy.host.ip }, row.id);
      return;
    }
    const id = this.#newId();
    this.#keep(this.#copies, { id, mailbox: copy.mailbox, rowId: row.id, host: copy.host, labTime: copy.labTime });
    this.#options.onDelivered({ id, mailbox: copy.mailbox, mailFrom: copy.mailFrom, raw: copy.raw, labTime: copy.labTime });
  }

  /**
   * The RFC 3464 report to the envelope sender: into the sandbox's own mailbox for its domain's
   * lab users, through the queue with `<>` for another lab domain's, dropped for anyone else
   * (nobody in the lab could read it).
   */
  #sendDsn(row: Row): void {
    const now = this.#options.clock.now();
    const reply = row.lastReply ?? '';
    // A forwarder's or list host's own hop failed: the report is that host's, as the server writes it.
    const from = row.sendingHost ?? { name: this.#sandbox.name, ip: this.#sandbox.ip };
    const raw = buildDsn(failureDsnInput({
      reportingMta: from.name,
      mailerDaemonHost: from.name,
      originalSender: row.mailFrom,
      finalRecipient: row.recipient,
      status: failureStatus(reply, row.state === 'expired'),
      ...failureDiagnostic(reply, row.lastHost),
      arrivalDate: new Date(row.receivedAt),
      date: new Date(now),
      originalHeaders: headerSection(row.raw),
      messageId: `dsn.${now}.${row.id}@${from.name}`,
    }));
    row.dsn = 'sent';
    const domain = domainOf(row.mailFrom);
    const user = row.mailFrom.slice(0, row.mailFrom.lastIndexOf('@')).toLowerCase();
    const own = this.#sandbox.domains.includes(domain);
    if (own && LAB_USERS.has(user)) {
      const id = this.#newId();
      this.#keep(this.#copies, { id, mailbox: row.mailFrom.toLowerCase(), rowId: null, host: null, labTime: now });
      this.#options.onDelivered({ id, mailbox: row.mailFrom.toLowerCase(), mailFrom: '', raw, labTime: now });
      return;
    }
    if (own || !this.#options.world().records.some((record) => record.name === domain)) return;
    const submission = this.#keep(this.#submissions, { id: this.#newId(), recipients: [row.mailFrom], helo: from.name, address: from.ip, receivedAt: now, rowIds: [] });
    if (row.sendingHost !== null) {
      // The host's report leaves from the host, as it wrote it (no sandbox Received line).
      this.#newRow(submission, '', row.mailFrom, raw, row.sendingHost, null);
      return;
    }
    const received = sandboxReceivedHeader({ helo: this.#sandbox.name, clientAddress: this.#sandbox.ip, serverHostname: this.#sandbox.name, queueId: `dsn${row.id}`, recipient: row.mailFrom, at: now });
    this.#newRow(submission, '', row.mailFrom, received + raw, null, null);
  }

  #mxOf(host: LabHost): SimulatedMx {
    const key = host.name.toLowerCase();
    const known = this.#mxs.get(key);
    if (known !== undefined) return known;
    const mx = new SimulatedMx(host, () => this.#options.clock.now());
    this.#mxs.set(key, mx);
    return mx;
  }

  /** One attempt as journey hops, as the server's journey reader writes them. */
  #hopsOf(row: Row, attempt: number, startedAt: number, lookups: readonly DnsLookup[], tries: readonly HopTry[], reply: string): JourneyHop[] {
    const from = row.sendingHost === null ? { host: this.#sandbox.name, ip: this.#sandbox.ip } : { host: row.sendingHost.name, ip: row.sendingHost.ip };
    return attemptHops({ recipient: row.recipient, attempt, startedAt, from, lookups, tries, reply, personalityOf: (name) => this.#hosts.get(name.toLowerCase())?.personality ?? null });
  }

  /** The row that delivered a copy, after the rows that brought it to each forwarder on the way (oldest first). */
  #chainTo(rowId: number): Row[] {
    const rows: Row[] = [];
    let next: number | null = rowId;
    while (next !== null && rows.length <= MAX_KEPT) {
      const row = this.#rows.get(next);
      if (row === undefined) break;
      rows.unshift(row);
      next = row.forwardedFrom;
    }
    return rows;
  }

  #journeyOf(id: number, mailbox: string | null, submission: Submission, rows: readonly Row[], copy: Copy | null): Journey {
    const first = rows[0];
    const sandbox = { host: this.#sandbox.name, ip: this.#sandbox.ip };
    const submitted: JourneyHop = {
      kind: 'submission',
      recipient: first !== undefined && (rows.length === 1 || copy !== null) ? first.recipient : submission.recipients.length === 1 ? (submission.recipients[0] ?? null) : null,
      attempt: null,
      from: { host: submission.helo || null, ip: submission.address },
      to: sandbox,
      personality: this.#sandbox.personality,
      lookups: [],
      transcript: [],
      // A row bounced with no attempt was never relayed: its domain is not in the lab.
      outcome: rows.every((row) => row.state === 'bounced' && row.attempts === 0) ? 'captured' : 'accepted',
      reply: null,
      labTime: submission.receivedAt,
    };
    const hops: JourneyHop[] = [submitted, ...rows.flatMap((row) => row.hops)];
    if (copy !== null && copy.host !== null) {
      hops.push({ kind: 'delivery', recipient: copy.mailbox, attempt: null, from: { host: copy.host.name, ip: copy.host.ip }, to: { host: copy.mailbox, ip: null }, personality: copy.host.personality, lookups: [], transcript: [], outcome: 'delivered', reply: null, labTime: copy.labTime });
    }
    return {
      messageId: id,
      mailbox,
      hops,
      authentication: null,
      disposition: null,
      outbound: rows.map((row) => ({ id: row.id, recipient: row.recipient, state: row.state, lastReply: row.lastReply, dsn: row.dsn })),
    };
  }

  #changed(): void {
    this.#options.onChange?.();
  }
}

/** The header section of a message (up to the first empty line). */
function headerSection(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return end < 0 ? raw : raw.slice(0, end);
}
