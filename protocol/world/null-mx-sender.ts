/**
 * A lab MX refuses mail whose envelope sender's domain publishes a null MX (RFC 7505 §4.2):
 * that domain takes no mail, so no reply or bounce could ever reach the sender. RFC 7505
 * registers 5.7.27 "Sender address has null MX" for the refusal, with reply code 550.
 *
 * Postfix does this with reject_unknown_sender_domain; src/smtpd/smtpd_check.c,
 * reject_unknown_mailhost():
 *   if (dns_status == DNS_NULLMX)
 *     return (smtpd_check_reject(state, MAIL_ERROR_POLICY,
 *       strcmp(reply_class, SMTPD_NAME_SENDER) == 0 ? 550 : 556,
 *       strcmp(reply_class, SMTPD_NAME_SENDER) == 0 ? "4.7.27" : "4.1.10",
 *       "<%s>: %s rejected: Domain %s does not accept mail (nullMX)", reply_name, reply_class, name));
 * with SMTPD_NAME_SENDER "Sender address" (smtpd_dsn_fix.h) and the enhanced code's class set
 * to the reply's (5.7.27). With smtpd_delay_reject=yes (the default) smtpd_check_rcpt() applies
 * the sender restrictions at RCPT TO, so Postfix says 250 to MAIL FROM and refuses at RCPT.
 * The lab's MX hosts all refuse at RCPT (Exim's default configuration, too, verifies the sender
 * in its RCPT ACL); Exim, Gmail and Exchange publish no words of their own for this, so theirs
 * are RFC 7505's registered text with its code.
 *
 * The null sender `<>` has no domain and is never refused: bounces must get through (RFC 5321 §4.5.5).
 * Only the null MX is modelled, not the rest of reject_unknown_sender_domain (a sender domain
 * missing from the zone is accepted).
 */
import type { PersonalityName } from '../sandbox-config.ts';
import { canonicalName, parseMxValue, targetName, type DnsRecord } from './dns-record.ts';
import type { HostRefusal } from './host-refusals.ts';

/** RFC 7505 §4.2's reply code and registered enhanced status text. */
const NULL_MX_SENDER_REPLY = { code: 550, enhanced: '5.7.27', text: 'Sender address has null MX' } as const;

/** How many CNAMEs are followed, as the lab resolver does. */
const MAX_CNAME_HOPS = 8;

/**
 * True when `domain`'s MX answer in `records` is the null MX: a single MX `0 .` (RFC 7505 §3),
 * after following CNAMEs as an MX lookup does.
 */
export function publishesNullMx(records: readonly DnsRecord[], domain: string): boolean {
  let name = canonicalName(domain);
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const atName = records.filter((record) => canonicalName(record.name) === name);
    const cname = atName.find((record) => record.type === 'CNAME');
    if (cname !== undefined) {
      name = targetName(cname.value);
      continue;
    }
    const mx = atName.filter((record) => record.type === 'MX').map((record) => parseMxValue(record.value));
    return mx.length === 1 && mx[0]?.exchange === '';
  }
  return false;
}

/** The domain of an envelope sender, or null for the null sender and a bare local part. */
function senderDomain(sender: string): string | null {
  const at = sender.lastIndexOf('@');
  return at < 0 || at === sender.length - 1 ? null : sender.slice(at + 1);
}

/** The refusal of mail from `sender` when its domain publishes a null MX in `records`, in the personality's words; else null. */
export function nullMxSenderRefusal(records: readonly DnsRecord[], personality: PersonalityName, sender: string): HostRefusal | null {
  const domain = senderDomain(sender);
  if (domain === null || !publishesNullMx(records, domain)) return null;
  if (personality === 'postfix') {
    return { code: 550, text: `5.7.27 <${sender}>: Sender address rejected: Domain ${domain} does not accept mail (nullMX)` };
  }
  return { code: NULL_MX_SENDER_REPLY.code, text: `${NULL_MX_SENDER_REPLY.enhanced} ${NULL_MX_SENDER_REPLY.text}` };
}
