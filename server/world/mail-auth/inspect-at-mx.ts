/**
 * The check every receiving lab MX runs at end of data, as a Postfix with SPF, DKIM and DMARC
 * milters would: mailauth with the lab resolver over the namespace's own zone (a learner's DNS
 * edits change their verdicts, nobody else's), the connection as the MX saw it, then the DMARC
 * policy under the host's enforcement switch. A refusal is the personality's 5.7.x reply (the
 * sending MTA bounces it); otherwise the message is delivered with Authentication-Results
 * (RFC 8601) above the host's Received header, marked as junk under p=quarantine, and the
 * verdicts and DNS questions go beside the copy for the journey.
 */
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import type { Inspect } from '../lab-network/lab-delivery.ts';
import { dispositionFor } from './dmarc-disposition.ts';
import { verifyWithZone, type VerifyWithZone } from './verify-with-zone.ts';

export interface MxInspectOptions {
  /** The namespace's lab zone (ZoneStore.records). */
  readonly zoneOf: (namespace: string) => Promise<readonly DnsRecord[]>;
  /** Names whose DNS does not answer (the default world's `unreachable`). */
  readonly unreachable?: readonly string[];
  /** A number in [0, 1) for DMARC's pct sampling; Math.random when absent. */
  readonly sample?: () => number;
  /** Runs the check (the mail-auth worker's `verify` in the live process); in this thread when absent. */
  readonly verify?: VerifyWithZone;
}

export function inspectAtMx(options: MxInspectOptions): Inspect {
  const verify = options.verify ?? verifyWithZone;
  return async ({ raw, envelope, fromIp, helo, host, namespace }) => {
    const { authentication, lookups } = await verify(raw, {
      connection: { ip: fromIp, helo, sender: envelope.mailFrom, mta: host.name },
      zone: await options.zoneOf(namespace),
      ...(options.unreachable ? { unreachable: options.unreachable } : {}),
    });
    const disposition = dispositionFor(authentication.dmarc, {
      enforce: host.enforceDmarc,
      personality: host.personality,
      ...(options.sample ? { sample: options.sample } : {}),
    });
    if (disposition.action === 'refuse') return { accept: false, reply: { code: disposition.reply.code, text: disposition.reply.text } };
    return {
      accept: true,
      prepend: authentication.authenticationResults === '' ? [] : [authentication.authenticationResults],
      junk: disposition.junk,
      findings: { authentication, lookups, disposition: disposition.note },
    };
  };
}
