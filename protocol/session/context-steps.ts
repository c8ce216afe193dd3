/**
 * Context changes made once a reply confirmed them (the envelope only ever holds what the
 * server accepted) and the connection-level steps. Pure functions returning Outcomes.
 */
import { parseEhloExtensions } from '../replies/index.ts';
import type { Reply } from '../replies/types.ts';
import type { TlsInfo } from '../transport.ts';
import { connectionEntry, type Outcome } from './transcript.ts';
import type { CompletedMessage, SessionContext } from './types.ts';
import { bracketedAddress, queueIdFrom } from './wire-text.ts';

const EMPTY_ENVELOPE = { sender: null, recipients: [] } as const;

/** The EHLO/HELO domain the server accepted, and for EHLO the extensions it advertised. */
export function recordIdentity(context: SessionContext, reply: Reply): Outcome {
  const answered = context.answered;
  if (answered === null) return { patch: {}, emitted: [] };
  const verb = answered.kind === 'HELO' ? 'HELO' : 'EHLO';
  const command = answered.command;
  const domain = command !== null && 'domain' in command ? command.domain : (answered.text.trim().split(/\s+/)[1] ?? '');
  const extensions = verb === 'EHLO' ? Object.fromEntries(parseEhloExtensions(reply)) : null;
  return { patch: { identity: { verb, domain }, extensions }, emitted: [] };
}

/** RFC 5321 §4.1.1.5: RSET (and EHLO/HELO, and the end of a transaction) clears the envelope. */
export function resetEnvelope(): Outcome {
  return { patch: { envelope: EMPTY_ENVELOPE, draft: null }, emitted: [] };
}

function answeredAddress(context: SessionContext): string {
  const command = context.answered?.command;
  if (command && (command.verb === 'MAIL' || command.verb === 'RCPT')) return command.path.address;
  // The grammar refused the line but the server accepted it: follow the server.
  return bracketedAddress(context.answered?.text ?? '') ?? '';
}

export function recordSender(context: SessionContext): Outcome {
  return { patch: { envelope: { sender: answeredAddress(context), recipients: [] } }, emitted: [] };
}

export function recordRecipient(context: SessionContext): Outcome {
  const { envelope } = context;
  return { patch: { envelope: { sender: envelope.sender, recipients: [...envelope.recipients, answeredAddress(context)] } }, emitted: [] };
}

/** The server accepted the message: keep it with its envelope and queue id. */
export function recordMessage(context: SessionContext, reply: Reply): Outcome {
  const draft = context.draft ?? { body: '', bytes: 0, lines: 0 };
  const message: CompletedMessage = {
    sender: context.envelope.sender ?? '',
    recipients: context.envelope.recipients,
    body: draft.body,
    bytes: draft.bytes,
    queueId: queueIdFrom(reply),
  };
  return { patch: { messages: [...context.messages, message], draft: null }, emitted: [] };
}

export function startMessage(): Outcome {
  return { patch: { draft: { body: '', bytes: 0, lines: 0 } }, emitted: [] };
}

/** AUTH succeeded: the identity the exchange revealed becomes the session's. */
export function recordAuth(context: SessionContext): Outcome {
  const exchange = context.authExchange ?? { mechanism: 'unknown', user: null };
  return { patch: { auth: exchange, authExchange: null }, emitted: [] };
}

function nextIndex(context: SessionContext): number {
  return context.transcriptLength;
}

export function recordConnection(context: SessionContext, server: string): Outcome {
  const index = nextIndex(context);
  return {
    patch: { server, transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `Connected to ${server}`, 'The TCP connection is open. The client now waits for the server\'s 220 greeting (RFC 5321 §3.1).', [])],
  };
}

export function recordTls(context: SessionContext, tls: TlsInfo, notes: readonly string[] = []): Outcome {
  const index = nextIndex(context);
  const how = tls.simulated ? ' (simulated handshake)' : '';
  return {
    patch: { tls, transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `TLS established: ${tls.protocol}, ${tls.cipher}${how}`, 'The connection is now encrypted.', notes)],
  };
}

const TLS_RESET_NOTE =
  'The server forgot your EHLO, its extension list and any authentication (RFC 3207 §4.2): send EHLO again before anything else.';

/** The STARTTLS handshake finished: TLS is up and, RFC 3207 §4.2, both sides forget everything learned before it. */
export function restartAfterTls(context: SessionContext, tls: TlsInfo): Outcome {
  const { patch, emitted } = recordTls(context, tls, [TLS_RESET_NOTE]);
  return { patch: { ...patch, identity: null, extensions: null, auth: null, authExchange: null, envelope: EMPTY_ENVELOPE, draft: null }, emitted };
}

export function recordTlsFailure(context: SessionContext, reason: string): Outcome {
  const index = nextIndex(context);
  return {
    patch: { transcriptLength: index + 1 },
    emitted: [connectionEntry(index, `TLS handshake failed: ${reason}`, 'The TLS handshake failed; the connection cannot be used any more.', [])],
  };
}

export function recordClose(context: SessionContext, reason: string | null): Outcome {
  const index = nextIndex(context);
  const waiting = context.pending.length + context.held.length;
  const notes = waiting > 0 ? [`${waiting} line(s) you sent never got a reply.`] : [];
  return {
    patch: { pending: [], held: [], transcriptLength: index + 1 },
    emitted: [connectionEntry(index, reason ? `Connection closed: ${reason}` : 'Connection closed', 'The TCP connection is closed; this session is over.', notes)],
  };
}

/** Adds a note to the newest transcript entry. */
export function noteLatest(context: SessionContext, note: string): Outcome {
  if (context.transcriptLength === 0) return { patch: {}, emitted: [] };
  return { patch: {}, emitted: [{ type: 'transcript.updated', update: { index: context.transcriptLength - 1, notes: [note] } }] };
}
