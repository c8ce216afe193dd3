import type { SessionContext } from './types.ts';

/** The context of a session before anything happened on the wire. */
export function initialSessionContext(): SessionContext {
  return {
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
