/**
 * A stored message's journey (GET /api/messages/:id/journey), read from what each part
 * recorded: the capture's envelope (messages), the outbound queue rows that moved it and
 * their attempts (outbound_queue, journey_hops, written by the relay worker), and what the
 * receiving lab MX concluded (the lab columns of messages, written by lab-delivery.ts).
 *
 * - A copy a lab MX delivered: client → sandbox → each MX attempt of its outbound row → mailbox;
 *   without an outbound row (a client that connected to the MX itself), client → MX → mailbox.
 * - A message the sandbox captured: client → sandbox, then the attempts of every outbound row
 *   made from it (same namespace and queue id), one per recipient; just the first hop when none.
 * Every statement filters on the namespace: another student's message is simply not found.
 */
import * as z from 'zod';
import { attemptHops } from '../../../protocol/world/attempt-hops.ts';
import { DEFAULT_HOSTS, type LabHost } from '../../../protocol/world/default-world.ts';
import type { SqlDatabase } from '../../storage/sql/sql-database.ts';
import { dnsLookupSchema, inboundAuthenticationSchema, journeySchema, type Journey, type JourneyHop } from '../../../protocol/world/journey.ts';

interface MessageRow {
  id: number;
  queueId: string;
  rcptTo: string;
  clientHelo: string;
  remoteAddress: string;
  mailbox: string | null;
  labHost: string | null;
  outboundId: number | null;
  authentication: string | null;
  dnsLookups: string | null;
  disposition: string | null;
  labReceivedAt: number | null;
}

interface OutboundRow {
  id: number;
  recipient: string;
  state: Journey['outbound'][number]['state'];
  lastReply: string | null;
  dsn: Journey['outbound'][number]['dsn'];
  clientHelo: string;
  clientAddress: string;
  receivedAt: number;
  attempts: number;
  /** Set for a forwarder's row: who sent it, and the row that brought it to the forwarder. */
  fromIp: string | null;
  fromHelo: string | null;
  forwardedFrom: number | null;
}

// Aliases quoted: PostgreSQL folds unquoted names to lower case.
const OUTBOUND_COLUMNS = `id, recipient, state, last_reply AS "lastReply", dsn, client_helo AS "clientHelo",
  client_address AS "clientAddress", received_at AS "receivedAt", attempts, from_ip AS "fromIp", from_helo AS "fromHelo",
  forwarded_from AS "forwardedFrom"`;
/** Most forwarders one journey follows back (a zone could make forwarders forward to each other). */
const MAX_FORWARDS = 8;

/** What the relay worker records per attempt (relay-worker.ts's HopRecord), checked on the way out of the database. */
const storedAttemptSchema = z.object({
  lookups: z.array(z.intersection(dnsLookupSchema, z.object({ at: z.number() }))),
  tries: z.array(
    z.object({
      host: z.string(),
      ip: z.string(),
      transcript: z.array(z.object({ at: z.number(), direction: z.enum(['client', 'server', 'note']), text: z.string() })),
      outcome: z.object({ kind: z.enum(['delivered', 'temporary', 'permanent', 'no-connection']), reply: z.string() }),
    }),
  ),
  outcome: z.string(),
  reply: z.string(),
});

const MESSAGE = `SELECT id, queue_id AS "queueId", rcpt_to AS "rcptTo", client_helo AS "clientHelo",
    remote_address AS "remoteAddress", mailbox, lab_host AS "labHost", outbound_id AS "outboundId", authentication,
    dns_lookups AS "dnsLookups", disposition, lab_received_at AS "labReceivedAt"
  FROM messages WHERE namespace = ? AND id = ?`;

export class JourneyReader {
  readonly #db: SqlDatabase;
  readonly #hosts: ReadonlyMap<string, LabHost>;
  readonly #sandbox: LabHost;

  constructor(db: SqlDatabase, hosts: readonly LabHost[] = DEFAULT_HOSTS) {
    this.#db = db;
    this.#hosts = new Map(hosts.map((host) => [host.name.toLowerCase(), host]));
    const sandbox = hosts.find((host) => host.role === 'sandbox');
    if (sandbox === undefined) throw new Error('The lab world has no sandbox host.');
    this.#sandbox = sandbox;
  }

  /** The journey of message `id` in `namespace`, or null when it has no such message. */
  async journey(namespace: string, id: number): Promise<Journey | null> {
    const message = await this.#db.get<MessageRow>(MESSAGE, [namespace, id]);
    if (message === undefined) return null;
    const rows = message.labHost !== null
      ? await this.#rowsById(namespace, message.outboundId)
      : await this.#db.all<OutboundRow>(`SELECT ${OUTBOUND_COLUMNS} FROM outbound_queue WHERE namespace = ? AND queue_id = ? ORDER BY id`, [namespace, message.queueId]);
    const hops: JourneyHop[] = [];
    if (message.labHost === null || rows.length > 0) hops.push(this.#submission(message, rows));
    for (const row of rows) hops.push(...(await this.#relayHops(row)));
    if (message.labHost !== null) {
      if (rows.length === 0) hops.push(this.#directHop(message, message.labHost));
      hops.push(this.#delivery(message, message.labHost));
    }
    // Checked against the one schema the browser parses with: a stored row that drifted fails here, loudly.
    return journeySchema.parse({
      messageId: message.id,
      mailbox: message.mailbox,
      hops,
      authentication: message.authentication === null ? null : inboundAuthenticationSchema.parse(JSON.parse(message.authentication)),
      disposition: message.disposition,
      outbound: rows.map((row) => ({ id: row.id, recipient: row.recipient, state: row.state, lastReply: row.lastReply, dsn: row.dsn })),
    });
  }

  /** The row that delivered the copy, after the rows that brought it to each forwarder on the way (oldest first). */
  async #rowsById(namespace: string, outboundId: number | null): Promise<OutboundRow[]> {
    const rows: OutboundRow[] = [];
    let next = outboundId;
    while (next !== null && rows.length <= MAX_FORWARDS) {
      const row = await this.#db.get<OutboundRow>(`SELECT ${OUTBOUND_COLUMNS} FROM outbound_queue WHERE namespace = ? AND id = ?`, [namespace, next]);
      if (row === undefined) break;
      rows.unshift(row);
      next = row.forwardedFrom;
    }
    return rows;
  }

  /** The learner's client to the sandbox (its submission server). */
  #submission(message: MessageRow, rows: readonly OutboundRow[]): JourneyHop {
    const first = rows[0];
    const recipients = JSON.parse(message.rcptTo) as string[];
    return {
      kind: 'submission',
      // A delivered copy's rows are one path (through any forwarders): its first row is what the client sent to.
      recipient: first !== undefined && (rows.length === 1 || message.labHost !== null) ? first.recipient : recipients.length === 1 ? recipients[0]! : null,
      attempt: null,
      from: { host: (first?.clientHelo ?? message.clientHelo) || null, ip: first?.clientAddress ?? message.remoteAddress },
      to: { host: this.#sandbox.name, ip: this.#sandbox.ip },
      personality: this.#sandbox.personality,
      lookups: [],
      transcript: [],
      // A row bounced with no attempt was never relayed: its domain is not in the lab.
      outcome: rows.every((row) => row.state === 'bounced' && row.attempts === 0) ? 'captured' : 'accepted',
      reply: null,
      labTime: first?.receivedAt ?? null,
    };
  }

  /** Each attempt the relay worker made for one recipient: one hop per MX it tried, or one for a route with none. */
  async #relayHops(row: OutboundRow): Promise<JourneyHop[]> {
    const from = row.fromIp === null ? { host: this.#sandbox.name, ip: this.#sandbox.ip } : { host: row.fromHelo, ip: row.fromIp };
    const attempts = await this.#db.all<{ attempt: number; startedAt: number; hop: string }>(
      'SELECT attempt, started_at AS "startedAt", hop FROM journey_hops WHERE outbound_id = ? ORDER BY id',
      [row.id],
    );
    return attempts.flatMap(({ attempt, startedAt, hop }) => {
      const record = storedAttemptSchema.parse(JSON.parse(hop));
      const lookups = record.lookups.map(({ at: _at, ...lookup }) => lookup);
      return attemptHops({ recipient: row.recipient, attempt, startedAt, from, lookups, tries: record.tries, reply: record.reply, personalityOf: (name) => this.#hosts.get(name.toLowerCase())?.personality ?? null });
    });
  }

  /** A client that connected to the lab MX itself (no outbound row): only the MX's side was recorded. */
  #directHop(message: MessageRow, labHost: string): JourneyHop {
    const { host, recorded } = this.#acceptedAt(message, labHost);
    return {
      ...recorded,
      kind: 'relay',
      from: { host: message.clientHelo || null, ip: message.remoteAddress },
      to: { host: labHost, ip: host?.ip ?? null },
      lookups: [],
    };
  }

  /** The receiving MX into the mailbox, with the DNS questions its SPF, DKIM and DMARC checks asked. */
  #delivery(message: MessageRow, labHost: string): JourneyHop {
    const { host, recorded } = this.#acceptedAt(message, labHost);
    return {
      ...recorded,
      kind: 'delivery',
      from: { host: labHost, ip: host?.ip ?? null },
      to: { host: message.mailbox, ip: null },
      lookups: message.dnsLookups === null ? [] : z.array(dnsLookupSchema).parse(JSON.parse(message.dnsLookups)),
    };
  }

  /** What the lab MX recorded of a message it accepted: delivered, at its lab time, with no transcript of its own. */
  #acceptedAt(message: MessageRow, labHost: string) {
    const host = this.#hosts.get(labHost.toLowerCase());
    const recorded: Pick<JourneyHop, 'recipient' | 'attempt' | 'personality' | 'transcript' | 'outcome' | 'reply' | 'labTime'> = {
      recipient: message.mailbox,
      attempt: null,
      personality: host?.personality ?? null,
      transcript: [],
      outcome: 'delivered',
      reply: null,
      labTime: message.labReceivedAt,
    };
    return { host, recorded };
  }
}
