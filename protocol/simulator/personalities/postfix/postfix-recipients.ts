/**
 * The lab Postfix's recipient restrictions, as RCPT TO and VRFY meet them:
 * `reject_unauth_destination` first (anything not for mydestination is "Relay access
 * denied", even a bare local part), then `local_recipient_maps` (unknown user).
 */
import type { ServerContext } from '../../server-context.ts';
import { localRecipientRefusal, type RecipientRefusalWords } from '../../local-recipients.ts';
import { POSTFIX_LOCAL_DOMAINS, POSTFIX_LOCAL_USERS, POSTFIX_RECIPIENT_DELIMITER } from './postfix-lab.ts';
import { relayDenied, userUnknown, type PostfixReply } from './postfix-replies.ts';

const POSTFIX_WORDS: RecipientRefusalWords = { relayDenied, unknownUser: userUnknown };

/**
 * The refusal of a recipient, or null when Postfix would take mail for it: the lab Postfix's
 * rules, or the host's when it names its recipients (a lab MX, in the same words). VRFY is
 * never greylisted (a policy service sees only RCPT).
 */
export function postfixRecipientRefusal(context: ServerContext, address: string, command: 'RCPT' | 'VRFY'): PostfixReply | null {
  const local = context.localRecipients;
  if (local) {
    const rules = command === 'VRFY' ? { domains: local.domains, users: local.users } : local;
    return localRecipientRefusal(rules, context.session.mailFrom?.address ?? '', address, POSTFIX_WORDS) as PostfixReply | null;
  }
  return labPostfixRefusal(address);
}

function labPostfixRefusal(address: string): PostfixReply | null {
  // RFC 5321 §4.1.1.3: the domainless postmaster is always accepted.
  if (address.toLowerCase() === 'postmaster') return null;
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (at < 0 || !POSTFIX_LOCAL_DOMAINS.includes(domain)) return relayDenied(address);
  const user = address.slice(0, at).toLowerCase();
  const owner = user.split(POSTFIX_RECIPIENT_DELIMITER)[0] ?? user;
  return POSTFIX_LOCAL_USERS.has(user) || POSTFIX_LOCAL_USERS.has(owner) ? null : userUnknown(address);
}
