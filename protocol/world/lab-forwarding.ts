/**
 * What a lab forwarder does with a message it accepted, the same in the lab server and in the
 * page. Two kinds, one path:
 * - a classic .forward or alias: each recipient's copy goes on to the same local part at the
 *   host's `forwardsTo` domain, with the original envelope sender kept and the message
 *   untouched below the forwarder's Received line. So the next receiver checks the original
 *   sender's SPF against the forwarder's IP (it fails), while the original DKIM signature still
 *   verifies (RFC 7489 §4.2: one aligned pass is enough);
 * - a mailing list: mail to the list address goes to every member with a List-Id header and a
 *   footer appended to the body, the From and DKIM-Signature kept, and MAIL FROM rewritten to
 *   the list's bounce address (as list software does, so bounces reach the list). So SPF passes
 *   for the list's domain, which is not the From domain, and the body hash no longer matches
 *   (RFC 6376 §3.7): neither identifier aligns, and DMARC fails. Mail to the bounce address
 *   stays at the list host (list software reads it).
 * Both leave from the forwarder's own lab IP and name, and neither signs again.
 */
import type { LabHost, MailingList } from './default-world.ts';

/** A forwarder host that has somewhere to send its mail (a `forwardsTo` domain or a `list`). */
export type ForwardingHost = LabHost & { readonly forwarding: { readonly forwardsTo: string } | { readonly list: MailingList } };

/** The message a forwarder passes on: its envelope and bytes (its own Received line on top already). */
export interface ForwardedMail {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly raw: Uint8Array;
}

/** The forwarding host when `host` is a forwarder that has somewhere to forward to. */
export function forwardingHost(host: LabHost): ForwardingHost | null {
  if (host.role !== 'forwarder') return null;
  if (host.list !== undefined) return { ...host, forwarding: { list: host.list } };
  return host.forwardsTo !== undefined ? { ...host, forwarding: { forwardsTo: host.forwardsTo } } : null;
}

/** Whether the forwarder passes `recipient` on; a list keeps mail to its bounce address. */
export function forwards(host: ForwardingHost, recipient: string): boolean {
  return !('list' in host.forwarding) || recipient.toLowerCase() === host.forwarding.list.address.toLowerCase();
}

/** The local parts a forwarder takes mail for, when it is not the lab mailboxes (a list's two addresses). */
export function listMailboxes(host: LabHost): readonly string[] | null {
  return host.list === undefined ? null : [host.list.address, host.list.bounces].map(localPartOf);
}

/** What goes on for `rcptTo` (the recipients forwards() chose), from a message that arrived with `mailFrom`. */
export function forwardedMail(host: ForwardingHost, mailFrom: string, rcptTo: readonly string[], raw: Uint8Array): ForwardedMail {
  const { forwarding } = host;
  if (!('list' in forwarding)) {
    return { mailFrom, recipients: rcptTo.map((recipient) => `${localPartOf(recipient)}@${forwarding.forwardsTo}`), raw };
  }
  const { list } = forwarding;
  // A bounce (null sender) keeps its null sender: it must never be bounced (RFC 5321 §4.5.5).
  return { mailFrom: mailFrom === '' ? '' : list.bounces, recipients: [...new Set(list.members)], raw: listCopy(raw, list) };
}

const encoder = new TextEncoder();

/** The message with the list's List-Id on top and its footer after the body. */
function listCopy(raw: Uint8Array, list: MailingList): Uint8Array {
  const [name, domain] = [localPartOf(list.address), list.address.slice(list.address.lastIndexOf('@') + 1)];
  const endsInLine = raw.length >= 2 && raw[raw.length - 2] === 0x0d && raw[raw.length - 1] === 0x0a;
  const parts = [encoder.encode(`List-Id: <${name}.${domain}>\r\n`), raw, encoder.encode(endsInLine ? '' : '\r\n'), encoder.encode(list.footer)];
  const copy = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    copy.set(part, at);
    at += part.length;
  }
  return copy;
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
