/**
 * The WebSocket contract between the browser console and the server's bridge to a live SMTP
 * server: one version constant, the messages each side may send, and runtime validation for
 * both directions (the server checks what the browser sends; the browser checks what the
 * server sends). Every message is one JSON text frame with a `type` field.
 *
 * A conversation:
 *
 *   browser                                  server
 *   hello {version}                    →
 *                                      ←     welcome {version, targets, limits}
 *   session.open {target: "sandbox"}   →     (opens its own TCP connection to the target)
 *                                      ←     session.opened {sessionId, target, label}
 *                                      ←     session.event {socket.opened}, {server.reply 220 …}
 *   session.send {text: "EHLO me\r\n"} →     (the text goes to the socket byte for byte)
 *                                      ←     session.event {client.line}, {server.reply 250 …}
 *   session.close                      →
 *                                      ←     session.closed {reason, by: "client"}
 *
 * One SMTP session at a time per WebSocket: `session.send` and `session.close` act on it, so
 * they carry no id; server messages about a session carry its `sessionId` so late messages
 * of an old session can be told apart after a new `session.open`. Any bad message gets an
 * `error` back and the connection stays usable.
 */
import { z } from 'zod';
import type { ReplayEvent } from '../replay/types.ts';
import type { Reply } from '../replies/types.ts';
import { personalityNameSchema } from '../sandbox-config-schema.ts';
import type { TlsInfo } from '../transport.ts';
import { classroomClientSchemas, classroomServerSchemas } from './classroom-contract.ts';

/** Bumped on any incompatible change; `hello` with another version is refused. */
export const WIRE_PROTOCOL_VERSION = 1;

/** Close code the server uses after refusing a `hello` (the 4000–4999 range is the application's). */
export const CLOSE_VERSION_MISMATCH = 4000;

// ── Shared pieces ─────────────────────────────────────────────────────────────────────────

const enhancedStatusCodeSchema = z.object({
  statusClass: z.union([z.literal(2), z.literal(4), z.literal(5)]),
  subject: z.number(),
  detail: z.number(),
  text: z.string(),
});

const replySchema = z.object({
  code: z.number().int(),
  lines: z.array(z.string()).readonly(),
  texts: z.array(z.string()).readonly(),
  enhanced: enhancedStatusCodeSchema.nullable(),
}) satisfies z.ZodType<Reply>;

/** The server certificate as the bridge saw it after STARTTLS. */
const certificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 fingerprint, colon-separated hex as Node prints it. */
  fingerprint256: z.string(),
});

const tlsInfoSchema = z.object({
  protocol: z.string(),
  cipher: z.string(),
  peerCertificate: z.string().optional(),
  simulated: z.boolean(),
  /** Present when the transport reports the certificate's details. */
  certificate: certificateSchema.optional(),
}) satisfies z.ZodType<TlsInfo>;

/**
 * What happened on the wire, in order. These are the session model's events (SessionEvent),
 * plus what the wire needs to stay byte-exact: `raw` is the exact text of the line or reply,
 * line ends included, and `server.unreadable` carries server text that is not a reply.
 */
const wireSessionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('socket.opened'), server: z.string() }),
  z.object({ type: z.literal('client.line'), text: z.string(), raw: z.string() }),
  /** Message lines a recorded transcript left out (only in recordings and `watch`, never live). */
  z.object({ type: z.literal('client.elided'), lines: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  z.object({ type: z.literal('server.reply'), reply: replySchema, raw: z.string() }),
  z.object({ type: z.literal('server.unreadable'), raw: z.string(), reason: z.string() }),
  z.object({ type: z.literal('tls.established'), tls: tlsInfoSchema }),
  z.object({ type: z.literal('tls.failed'), reason: z.string() }),
  z.object({ type: z.literal('socket.closed'), reason: z.string().nullable() }),
]);

/** One line of the mailbox list (the shape of the HTTP API's message summaries). */
const messageSummarySchema = z.object({
  id: z.number().int(),
  queueId: z.string(),
  mailFrom: z.string(),
  rcptTo: z.array(z.string()).readonly(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  date: z.string().nullable(),
  receivedAt: z.string(),
  size: z.number(),
  hasHtml: z.boolean(),
  attachmentCount: z.number().int(),
  /** Bare CR line endings in the raw message (RFC 5321 §2.3.8); servers differ in how they read it. */
  bareCr: z.boolean().optional(),
  /** The lab mailbox a lab MX delivered this copy to; absent for what the sandbox captured. */
  mailbox: z.string().optional(),
});

/** The limits the server enforces, announced so the console can respect them up front. */
const wireLimitsSchema = z.object({
  /** Largest WebSocket message; a bigger one closes the connection with 1009. */
  maxPayloadBytes: z.number(),
  /** Largest `session.send` text in UTF-8 bytes; a bigger one is refused with `text_too_long`. */
  maxSendBytes: z.number(),
  /** Sustained `session.send` messages per second, and the burst allowed above it. */
  commandsPerSecond: z.number(),
  commandBurst: z.number(),
  /** A session with no `session.send` for this long is closed. */
  idleTimeoutMs: z.number(),
  /** A session is closed after this long, whatever happens. */
  maxSessionMs: z.number(),
  /** Open sessions allowed per client address, across all its connections. */
  maxSessionsPerAddress: z.number(),
  /** UTF-8 bytes a session may send in all; the send that goes past it closes the session. */
  maxSessionDataBytes: z.number(),
  /** Events a session's recorded transcript keeps (message lines bounded per message); past it the session closes. */
  maxSessionEvents: z.number(),
  /** Bytes (as JSON) a session's recorded transcript keeps; past it the session closes. */
  maxTranscriptBytes: z.number(),
});

const errorCodeSchema = z.enum([
  /** The frame was not JSON. */
  'invalid_json',
  /** JSON, but not a valid message (the text says which field and what was expected). */
  'invalid_message',
  /** Binary frames are not part of the contract. */
  'binary_not_supported',
  /** Only `hello` and `ping` are accepted before `hello`. */
  'hello_required',
  'version_mismatch',
  'unknown_target',
  'session_already_open',
  /** `session.send`/`session.close` with no open session. */
  'no_session',
  'too_many_sessions',
  /** The text was dropped, not sent to the SMTP server. */
  'rate_limited',
  'text_too_long',
  /** The server failed unexpectedly; the connection stays usable. */
  'internal',
  /** Classroom: the message is for the instructor only (e.g. `watch` from a student). */
  'forbidden',
  /** Classroom: `watch` named a student who is not in the class. */
  'unknown_student',
]);

const closedBySchema = z.enum(['client', 'server', 'limit', 'shutdown', 'error']);

// ── Client → server ───────────────────────────────────────────────────────────────────────

/** Strict: a misspelled field is reported instead of silently ignored. */
const clientSchemas = {
  hello: z.strictObject({ type: z.literal('hello'), version: z.number().int() }),
  /** `target` is an id from the welcome's target list, never a host name. */
  'session.open': z.strictObject({ type: z.literal('session.open'), target: z.string().max(300) }), // an id from the welcome's list (a name or HOST:PORT)
  /** Raw client text, line ends included; may hold several lines (pipelining, RFC 2920). */
  'session.send': z.strictObject({ type: z.literal('session.send'), text: z.string() }),
  'session.close': z.strictObject({ type: z.literal('session.close') }),
  ping: z.strictObject({ type: z.literal('ping') }),
  /** Classroom mode (classroom-contract.ts): `watch`, `unwatch`. */
  ...classroomClientSchemas,
};

export const clientMessageSchema = z.discriminatedUnion('type', Object.values(clientSchemas) as [
  (typeof clientSchemas)['hello'],
  ...(typeof clientSchemas)[keyof typeof clientSchemas][],
]);

// ── Server → client ───────────────────────────────────────────────────────────────────────

const serverSchemas = {
  welcome: z.object({
    type: z.literal('welcome'),
    version: z.number().int(),
    // `labFrom`: the target is a lab host, and the learner reaches it as this lab IP (outside every lab domain);
    // `personality`: the server a lab host answers as, so its replies are explained in its own words.
    targets: z.array(z.object({ id: z.string(), label: z.string(), labFrom: z.string().optional(), personality: personalityNameSchema.optional() })).readonly(),
    limits: wireLimitsSchema,
  }),
  'session.opened': z.object({
    type: z.literal('session.opened'),
    sessionId: z.string(),
    target: z.string(),
    label: z.string(),
  }),
  'session.event': z.object({ type: z.literal('session.event'), sessionId: z.string(), event: wireSessionEventSchema }),
  /** Also sent, without a `session.opened` before it, when the connection could not be made. */
  'session.closed': z.object({
    type: z.literal('session.closed'),
    sessionId: z.string(),
    reason: z.string(),
    by: closedBySchema,
  }),
  'message.captured': z.object({ type: z.literal('message.captured'), summary: messageSummarySchema }),
  error: z.object({ type: z.literal('error'), code: errorCodeSchema, message: z.string() }),
  pong: z.object({ type: z.literal('pong') }),
  /** Classroom mode (classroom-contract.ts): notices, open lessons, roster rows, watched sessions. */
  ...classroomServerSchemas,
};

export const serverMessageSchema = z.discriminatedUnion('type', Object.values(serverSchemas) as [
  (typeof serverSchemas)['welcome'],
  ...(typeof serverSchemas)[keyof typeof serverSchemas][],
]);

// ── Types ─────────────────────────────────────────────────────────────────────────────────

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type WireSessionEvent = z.infer<typeof wireSessionEventSchema>;
export type WireTlsInfo = z.infer<typeof tlsInfoSchema>;
export type WireLimits = z.infer<typeof wireLimitsSchema>;
export type WireMessageSummary = z.infer<typeof messageSummarySchema>;
export type WireErrorCode = z.infer<typeof errorCodeSchema>;
export type ClosedBy = z.infer<typeof closedBySchema>;

/** A parsed frame, or why it was refused (`code` is the `error` code to answer with). */
export type ParseResult<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly code: 'invalid_json' | 'invalid_message'; readonly error: string };

/**
 * Reads one frame from the browser. Never throws; the error says what was wrong, e.g.
 * `"session.send" message: field "text" expected string, received number`.
 */
export function parseClientMessage(raw: string): ParseResult<ClientMessage> {
  return parseWith<ClientMessage>(raw, clientSchemas);
}

/** Reads one frame from the server (the browser's side of the check). Never throws. */
export function parseServerMessage(raw: string): ParseResult<ServerMessage> {
  return parseWith<ServerMessage>(raw, serverSchemas);
}

/**
 * The driver's event as it travels (the bridge asks the driver for raw bytes, so every line
 * and reply has them); an unreadable line's text travels only as its raw bytes.
 */
export function toWireEvent(event: ReplayEvent): WireSessionEvent {
  switch (event.type) {
    case 'client.line':
      return { type: 'client.line', text: event.text, raw: event.raw ?? `${event.text}\r\n` };
    case 'server.reply':
      return { type: 'server.reply', reply: event.reply, raw: event.raw ?? event.reply.lines.map((line) => `${line}\r\n`).join('') };
    case 'server.unreadable':
      return { type: 'server.unreadable', raw: event.raw ?? `${event.line}\r\n`, reason: event.message };
    default:
      return event;
  }
}

/** A wire event as the browser's session model reads it: without the raw bytes. */
export function fromWireEvent(event: WireSessionEvent): ReplayEvent {
  switch (event.type) {
    case 'client.line':
      return { type: 'client.line', text: event.text };
    case 'server.reply':
      return { type: 'server.reply', reply: event.reply };
    case 'server.unreadable':
      return { type: 'server.unreadable', line: event.raw.replace(/\r?\n$/, ''), message: event.reason };
    default:
      return event;
  }
}

/** `schemas` maps each `type` to its member of the union `T`, which makes the final cast sound. */
function parseWith<T>(raw: string, schemas: Readonly<Record<string, z.ZodType>>): ParseResult<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, code: 'invalid_json', error: `The message is not valid JSON (${(error as Error).message}).` };
  }
  const known = Object.keys(schemas).join(', ');
  const refuse = (error: string): ParseResult<T> => ({ ok: false, code: 'invalid_message', error });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(`A message must be a JSON object with a "type" field, not ${describe(value)}.`);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return refuse(`The "type" field is missing or not a string; expected one of: ${known}.`);
  }
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (schema === undefined) {
    return refuse(`Unknown message type ${JSON.stringify(type)}; expected one of: ${known}.`);
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, message: result.data as T };
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length === 0 ? '' : `field "${issue.path.join('.')}" `;
    return field + issue.message.replace(/^Invalid input: /, '');
  });
  return refuse(`"${type}" message: ${problems.join('; ')}.`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
