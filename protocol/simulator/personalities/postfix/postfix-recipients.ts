/**
 * The lab Postfix's recipient restrictions, as RCPT TO and VRFY meet them:
 * `reject_unauth_destination` first (anything not for mydestination is "Relay access
 * denied", even a bare local part), then `local_recipient_maps` (unknown user).
 */
import type { ServerContext } from '../../server-context.ts';
import { localRecipientRefusal, type LocalRecipients, type RecipientRefusalWords } from '../../local-recipients.ts';
import { POSTFIX_LOCAL_DOMAINS, POSTFIX_LOCAL_USERS, POSTFIX_RECIPIENT_DELIMITER } from './postfix-lab.ts';
import { relayDenied, userUnknown, type PostfixReply } from './postfix-replies.ts';

const POSTFIX_WORDS: RecipientRefusalWords = { relayDenied, unknownUser: userUnknown };
/** The lab Postfix (tests/conformance): mydestination, its aliases, recipient_delimiter = +. */
const LAB_POSTFIX: LocalRecipients = { domains: POSTFIX_LOCAL_DOMAINS, users: POSTFIX_LOCAL_USERS, recipientDelimiter: POSTFIX_RECIPIENT_DELIMITER };

/**
 * The refusal of a recipient, or null when Postfix would take mail for it: the lab Postfix's
 * rules, or the host's when it names its recipients (a lab MX, in the same words). VRFY is
 * never greylisted (a policy service sees only RCPT).
 */
export function postfixRecipientRefusal(context: ServerContext, address: string, command: 'RCPT' | 'VRFY'): PostfixReply | null {
  const local = context.localRecipients ?? LAB_POSTFIX;
  const { defer: _defer, ...withoutDeferral } = local;
  return localRecipientRefusal(command === 'VRFY' ? withoutDeferral : local, context.session.mailFrom?.address ?? '', address, POSTFIX_WORDS) as PostfixReply | null;
}
