/**
 * What a lab forwarder does with a message it accepted, as a classic .forward or alias does:
 * each recipient's copy goes on to the same local part at the host's `forwardsTo` domain, in
 * the sender's world, from the forwarder's own lab IP and name, with the original envelope
 * sender kept and the message untouched below the forwarder's Received line. So the next
 * receiver checks the original sender's SPF against the forwarder's IP (it fails), while the
 * original DKIM signature still verifies (RFC 7489 §4.2: one aligned pass is enough).
 */
import type { LabHost } from '../../../protocol/world/default-world.ts';
import type { OutboundEntry } from '../outbound/outbound-queue.ts';

/** Commits the entries to the outbound queue in one transaction (its 250 means queued) and wakes the relay. */
export type ForwardMail = (entries: readonly OutboundEntry[]) => void;

export interface ForwardInput {
  readonly host: LabHost & { readonly forwardsTo: string };
  readonly namespace: string;
  readonly queueId: string;
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** The message as the forwarder passes it on: its Received line on top. */
  readonly raw: Buffer;
  /** The hop that brought it: the next hop's Received line is not the forwarder's business. */
  readonly clientHelo: string;
  readonly clientAddress: string;
  /** The outbound row that brought it here, when the sandbox relayed it. */
  readonly outboundId: number | null;
  /** Lab ms. */
  readonly labTime: number;
}

export function forwardedEntries(input: ForwardInput): OutboundEntry[] {
  return input.rcptTo.map((recipient) => ({
    namespace: input.namespace,
    queueId: input.queueId,
    mailFrom: input.mailFrom,
    recipient: `${localPartOf(recipient)}@${input.host.forwardsTo}`,
    clientHelo: input.clientHelo,
    clientAddress: input.clientAddress,
    raw: input.raw,
    receivedAt: input.labTime,
    sendingHost: { name: input.host.name, ip: input.host.ip, forwardedFrom: input.outboundId },
  }));
}

/** The forwarding target when `host` is a forwarder that has one. */
export function forwardingHost(host: LabHost): (LabHost & { readonly forwardsTo: string }) | null {
  return host.role === 'forwarder' && host.forwardsTo !== undefined ? { ...host, forwardsTo: host.forwardsTo } : null;
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
