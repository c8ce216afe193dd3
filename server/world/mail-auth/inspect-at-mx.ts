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
import { createLabResolver, type DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import type { Inspect } from '../lab-network/lab-delivery.ts';
import { dispositionFor } from './dmarc-disposition.ts';
import { verifyInbound } from './verify-inbound.ts';

export interface MxInspectOptions {
  /** The namespace's lab zone (ZoneStore.records). */
  readonly zoneOf: (namespace: string) => readonly DnsRecord[];
  /** Names whose DNS does not answer (the default world's `unreachable`). */
  readonly unreachable?: readonly string[];
  /** A number in [0, 1) for DMARC's pct sampling; Math.random when absent. */
  readonly sample?: () => number;
}

export function inspectAtMx(options: MxInspectOptions): Inspect {
  return async ({ raw, envelope, fromIp, helo, host, namespace }) => {
    const lookups: DnsLookup[] = [];
    const resolver = createLabResolver(options.zoneOf(namespace), {
      onLookup: (lookup) => lookups.push(lookup),
      ...(options.unreachable ? { unreachable: options.unreachable } : {}),
    });
    const { authentication } = await verifyInbound(raw, { ip: fromIp, helo, sender: envelope.mailFrom, mta: host.name, resolver });
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
