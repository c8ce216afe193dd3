/**
 * How a receiving lab MX host treats one connection, the same in the lab server (a real TCP
 * listener per host) and in the page (a simulated server per host):
 * - at connect: down (nothing answers), or a rate limit per sender (421, then closed);
 * - at RCPT (its LocalRecipients): only its domains' mailboxes (a mailing list host: its
 *   list's two addresses), `alice+tag` delivered to alice, a client off the allow-list refused
 *   (client restrictions come before sender restrictions, Postfix's order, so a refused client's
 *   sender is never looked at), a sender whose domain publishes a null MX refused with 5.7.27
 *   (RFC 7505 §4.2), greylisting on the lab clock, and a forwarder's queue being full.
 * Where it runs keeps the state (the greylist, the rate counters) and the server-only checks
 * (the queue cap's database count), and passes them in.
 */
import type { SimulatedMessage } from '../simulator/index.ts';
import type { LocalRecipients, RecipientReply } from '../simulator/local-recipients.ts';
import type { ConnectionRate } from './connection-rate.ts';
import { LAB_USERS, type LabHost } from './default-world.ts';
import type { DnsRecord } from './dns-record.ts';
import { greylistReply, type GreylistTriplets } from './greylisting.ts';
import { accessDeniedRefusal, rateLimitRefusal, type HostRefusal } from './host-refusals.ts';
import type { HostSwitches } from './host-settings.ts';
import { listMailboxes } from './lab-forwarding.ts';
import { nullMxSenderRefusal } from './null-mx-sender.ts';
import { receivedHeader } from './received-header.ts';

export interface LabHostConnection {
  readonly host: LabHost;
  readonly switches: HostSwitches;
  /** The sending hop's lab IP, as the host sees it. */
  readonly fromIp: string;
  /**
   * Who the host counts this sender as for its rate limit and greylist: the lab IP, with the
   * namespace in front on the server, where each student's world counts on its own.
   */
  readonly senderKey: string;
}

export type ConnectionAdmission =
  | { readonly kind: 'open' }
  /** Nothing answers: to a sending MTA, a refused connection (RFC 5321 §5.1: try the next MX). */
  | { readonly kind: 'down'; readonly reason: string }
  /** Greets with this refusal and closes. */
  | { readonly kind: 'refused'; readonly reply: HostRefusal };

/** Whether the host answers this connection at all. `rate` is the host's counters, kept across connections. */
export function admitConnection(connection: LabHostConnection, rate: ConnectionRate, labNow: number): ConnectionAdmission {
  const { host, switches } = connection;
  if (switches.down) return { kind: 'down', reason: hostDownReason(host.name) };
  if (switches.rateLimitPerLabMinute !== null && !rate.admit(connection.senderKey, switches.rateLimitPerLabMinute, labNow)) {
    return { kind: 'refused', reply: rateLimitRefusal(host.personality, host.name, connection.fromIp) };
  }
  return { kind: 'open' };
}

/** The error text of a connect to a host switched down, naming it. */
export function hostDownReason(hostName: string): string {
  return `connect ECONNREFUSED: ${hostName} is down in this lab world (its host switch "down" is on)`;
}

export interface LabHostRecipientsInput extends LabHostConnection {
  /** The sender's zone as it is now: a sender domain with a null MX there is refused. Null: no such check. */
  readonly zone: readonly DnsRecord[] | null;
  /** The host's greylist, kept across connections (used when its switch is on). */
  readonly greylist: GreylistTriplets;
  /** A forwarder's check that the queue it fills has room for `recipient`: a refusal (452 4.3.1) or null. */
  readonly queueFull?: (recipient: string) => RecipientReply | null;
}

/** Whose mail the host takes on this connection, and what it refuses or defers at RCPT. */
export function labHostRecipients(input: LabHostRecipientsInput): LocalRecipients {
  const { host, switches, fromIp, senderKey, greylist, queueFull } = input;
  const listUsers = listMailboxes(host);
  const allowed = switches.allowList === null || switches.allowList.includes(fromIp.toLowerCase());
  const hostDeferral: LocalRecipients['defer'] = !allowed
    ? () => accessDeniedRefusal(host.personality, fromIp)
    : switches.greylisting
      ? (from, recipient) => (greylist.admits(senderKey, from, recipient) ? null : greylistReply(host.personality, recipient))
      : undefined;
  const zone = allowed ? input.zone : null;
  return {
    domains: host.domains.map((domain) => domain.toLowerCase()),
    // A mailing list host takes mail for its list's addresses only; every other host for the lab mailboxes.
    users: listUsers === null ? LAB_USERS : new Set(listUsers.map((user) => user.toLowerCase())),
    ...(zone === null ? {} : { refuseSender: (from: string) => nullMxSenderRefusal(zone, host.personality, from) }),
    // Every lab MX, whatever its personality, delivers alice+tag to alice.
    recipientDelimiter: '+',
    ...(hostDeferral !== undefined || queueFull !== undefined
      ? { defer: (from: string, recipient: string) => hostDeferral?.(from, recipient) ?? queueFull?.(recipient) ?? null }
      : {}),
  };
}

/** Two addresses the host takes mail for: what the console and the statechart suggest at RCPT. */
export function labHostMailboxes(host: LabHost): readonly [string, string] {
  const list = listMailboxes(host);
  const [first, second] = list ?? ['alice', 'bob'];
  const domain = host.domains[0] ?? host.name;
  return [`${first ?? 'alice'}@${domain}`, `${second ?? 'bob'}@${domain}`];
}

/** The Received header the host prepends to a message it accepted from `fromIp` (RFC 5321 §4.4), in its personality's layout. */
export function labHostReceived(host: LabHost, message: SimulatedMessage, fromIp: string, labTime: number): string {
  return receivedHeader(host.personality, {
    helo: message.clientHelo,
    clientAddress: fromIp,
    serverHostname: host.name,
    protocol: message.secure ? 'ESMTPS' : 'ESMTP',
    queueId: message.queueId,
    recipients: message.rcptTo,
    date: new Date(labTime),
    envelopeFrom: message.mailFrom,
  });
}
