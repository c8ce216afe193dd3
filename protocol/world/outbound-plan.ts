/**
 * What the sandbox does with each recipient of a message it accepted, decided from the sender
 * namespace's lab zone before the capture commits (the plan is stored in the same transaction,
 * so the 250 covers it):
 * - the sandbox's own domain (example.com): a copy in that lab mailbox, delivered locally;
 * - another lab domain (one the zone has records for): a row in the outbound queue;
 * - a domain outside the lab: never relayed, recorded as "no such domain in the lab", with a
 *   DSN when the sender is a lab mailbox (someone in the lab can read it).
 * The capture itself is kept as today in every case.
 */
import { LAB_USERS } from './default-world.ts';
import type { DnsRecord } from './dns-record.ts';

export interface OutboundRecipient {
  readonly recipient: string;
  readonly notInLab?: { readonly reply: string; readonly dsn: boolean };
}

export interface OutboundPlan {
  /** The sender's namespace: whose world the mail moves in. */
  readonly namespace: string;
  /** Lab ms when the sandbox accepted it (the queue's clock). */
  readonly receivedAt: number;
  readonly queue: readonly OutboundRecipient[];
  /** Recipients in the sandbox's own domain that are lab mailboxes: delivered locally. */
  readonly localMailboxes: readonly string[];
}

export interface PlanInput {
  readonly namespace: string;
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly zone: readonly DnsRecord[];
  /** The domains the sandbox itself takes mail for (example.com). */
  readonly ownDomains: readonly string[];
  readonly receivedAt: number;
}

/** Null when nothing is to be queued or delivered (then the capture is stored as before). */
export function planOutbound(input: PlanInput): OutboundPlan | null {
  const labDomains = new Set(input.zone.map((record) => record.name.toLowerCase().replace(/\.$/, '')));
  const own = new Set(input.ownDomains.map((domain) => domain.toLowerCase()));
  const senderIsLabMailbox = isLabMailbox(input.mailFrom, labDomains);
  const queue: OutboundRecipient[] = [];
  const localMailboxes: string[] = [];
  for (const recipient of input.rcptTo) {
    const domain = domainOf(recipient);
    if (own.has(domain)) {
      if (LAB_USERS.has(localPartOf(recipient))) localMailboxes.push(recipient.toLowerCase());
    } else if (labDomains.has(domain)) {
      queue.push({ recipient });
    } else {
      queue.push({ recipient, notInLab: { reply: `550 5.1.2 <${recipient}>: ${domain || 'this address'}: no such domain in the lab`, dsn: senderIsLabMailbox } });
    }
  }
  if (queue.length === 0 && localMailboxes.length === 0) return null;
  return { namespace: input.namespace, receivedAt: input.receivedAt, queue, localMailboxes };
}

/** Whether the plan gives the relay worker anything to do: a row to relay or a DSN to send. */
export function needsRelay(plan: OutboundPlan): boolean {
  return plan.queue.some((entry) => entry.notInLab === undefined || entry.notInLab.dsn);
}

function isLabMailbox(address: string, labDomains: ReadonlySet<string>): boolean {
  return address !== '' && labDomains.has(domainOf(address)) && LAB_USERS.has(localPartOf(address));
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(0, at)).toLowerCase();
}
