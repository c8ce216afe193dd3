/**
 * A lab forwarder's mail as outbound queue rows: what goes on and to whom is the one decision in
 * protocol/world/lab-forwarding.ts (shared with the page); here it becomes rows that leave from
 * the forwarder's own lab IP and name, linked to the row that brought the message.
 */
import { forwardedMail, type ForwardingHost } from '../../../protocol/world/lab-forwarding.ts';
import type { OutboundEntry } from '../outbound/outbound-queue.ts';

/** Commits the entries to the outbound queue in one transaction (its 250 means queued) and wakes the relay. */
export type ForwardMail = (entries: readonly OutboundEntry[]) => Promise<void>;

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
  const mail = forwardedMail(host, input.mailFrom, input.rcptTo, input.raw);
  const raw = Buffer.from(mail.raw.buffer, mail.raw.byteOffset, mail.raw.byteLength);
  return mail.recipients.map((recipient) => ({
    namespace: input.namespace,
    queueId: input.queueId,
    mailFrom: mail.mailFrom,
    recipient,
    clientHelo: input.clientHelo,
    clientAddress: input.clientAddress,
    raw,
    receivedAt: input.labTime,
    sendingHost: { name: host.name, ip: host.ip, forwardedFrom: input.outboundId },
  }));
}
