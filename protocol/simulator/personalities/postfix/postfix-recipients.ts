/**
 * The lab Postfix's recipient restrictions, as RCPT TO and VRFY meet them:
 * `reject_unauth_destination` first (anything not for mydestination is "Relay access
 * denied", even a bare local part), then `local_recipient_maps` (unknown user).
 */
import { POSTFIX_LOCAL_DOMAINS, POSTFIX_LOCAL_USERS, POSTFIX_RECIPIENT_DELIMITER } from './postfix-lab.ts';
import { relayDenied, userUnknown, type PostfixReply } from './postfix-replies.ts';

/** The refusal of a recipient, or null when Postfix would take mail for it. */
export function postfixRecipientRefusal(address: string): PostfixReply | null {
  // RFC 5321 §4.1.1.3: the domainless postmaster is always accepted.
  if (address.toLowerCase() === 'postmaster') return null;
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (at < 0 || !POSTFIX_LOCAL_DOMAINS.includes(domain)) return relayDenied(address);
  const user = address.slice(0, at).toLowerCase();
  const owner = user.split(POSTFIX_RECIPIENT_DELIMITER)[0] ?? user;
  return POSTFIX_LOCAL_USERS.has(user) || POSTFIX_LOCAL_USERS.has(owner) ? null : userUnknown(address);
}
