/**
 * What a receiving lab MX does with a message after DMARC (RFC 7489 §6.6.2 step 6), as a
 * server with a DMARC milter would: a failure under an enforced `p=reject` is refused at end of
 * data in the receiving personality's words (so the sending MTA bounces it); under
 * `p=quarantine` it is delivered marked as junk with an `X-Spam-Flag: YES` header field (the
 * lab's mailbox has no spam folder; the header is the one SpamAssassin adds and real mail
 * clients filter on, so what a learner sees here is what they meet in real mail);
 * under `p=none`, a pass or no policy it is delivered. A host with enforcement switched off
 * delivers and records "policy not enforced". `pct` (RFC 7489 §6.6.4) is honoured: a failing
 * message outside the sampled percentage gets the next less strict policy.
 */
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { GMAIL_SESSION_ID } from '../../../protocol/simulator/personalities/modelled/gmail-personality.ts';
import type { DmarcPolicy, DmarcVerdict } from '../../../protocol/world/auth-verdicts.ts';

/** The header field a quarantined message is delivered with (the lab network adds it). */
export const JUNK_HEADER = 'X-Spam-Flag: YES';

export interface DmarcRefusal {
  readonly code: 550;
  /** The reply text after the code, enhanced status code first. */
  readonly text: string;
  /** Where the words come from, or that they are the lab's own. */
  readonly source: string;
}

export type DmarcDisposition =
  | { readonly action: 'refuse'; readonly reply: DmarcRefusal; readonly note: string }
  | { readonly action: 'deliver'; readonly junk: boolean; readonly note: string };

export interface DispositionOptions {
  /** The receiving host's DMARC enforcement switch (`LabHost.enforceDmarc`). */
  readonly enforce: boolean;
  readonly personality: PersonalityName;
  /** A number in [0, 1) compared with pct/100; injected so tests choose it. */
  readonly sample?: () => number;
}

/**
 * The refusal each personality would give:
 * - postfix: Postfix passes on a milter's reply as it is; OpenDMARC's is
 *   `550 5.7.1 rejected by DMARC policy for <domain>` (opendmarc.c, DMARC_REJECT_SMTP/ESC).
 * - gmail: Gmail's long-published `550 5.7.26` text for an unauthenticated DMARC failure,
 *   ending like every Gmail error in "<session id> - gsmtp".
 * - exchange: Exchange Online's NDR `550 5.7.509` ("Fix NDR error 550 5.7.509", Microsoft Learn).
 * - exim and smtp-server publish no DMARC refusal (Exim's text is whatever the admin writes in
 *   the ACL; smtp-server has no DMARC): a generic text, labelled as the lab's.
 */
function refusal(personality: PersonalityName, domain: string): DmarcRefusal {
  switch (personality) {
    case 'postfix':
      return { code: 550, text: `5.7.1 rejected by DMARC policy for ${domain}`, source: 'OpenDMARC milter reply, passed on by Postfix' };
    case 'gmail':
      return {
        code: 550,
        text: `5.7.26 Unauthenticated email from ${domain} is not accepted due to domain's DMARC policy. Please contact the administrator of ${domain} domain if this was a legitimate mail. ${GMAIL_SESSION_ID} - gsmtp`,
        source: "Gmail's published 550 5.7.26 DMARC rejection",
      };
    case 'exchange':
      return {
        code: 550,
        text: `5.7.509 Access denied, sending domain [${domain}] does not pass DMARC verification and has a DMARC policy of reject.`,
        source: "Exchange Online's NDR 550 5.7.509",
      };
    case 'exim':
    case 'smtp-server':
      return { code: 550, text: `5.7.1 Message rejected: DMARC policy of ${domain} is reject`, source: `generic lab text (${personality} publishes no DMARC refusal)` };
  }
}

/** RFC 7489 §6.6.4: outside the pct sample, reject becomes quarantine and quarantine becomes none. */
function sampledPolicy(policy: DmarcPolicy, pct: number, sample: () => number): DmarcPolicy {
  if (pct >= 100 || sample() * 100 < pct) return policy;
  return policy === 'reject' ? 'quarantine' : 'none';
}

export function dispositionFor(dmarc: DmarcVerdict, options: DispositionOptions): DmarcDisposition {
  if (dmarc.result === 'pass') return { action: 'deliver', junk: false, note: 'DMARC passed: delivered.' };
  if (dmarc.result !== 'fail' || dmarc.policy === null) {
    return { action: 'deliver', junk: false, note: `DMARC ${dmarc.result}: no policy to apply, delivered.` };
  }
  if (!options.enforce) {
    return { action: 'deliver', junk: false, note: `DMARC failed with p=${dmarc.policy}, but this server does not enforce DMARC: policy not enforced, delivered.` };
  }
  const policy = sampledPolicy(dmarc.policy, dmarc.pct, options.sample ?? Math.random);
  const sampled = policy === dmarc.policy ? '' : ` (outside pct=${dmarc.pct}, so p=${policy} applied instead of p=${dmarc.policy})`;
  switch (policy) {
    case 'reject':
      return { action: 'refuse', reply: refusal(options.personality, dmarc.fromDomain), note: `DMARC failed with p=reject: refused at end of data.` };
    case 'quarantine':
      return { action: 'deliver', junk: true, note: `DMARC failed with p=quarantine${sampled}: delivered marked as junk (${JUNK_HEADER}).` };
    case 'none':
      return { action: 'deliver', junk: false, note: `DMARC failed with p=none${sampled}: the domain asks only for reports, delivered.` };
  }
}
