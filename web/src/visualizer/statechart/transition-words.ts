/**
 * Learner words for the machine's events and guards: "250 to MAIL" instead of
 * `isAcceptedReplyTo({ kind: 'MAIL' })`. Unknown guards and events fall back to their own
 * names in words, so a new transition in the machine still shows up, just less prettily.
 */

/** The reply code that accepts each kind of pending line (RFC 5321 §4.3.2). */
const ACCEPT_CODE: Readonly<Record<string, string>> = {
  QUIT: '221',
  AUTH: '235',
  STARTTLS: '220',
  DATA: '354',
};

const KIND_WORDS: Readonly<Record<string, string>> = {
  'END-OF-DATA': 'the final “.”',
  'AUTH-RESPONSE': 'your AUTH answer',
  MAIL: 'MAIL FROM',
  RCPT: 'RCPT TO',
};

const EVENT_WORDS: Readonly<Record<string, string>> = {
  'socket.opened': 'connected',
  'socket.closed': 'connection closed',
  'server.reply': 'reply',
  'client.line': 'your next line',
  'client.heldLine': 'your next line',
  'client.dataLines': 'message lines',
  'tls.established': 'TLS handshake done',
  'tls.failed': 'TLS handshake failed',
};

const SIMPLE_GUARDS: Readonly<Record<string, string>> = {
  isServiceClosing: '421: server closing',
  isAcceptedLastChunk: '250 to the last BDAT',
  isAcceptedResetWhenIdentified: '250 to RSET after EHLO',
  isEndOfData: 'a line with only “.”',
  isPositiveReply: '2xx: success',
  hasRecipients: 'recipients accepted',
  hasSender: 'sender accepted',
  isIdentified: 'EHLO accepted',
  hasPending: 'reply to a pending line',
};

type Params = Readonly<Record<string, unknown>> | undefined;

function kindWords(kind: unknown): string {
  const text = String(kind);
  return KIND_WORDS[text] ?? text;
}

function guardWords(type: string, params: Params): string {
  switch (type) {
    case 'isReplyCode':
      return `${String(params?.['code'])} reply`;
    case 'isAcceptedReplyTo': {
      const kind = String(params?.['kind']);
      return `${ACCEPT_CODE[kind] ?? '250'} to ${kindWords(kind)}`;
    }
    case 'isReplyTo':
      return `refusal of ${kindWords(params?.['kind'])}`;
    case 'isNextPending':
      return `${kindWords(params?.['kind'])} sent`;
    default:
      return SIMPLE_GUARDS[type] ?? stateKeyWords(type);
  }
}

/** The guard's name and params, whatever form the machine config used. */
function readGuard(guard: unknown): { type: string; params: Params } | null {
  if (typeof guard === 'string') return { type: guard, params: undefined };
  if (guard !== null && typeof guard === 'object' && 'type' in guard) {
    const { type, params } = guard as { type: unknown; params?: unknown };
    return { type: String(type), params: typeof params === 'object' && params !== null ? (params as Params) : undefined };
  }
  return null;
}

/**
 * Words for one transition. `eventType` is '' for an eventless (`always`) transition;
 * `fallback` marks an unguarded transition that follows guarded ones for the same event.
 */
export function describeTransition(eventType: string, guard: unknown, fallback: boolean): string {
  const read = readGuard(guard);
  if (read !== null) return guardWords(read.type, read.params);
  if (eventType === '') return fallback ? 'otherwise' : 'at once';
  if (eventType === 'server.reply') return fallback ? 'any other reply' : 'any reply';
  return EVENT_WORDS[eventType] ?? eventType;
}

/** "awaitingDataGo" → "awaiting data go": the state's key in words. */
export function stateKeyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\btls\b/g, 'TLS');
}
