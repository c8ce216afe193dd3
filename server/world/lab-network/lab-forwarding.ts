/**
 * What a lab forwarder does with a message it accepted. Two kinds, one path:
 * - a classic .forward or alias: each recipient's copy goes on to the same local part at the
 *   host's `forwardsTo` domain, with the original envelope sender kept and the message
 *   untouched below the forwarder's Received line. So the next receiver checks the original
 *   sender's SPF against the forwarder's IP (it fails), while the original DKIM signature still
 *   verifies (RFC 7489 §4.2: one aligned pass is enough);
 * - a mailing list: mail to the list address goes to every member with a List-Id header and a
 *   footer appended to the body, the From and DKIM-Signature kept, and MAIL FROM rewritten to
 *   the list's bounce address (as list software does, so bounces reach the list). So SPF passes
 *   for the list's domain, which is not the From domain, and the body hash no longer matches
 *   (RFC 6376 §3.7): neither identifier aligns, and DMARC fails.
 * Both leave from the forwarder's own lab IP and name, and neither signs again.
 */
import type { LabHost, MailingList } from '../../../protocol/world/default-world.ts';
import type { OutboundEntry } from '../outbound/outbound-queue.ts';

/** Commits the entries to the outbound queue in one transaction (its 250 means queued) and wakes the relay. */
export type ForwardMail = (entries: readonly OutboundEntry[]) => void;

/** A forwarder host that has somewhere to send its mail (a `forwardsTo` domain or a `list`). */
export type ForwardingHost = LabHost & { readonly forwarding: { readonly forwardsTo: string } | { readonly list: MailingList } };

export interface ForwardInput {
  readonly host: ForwardingHost;
  readonly namespace: string;
  readonly queueId: string;
  readonly mailFrom: string;
  /** The recipients it forwards (forwards() chose them). */
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
  const { host } = input;
  const { forwarding } = host;
  const list = 'list' in forwarding ? forwarding.list : null;
  const recipients = 'list' in forwarding ? [...new Set(forwarding.list.members)] : input.rcptTo.map((recipient) => `${localPartOf(recipient)}@${forwarding.forwardsTo}`);
  // A bounce (null sender) keeps its null sender: it must never be bounced (RFC 5321 §4.5.5).
  const mailFrom = list !== null && input.mailFrom !== '' ? list.bounces : input.mailFrom;
  const raw = list !== null ? listCopy(input.raw, list) : input.raw;
  return recipients.map((recipient) => ({
    namespace: input.namespace,
    queueId: input.queueId,
    mailFrom,
    recipient,
    clientHelo: input.clientHelo,
    clientAddress: input.clientAddress,
    raw,
    receivedAt: input.labTime,
    sendingHost: { name: host.name, ip: host.ip, forwardedFrom: input.outboundId },
  }));
}

/** The forwarding host when `host` is a forwarder that has somewhere to forward to. */
export function forwardingHost(host: LabHost): ForwardingHost | null {
  if (host.role !== 'forwarder') return null;
  if (host.list !== undefined) return { ...host, forwarding: { list: host.list } };
  return host.forwardsTo !== undefined ? { ...host, forwarding: { forwardsTo: host.forwardsTo } } : null;
}

/** Whether the forwarder passes `recipient` on; a list keeps mail to its bounce address (list software reads it). */
export function forwards(host: ForwardingHost, recipient: string): boolean {
  return !('list' in host.forwarding) || recipient.toLowerCase() === host.forwarding.list.address.toLowerCase();
}

/** The local parts a forwarder takes mail for, when it is not the lab mailboxes (a list's two addresses). */
export function listMailboxes(host: LabHost): readonly string[] | null {
  return host.list === undefined ? null : [host.list.address, host.list.bounces].map(localPartOf);
}

/** The message with the list's List-Id on top and its footer after the body. */
function listCopy(raw: Buffer, list: MailingList): Buffer {
  const [name, domain] = [localPartOf(list.address), list.address.slice(list.address.lastIndexOf('@') + 1)];
  const endsInLine = raw.length >= 2 && raw[raw.length - 2] === 0x0d && raw[raw.length - 1] === 0x0a;
  return Buffer.concat([Buffer.from(`List-Id: <${name}.${domain}>\r\n`), raw, Buffer.from(endsInLine ? '' : '\r\n'), Buffer.from(list.footer)]);
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
