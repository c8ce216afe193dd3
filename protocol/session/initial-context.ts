import type { PersonalityName } from '../sandbox-config.ts';
import { PERSONALITIES } from '../simulator/personalities/index.ts';
import type { SessionContext } from './types.ts';

/** What the host tells the model when it starts it. */
export interface SessionInput {
  /** The server's personality when the host knows it (a simulated one); default smtp-server. */
  readonly personality?: PersonalityName;
  /** The server's own mailboxes when the host knows them (a lab MX host); default its personality's lab ones. */
  readonly recipients?: readonly [string, string];
}

/** The context of a session before anything happened on the wire. */
export function initialSessionContext(input: SessionInput = {}): SessionContext {
  const personality = input.personality ?? 'smtp-server';
  return {
    personality,
    recipients: input.recipients ?? PERSONALITIES[personality].suggestedRecipients,
    server: null,
    identity: null,
    extensions: null,
    envelope: { sender: null, recipients: [] },
    auth: null,
    authExchange: null,
    tls: null,
    pending: [],
    answered: null,
    held: [],
    released: null,
    draft: null,
    messages: [],
    counts: { syntaxErrors: 0, rejections: 0, unexpectedReplies: 0 },
    transcriptLength: 0,
    outbox: [],
  };
}
