/**
 * What the learner can send next in each state, grouped by what it is for, in learner words.
 * These are the moves this lab's server (smtp-server, simulated or live) accepts: the model
 * follows more lenient servers too (Postfix takes MAIL before EHLO), so its transitions alone
 * would list moves lesson 2 says fail here. The test sends every move's line to the simulator
 * and checks that the session lands where the move says.
 */

export interface NextMove {
  /** What it is for: "Start a mail transaction". */
  readonly group: string;
  /** A line to type, as an example. */
  readonly line: string;
  /** The state the session reaches once the server accepts it. */
  readonly target: string;
}

const LEAVE: NextMove = { group: 'Leave', line: 'QUIT', target: 'closing' };
const CANCEL: NextMove = { group: 'Cancel the transaction', line: 'RSET', target: 'identified.idle' };
const ADD_RECIPIENT = 'Add a recipient';

const MOVES: Readonly<Record<string, readonly NextMove[]>> = {
  greeted: [
    { group: 'Introduce yourself', line: 'EHLO client.example.com', target: 'identified.idle' },
    { group: 'Introduce yourself', line: 'HELO client.example.com', target: 'identified.idle' },
    LEAVE,
  ],
  'identified.idle': [
    { group: 'Start a mail transaction', line: 'MAIL FROM:<you@example.com>', target: 'identified.transaction.hasSender' },
    { group: 'Log in', line: 'AUTH LOGIN', target: 'authenticating.awaitingResponse' },
    { group: 'Encrypt', line: 'STARTTLS', target: 'startingTls.handshaking' },
    LEAVE,
  ],
  'identified.transaction.hasSender': [
    { group: ADD_RECIPIENT, line: 'RCPT TO:<friend@example.org>', target: 'identified.transaction.hasRecipients' },
    CANCEL,
    LEAVE,
  ],
  'identified.transaction.hasRecipients': [
    { group: 'Write the message', line: 'DATA', target: 'data' },
    { group: ADD_RECIPIENT, line: 'RCPT TO:<another@example.org>', target: 'identified.transaction.hasRecipients' },
    CANCEL,
    LEAVE,
  ],
  data: [
    { group: 'Write the message', line: 'Subject: Hello', target: 'data' },
    { group: 'Send it', line: '.', target: 'identified.idle' },
  ],
  'authenticating.awaitingResponse': [
    { group: 'Answer the challenge (base64)', line: 'c3R1ZGVudA==', target: 'authenticating.awaitingResponse' },
    { group: 'Give up logging in', line: '*', target: 'identified.idle' },
  ],
};

/** What to say when there is nothing to send, by state. */
const NOTHING_TO_SEND: Readonly<Record<string, string>> = {
  disconnected: 'Not connected: start a new session.',
  closing: 'The connection is ending: start a new session to go on.',
  closed: 'The connection is closed: start a new session to go on.',
};

/** The moves from `path`, grouped in the order of the table. */
export function nextMoves(path: string): { readonly group: string; readonly moves: readonly NextMove[] }[] {
  const groups = new Map<string, NextMove[]>();
  for (const move of MOVES[path] ?? []) groups.set(move.group, [...(groups.get(move.group) ?? []), move]);
  return [...groups].map(([group, moves]) => ({ group, moves }));
}

/** Why there is nothing to send in `path` (wait for the server, or start again). */
export function nothingToSendReason(path: string): string {
  return NOTHING_TO_SEND[path] ?? 'Nothing to send now: wait for the server\'s reply.';
}
