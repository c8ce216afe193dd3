/**
 * Debian's Postfix 3.7 with the lab configuration (.ci/postfix-lab.sh), verified against the
 * real server (tests/conformance). Its differences from smtp-server, each one checked on the
 * real Postfix: MAIL before EHLO is fine; DATA with a sender but no recipient is "554 5.5.1
 * no valid recipients"; header-like lines as commands end the connection with 221 2.7.0;
 * unknown MAIL/RCPT parameters get 555; lenient address syntax; any leading dot is removed
 * from message lines; VRFY really checks; ETRN gets 459; HELP is unknown (500); no AUTH or
 * STARTTLS; no early-talker check; unknown commands get 500 until the 20th error reply.
 * From the configuration it takes the host name and the command line limit only: its
 * size, recipient and user lists are the lab Postfix's (postfix-lab.ts), and the sandbox's
 * teaching behaviours (requireAuth, greylist, refuseRelay, …) do not apply to it.
 */
import { LineDataReceiver } from '../../line-data-receiver.ts';
import type { Personality } from '../personality.ts';
import { dispatchPostfixCommand } from './postfix-dispatcher.ts';
import { POSTFIX_VERBS } from './postfix-handlers.ts';
import { twoMailboxes } from '../local-mailboxes.ts';
import { POSTFIX_LIMITS, POSTFIX_LOCAL_USERS, POSTFIX_MAIL_DOMAIN } from './postfix-lab.ts';
import { postfixReceivedHeader } from './postfix-received.ts';

/** A Postfix long-style queue id's length as the lab's Postfix writes it (e.g. 104F616C00E). */
const QUEUE_ID_DIGITS = 11;

function postfixQueueId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(QUEUE_ID_DIGITS));
  return Array.from(bytes, (byte) => (byte % 16).toString(16).toUpperCase()).join('');
}

export const POSTFIX_PERSONALITY: Personality = {
  name: 'postfix',
  label: 'Postfix 3.7 (Debian, the lab configuration)',
  evidence: 'verified-against-server',
  // `myhostname = mx.lab.test` in .ci/postfix-lab.sh.
  labHostname: 'mx.lab.test',
  // `smtpd_banner = $myhostname ESMTP $mail_name`
  greetingText: ({ hostname }) => `${hostname} ESMTP Postfix`,
  dispatch: dispatchPostfixCommand,
  verbs: POSTFIX_VERBS,
  earlyTalker: 'read-after-greeting',
  newDataReader: () => new LineDataReceiver(POSTFIX_LIMITS.messageSize),
  longCommandLine: 'truncate',
  // `reject_unauth_destination`: only its own domains' users, without AUTH (which it does not offer).
  suggestedRecipients: twoMailboxes(POSTFIX_LOCAL_USERS, [POSTFIX_MAIL_DOMAIN]),
  receivedHeader: postfixReceivedHeader,
  newQueueId: postfixQueueId,
};
