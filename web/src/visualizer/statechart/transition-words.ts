/**
 * Learner words for the machine's events and guards: "MAIL accepted" instead of
 * `isAcceptedReplyTo({ kind: 'MAIL' })`. Every label is plain ASCII words a learner can read
 * on the drawing (no quotes or symbols that turn to noise at small sizes). Unknown guards and
 * events fall back to their own names in words, so a new transition in the machine still
 * shows up, just less prettily.
 */

/** What the learner sent, in words, for each kind of pending line. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  'END-OF-DATA': 'message',
  'AUTH-RESPONSE': 'AUTH answer',
};

/** The replies a guard waits for by code, in words (RFC 5321 §4.2, RFC 4954 §4, RFC 3207 §4). */
const CODE_WORDS: Readonly<Record<string, string>> = {
  '220': '220 ready',
  '334': '334 challenge',
  '354': '354 go ahead',
};

const EVENT_WORDS: Readonly<Record<string, string>> = {
  'socket.opened': 'connected',
  'socket.closed': 'connection closed',
  'server.reply': 'reply',
  'client.line': 'your next line',
  'client.heldLine': 'your next line',
  'client.dataLines': 'message lines',
  'tls.established': 'TLS ready',
  'tls.failed': 'TLS failed',
};

const SIMPLE_GUARDS: Readonly<Record<string, string>> = {
  isServiceClosing: '421 closing',
  isAcceptedLastChunk: 'last BDAT accepted',
  isAcceptedResetWhenIdentified: 'RSET accepted',
  isEndOfData: 'line with only a dot',
  hasEndOfData: 'line with only a dot',
  isPositiveReply: 'AUTH accepted',
  hasRecipients: 'with recipients',
  hasSender: 'with a sender',
  isIdentified: 'after EHLO',
  hasPending: 'reply to a pending line',
};

type Params = Readonly<Record<string, unknown>> | undefined;

function kindWords(kind: unknown): string {
  const text = String(kind);
  return KIND_WORDS[text] ?? text;
}

function guardWords(type: string, params: Params): string {
  switch (type) {
    case 'isReplyCode': {
      const code = String(params?.['code']);
      return CODE_WORDS[code] ?? `${code} reply`;
    }
    case 'isAcceptedReplyTo':
      return `${kindWords(params?.['kind'])} accepted`;
    case 'isReplyTo':
      return `${kindWords(params?.['kind'])} refused`;
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
  // The guarded replies before it are the ones that move on: whatever else comes is a refusal.
  if (eventType === 'server.reply') return fallback ? 'refused' : 'any reply';
  return EVENT_WORDS[eventType] ?? eventType;
}

/** "awaitingDataGo" → "awaiting data go": the state's key in words. */
export function stateKeyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\btls\b/g, 'TLS');
}
