/**
 * What a lab MX says when a host switch turns a client away, in its personality's words.
 *
 * - Rate limit, at connect, then the connection closes (421: RFC 5321 §3.8, §4.2.2). Postfix's
 *   is smtpd's anvil reply to smtpd_client_connection_rate_limit, word for word; Gmail's is its
 *   published "Try again later, closing connection."; Exim's and Exchange's are an
 *   administrator's wording (neither has a built-in text) with the same code.
 * - Allow-list, at RCPT: Postfix evaluates client restrictions there by default
 *   (smtpd_delay_reject=yes), and check_client_access REJECT answers
 *   "554 5.7.1 <name[addr]>: Client host rejected: Access denied" (the name is "unknown": the
 *   lab does no reverse lookups). Exim's ACL deny is "550 Administrative prohibition";
 *   Exchange Online's is its 5.7.606 "banned sending IP"; Gmail's is its "not authorized to
 *   send email directly to our servers".
 */
import type { PersonalityName } from '../sandbox-config.ts';

export interface HostRefusal {
  readonly code: number;
  readonly text: string;
}

export function rateLimitRefusal(personality: PersonalityName, hostName: string, clientIp: string): HostRefusal {
  switch (personality) {
    case 'postfix':
      return { code: 421, text: `4.7.0 ${hostName} Error: too many connections from ${clientIp}` };
    case 'gmail':
      return { code: 421, text: '4.7.0 Try again later, closing connection.' };
    default:
      return { code: 421, text: `4.7.0 ${hostName} Too many connections from ${clientIp}, try again later` };
  }
}

export function accessDeniedRefusal(personality: PersonalityName, clientIp: string): HostRefusal {
  switch (personality) {
    case 'postfix':
      return { code: 554, text: `5.7.1 <unknown[${clientIp}]>: Client host rejected: Access denied` };
    case 'exim':
      return { code: 550, text: 'Administrative prohibition' };
    case 'exchange':
      return { code: 550, text: `5.7.606 Access denied, banned sending IP [${clientIp}]` };
    case 'gmail':
      return { code: 550, text: `5.7.1 [${clientIp}] The IP you're using to send mail is not authorized to send email directly to our servers.` };
    default:
      return { code: 550, text: `5.7.1 Client host [${clientIp}] rejected: Access denied` };
  }
}
