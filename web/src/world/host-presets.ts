/**
 * "Break it" presets for the lab hosts (not the zone): each flips a switch on one receiving
 * host of the learner's world (PUT /api/world/hosts) and says what to look for in the next
 * message's journey. Each works on the current switches, so the learner's other switches survive.
 */
import type { HostSwitches } from '../../../protocol/world/host-settings.ts';

export interface HostPreset {
  readonly id: string;
  readonly title: string;
  /** The change in words. */
  readonly changes: string;
  /** What the learner should see in the next message's journey. */
  readonly lookFor: string;
  /** Its effect is an SPF, DKIM or DMARC verdict: simulated mode makes the change but cannot show it (the page signs and checks nothing). */
  readonly verdictOnly?: true;
  readonly apply: (hosts: readonly HostSwitches[]) => HostSwitches[];
}

/** The switches with `change` made to `name`'s entry. */
function change(hosts: readonly HostSwitches[], name: string, update: Partial<Omit<HostSwitches, 'name'>>): HostSwitches[] {
  return hosts.map((entry) => (entry.name === name ? { ...entry, ...update } : entry));
}

export const HOST_PRESETS: readonly HostPreset[] = [
  {
    id: 'primary-mx-down-org',
    title: 'example.org\'s primary MX is down',
    changes: 'mx1.example.org (MX 10) refuses every connection, as a host that is switched off or unreachable does.',
    lookFor: 'Send to carol@example.org: the journey shows the connection to mx1.example.org refused, then the same attempt going on to mx2.example.org (MX 20), which takes the message (RFC 5321 §5.1).',
    apply: (hosts) => change(hosts, 'mx1.example.org', { down: true }),
  },
  {
    id: 'greylisting-net',
    title: 'Greylisting on example.net',
    changes: 'mx.example.net defers the first attempt of each (sending IP, sender, recipient) with "450 4.2.0 … Greylisted" and accepts a retry 5 lab minutes later.',
    lookFor: 'Send to alice@example.net: the first attempt gets a 450 and the message waits in the queue; the retry (5 lab minutes later, about 5 s) is accepted. The Received trail shows the gap.',
    apply: (hosts) => change(hosts, 'mx.example.net', { greylisting: true }),
  },
  {
    id: 'rate-limit-net',
    title: 'example.net rate-limits the sender',
    changes: 'mx.example.net lets one sending address open 1 connection per lab minute; the next gets "421 4.7.0 … Error: too many connections" and is closed.',
    lookFor: 'Send two messages to example.net quickly: the first is delivered; the second\'s attempt ends at the greeting with 421 and waits in the queue, then goes through on a later retry.',
    apply: (hosts) => change(hosts, 'mx.example.net', { rateLimitPerLabMinute: 1 }),
  },
  {
    id: 'allow-list-net',
    title: 'example.net takes mail only from its forwarder',
    changes: 'mx.example.net accepts mail only from 203.0.113.50 (mx.forwarder.example); the sandbox at 192.0.2.10 is refused at RCPT with "554 5.7.1 <unknown[192.0.2.10]>: Client host rejected: Access denied".',
    lookFor: 'Send to alice@example.net: the 554 is permanent, so the queue does not retry; a DSN (bounce) lands in the sender\'s mailbox quoting the reply. Mail to alice@forwarder.example still reaches alice@example.net through the forwarder.',
    apply: (hosts) => change(hosts, 'mx.example.net', { allowList: ['203.0.113.50'] }),
  },
  {
    id: 'dmarc-not-enforced-net',
    verdictOnly: true,
    title: 'example.net stops enforcing DMARC',
    changes: 'mx.example.net still checks SPF, DKIM and DMARC but no longer refuses a p=reject failure.',
    lookFor: 'Send from a From address that fails DMARC (for example after the "Remove example.org\'s DKIM key" preset, From @example.org): the message is delivered, and Authentication-Results still says dmarc=fail.',
    apply: (hosts) => change(hosts, 'mx.example.net', { enforceDmarc: false }),
  },
];

/**
 * A break the default world already has, so it needs no switch: mx.forwarder.example passes
 * its mail on as a .forward does (protocol/world/lab-forwarding.ts).
 */
export const FORWARDER_NOTE = {
  title: 'A forwarder (already in the world)',
  lookFor:
    'Send from alice@example.com to carol@forwarder.example. mx.forwarder.example (203.0.113.50) passes it on to carol@example.net with the envelope sender kept and the message untouched. Open its journey in carol@example.net: three Received lines; SPF fails, because example.com\'s SPF does not list 203.0.113.50; the DKIM signature (d=example.com) survives the forward; DMARC passes on it, because one aligned pass is enough (RFC 7489 §4.2).',
} as const;
