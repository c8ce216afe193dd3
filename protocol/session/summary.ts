/** Pure views of a session snapshot for display and for graph traversal. */
import type { StateValue } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { sessionMachine } from './session-machine.ts';
import type { AuthStatus, CompletedMessage, Envelope, SessionContext } from './types.ts';
import type { TlsInfo } from '../transport.ts';

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** The active leaf state as a dotted path, e.g. "identified.transaction.hasSender". */
export function statePath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? ['', undefined];
  return child === undefined ? key : `${key}.${statePath(child)}`;
}

const STATE_LABELS: Readonly<Record<string, string>> = {
  disconnected: 'Not connected',
  awaitingGreeting: 'Connected: waiting for the server\'s greeting',
  greeted: 'Greeted: introduce yourself with EHLO',
  'identified.idle': 'Identified: ready for a mail transaction',
  'identified.transaction.hasSender': 'Mail transaction: sender accepted',
  'identified.transaction.hasRecipients': 'Mail transaction: recipients accepted',
  awaitingDataGo: 'DATA sent: waiting for 354',
  data: 'Writing the message: end it with a line holding only `.`',
  awaitingDataReply: 'Message sent: waiting for the server\'s verdict',
  'authenticating.awaitingReply': 'Authenticating: waiting for the server',
  'authenticating.awaitingResponse': 'Authenticating: the server waits for your answer',
  'startingTls.awaitingReady': 'STARTTLS sent: waiting for 220',
  'startingTls.handshaking': 'STARTTLS: TLS handshake under way',
  resuming: 'Back to commands',
  closing: 'Closing: the connection is about to end',
  closed: 'Connection closed',
};

export interface SessionSummary {
  /** Dotted state path, e.g. "identified.transaction.hasRecipients". */
  readonly state: string;
  /** The "Session state" text for display. */
  readonly label: string;
  readonly identity: SessionContext['identity'];
  readonly envelope: Envelope;
  readonly extensions: Readonly<Record<string, readonly string[]>> | null;
  readonly auth: AuthStatus | null;
  readonly tls: TlsInfo | null;
  readonly messages: readonly CompletedMessage[];
  /** Commands sent and not yet answered. */
  readonly pendingCount: number;
  /** Bytes and lines of the message being written, in data mode. */
  readonly draft: { readonly bytes: number; readonly lines: number } | null;
  readonly counts: SessionContext['counts'];
}

/** What the visualizer shows about a session. Pure; never throws. */
export function summarizeSession(snapshot: SessionSnapshot): SessionSummary {
  const state = statePath(snapshot.value);
  const { context } = snapshot;
  return {
    state,
    label: STATE_LABELS[state] ?? state,
    identity: context.identity,
    envelope: context.envelope,
    extensions: context.extensions,
    auth: context.auth,
    tls: context.tls,
    messages: context.messages,
    pendingCount: context.pending.length + context.held.length,
    draft: context.draft === null ? null : { bytes: context.draft.bytes, lines: context.draft.lines },
    counts: context.counts,
  };
}

/**
 * A finite key for graph traversal (xstate/graph's `serializeState`): the state and the parts
 * of the context that decide what happens next, with unbounded parts (transcript length,
 * message bodies, recipient lists) reduced to small numbers.
 */
export function serializeState(snapshot: SessionSnapshot): string {
  const { context } = snapshot;
  return JSON.stringify({
    state: statePath(snapshot.value),
    identity: context.identity?.verb ?? null,
    extensions: context.extensions === null ? null : Object.keys(context.extensions).sort(),
    sender: context.envelope.sender !== null,
    recipients: Math.min(context.envelope.recipients.length, 2),
    auth: context.auth !== null,
    tls: context.tls !== null,
    pending: context.pending.map((pending) => pending.kind),
    held: context.held.length,
    messages: Math.min(context.messages.length, 1),
  });
}
