/**
 * What the learner can send next in each state, grouped by what it is for, in learner words.
 * These are moves the session's server accepts: the recipients are its own (the lab's Postfix
 * takes mail only for lab.test and localhost, a lab MX host for its domains), AUTH and STARTTLS only when it
 * advertised them. The model follows more lenient servers too (Postfix takes MAIL before EHLO),
 * so its transitions alone would list moves lesson 2 says fail on smtp-server. The test sends
 * every move's line to each personality's simulator and checks that it is accepted and that the
 * session lands where the move says.
 */
import type { SessionContext } from '../../../../protocol/session/index.ts';
import { PERSONALITIES } from '../../../../protocol/simulator/personalities/index.ts';

export interface NextMove {
  /** What it is for: "Start a mail transaction". */
  readonly group: string;
  /** A line to type, as an example. */
  readonly line: string;
  /** The state the session reaches once the server accepts it. */
  readonly target: string;
}

/** What the moves depend on: the session's server and what it advertised in its EHLO reply. */
export type MoveServer = Pick<SessionContext, 'personality' | 'extensions' | 'recipients'>;

/** smtp-server before any EHLO reply: what the statechart shows without a session. */
export const DEFAULT_MOVE_SERVER: MoveServer = { personality: 'smtp-server', extensions: null, recipients: PERSONALITIES['smtp-server'].suggestedRecipients };

const LEAVE: NextMove = { group: 'Leave', line: 'QUIT', target: 'closing' };
const CANCEL: NextMove = { group: 'Cancel the transaction', line: 'RSET', target: 'identified.idle' };
const ADD_RECIPIENT = 'Add a recipient';

function movesIn(path: string, server: MoveServer): readonly NextMove[] {
  const [recipient, another] = server.recipients;
  const advertised = server.extensions ?? {};
  switch (path) {
    case 'greeted':
      return [
        { group: 'Introduce yourself', line: 'EHLO client.example.com', target: 'identified.idle' },
        { group: 'Introduce yourself', line: 'HELO client.example.com', target: 'identified.idle' },
        LEAVE,
      ];
    case 'identified.idle':
      return [
        { group: 'Start a mail transaction', line: 'MAIL FROM:<you@example.com>', target: 'identified.transaction.hasSender' },
        ...((advertised['AUTH'] ?? []).some((mechanism) => mechanism.toUpperCase() === 'LOGIN')
          ? [{ group: 'Log in', line: 'AUTH LOGIN', target: 'authenticating.awaitingResponse' }]
          : []),
        ...('STARTTLS' in advertised ? [{ group: 'Encrypt', line: 'STARTTLS', target: 'startingTls.handshaking' }] : []),
        LEAVE,
      ];
    case 'identified.transaction.hasSender':
      return [{ group: ADD_RECIPIENT, line: `RCPT TO:<${recipient}>`, target: 'identified.transaction.hasRecipients' }, CANCEL, LEAVE];
    case 'identified.transaction.hasRecipients':
      return [
        { group: 'Write the message', line: 'DATA', target: 'data' },
        { group: ADD_RECIPIENT, line: `RCPT TO:<${another}>`, target: 'identified.transaction.hasRecipients' },
        CANCEL,
        LEAVE,
      ];
    case 'data':
      return [
        { group: 'Write the message', line: 'Subject: Hello', target: 'data' },
        { group: 'Send it', line: '.', target: 'identified.idle' },
      ];
    case 'authenticating.awaitingResponse':
      return [
        { group: 'Answer the challenge (base64)', line: 'c3R1ZGVudA==', target: 'authenticating.awaitingResponse' },
        { group: 'Give up logging in', line: '*', target: 'identified.idle' },
      ];
    default:
      return [];
  }
}

/** What to say when there is nothing to send, by state. */
const NOTHING_TO_SEND: Readonly<Record<string, string>> = {
  disconnected: 'Not connected: start a new session.',
  closing: 'The connection is ending: start a new session to go on.',
  closed: 'The connection is closed: start a new session to go on.',
};

/** The moves from `path` on `server`, grouped in the order they are listed. */
export function nextMoves(path: string, server: MoveServer = DEFAULT_MOVE_SERVER): { readonly group: string; readonly moves: readonly NextMove[] }[] {
  const groups = new Map<string, NextMove[]>();
  for (const move of movesIn(path, server)) groups.set(move.group, [...(groups.get(move.group) ?? []), move]);
  return [...groups].map(([group, moves]) => ({ group, moves }));
}

/** Why there is nothing to send in `path` (wait for the server, or start again). */
export function nothingToSendReason(path: string): string {
  return NOTHING_TO_SEND[path] ?? 'Nothing to send now: wait for the server\'s reply.';
}
