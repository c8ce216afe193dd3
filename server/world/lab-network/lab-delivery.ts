/**
 * What a lab MX does with a message at the end of data: asks `inspect` (mail authentication
 * plugs in here), prepends what it returned and the host's Received header, and stores one
 * copy per recipient in that recipient's lab mailbox, with what the host recorded for the
 * journey (its name, the outbound row, inspect's findings), all in one transaction. The verdict
 * comes only after the commit: a 250 means stored. A lock held by another connection is waited
 * out for a few seconds; a store that still fails is a 451 4.3.0 that says why, and the sender's
 * queue retries.
 */
import type { LabHost } from '../../../protocol/world/default-world.ts';
import type { MessageVerdict, SimulatedMessage } from '../../../protocol/simulator/index.ts';
import type { InboundAuthentication } from '../../../protocol/world/auth-verdicts.ts';
import type { LabReceipt } from '../../../protocol/world/journey.ts';
import type { DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import type { RawMailboxStore } from '../../storage/message-store.ts';
import { isBusy } from '../../storage/sqlite-errors.ts';
import { JUNK_HEADER } from '../mail-auth/dmarc-disposition.ts';
import { wireBytes } from '../../sandbox/wire-decoder.ts';
import type { LabPeer } from './lab-connections.ts';
import { forwardingHost, forwards } from '../../../protocol/world/lab-forwarding.ts';
import { forwardedEntries, type ForwardMail } from './forwarded-entries.ts';
import { labHostReceived } from '../../../protocol/world/lab-host.ts';

/**
 * Tries to store while another connection holds the write lock, each after the connection's
 * busy timeout and this wait: with the app's 250 ms, about 3 s in all before the 451, far
 * inside a client's wait for the end-of-data reply (RFC 5321 §4.5.3.2.6: 10 minutes).
 */
const STORE_TRIES = 8;
const STORE_RETRY_MS = 100;

export interface InspectInput {
  /** The message as received, before this hop's headers. */
  readonly raw: Buffer;
  readonly envelope: { readonly mailFrom: string; readonly rcptTo: readonly string[] };
  /** The sending hop's lab IP. */
  readonly fromIp: string;
  readonly helo: string;
  readonly host: LabHost;
  readonly namespace: string;
}

/** What inspect found, kept beside each delivered copy for the journey. */
export interface InspectFindings {
  readonly authentication: InboundAuthentication;
  readonly lookups: readonly DnsLookup[];
  readonly disposition: string;
}

export type InspectVerdict =
  /** `prepend`: whole header fields to add above the Received header (e.g. Authentication-Results). */
  | { readonly accept: true; readonly prepend?: readonly string[]; readonly junk?: boolean; readonly findings?: InspectFindings }
  | { readonly accept: false; readonly reply: { readonly code: number; readonly text: string } };

export type Inspect = (input: InspectInput) => Promise<InspectVerdict>;

export interface DeliveryContext {
  readonly host: LabHost;
  readonly peer: LabPeer;
  readonly store: RawMailboxStore;
  /** The lab clock, in ms: the Received header's date. */
  readonly now: () => number;
  readonly inspect?: Inspect;
  /** Where a forwarder's mail goes on (the outbound queue); without it a forwarder stores like an MX. */
  readonly forward?: ForwardMail;
  /** Parsing a stored copy failed (the copy stays, raw), or storing failed other than on a lock (the reply was 451). */
  readonly onError: (error: Error) => void;
}

export async function deliverToMailboxes(context: DeliveryContext, message: SimulatedMessage): Promise<MessageVerdict> {
  const { host, peer } = context;
  const raw = wireBytes(message.data);
  const envelope = { mailFrom: message.mailFrom, rcptTo: message.rcptTo };
  const verdict: InspectVerdict = context.inspect
    ? await context.inspect({ raw, envelope, fromIp: peer.fromIp, helo: message.clientHelo, host, namespace: peer.namespace })
    : { accept: true };
  if (!verdict.accept) return { accept: false, code: verdict.reply.code, text: verdict.reply.text };
  const labTime = context.now();
  const received = labHostReceived(host, message, peer.fromIp, labTime);
  const added = [...(verdict.junk ? [JUNK_HEADER] : []), ...(verdict.prepend ?? [])].map(headerLine).join('') + received;
  const delivered = Buffer.concat([Buffer.from(added, 'utf8'), raw]);
  for (let tries = 1; ; tries += 1) {
    try {
      await keep(context, message, delivered, labTime, verdict.findings);
      return { accept: true };
    } catch (error) {
      // A lock (a capture's commit) usually passes soon: wait it out off the event loop, as the client waits for this reply.
      if (isBusy(error) && tries < STORE_TRIES) {
        await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
        continue;
      }
      // Nothing was kept, so no 250: the sending hop's queue tries again later.
      if (!isBusy(error)) context.onError(error instanceof Error ? error : new Error(String(error)));
      const why = isBusy(error) ? ' just now (its database is busy)' : '';
      return { accept: false, code: 451, text: `4.3.0 ${host.name}: the message could not be stored in the lab mailbox${why}; try again later` };
    }
  }
}

/** Queues a forwarder's message on, or stores one copy per recipient; throws when the database cannot take it. */
async function keep(context: DeliveryContext, message: SimulatedMessage, delivered: Buffer, labTime: number, findings: InspectFindings | undefined): Promise<void> {
  const { host, peer, store } = context;
  const forwarder = forwardingHost(host);
  let kept = message.rcptTo;
  if (forwarder !== null && context.forward !== undefined) {
    const passedOn = message.rcptTo.filter((recipient) => forwards(forwarder, recipient));
    kept = message.rcptTo.filter((recipient) => !forwards(forwarder, recipient));
    // Queued before the 250 (a throw is the simulator's 451): the forwarder keeps no copy of what it passes on.
    if (passedOn.length > 0) {
      context.forward(forwardedEntries({
        host: forwarder,
        namespace: peer.namespace,
        queueId: message.queueId,
        mailFrom: message.mailFrom,
        rcptTo: passedOn,
        raw: delivered,
        clientHelo: message.clientHelo,
        clientAddress: peer.fromIp,
        outboundId: peer.outboundId ?? null,
        labTime,
      }));
    }
    if (kept.length === 0) return;
  }
  const copy = {
    queueId: message.queueId,
    receivedAt: new Date(),
    mailFrom: message.mailFrom,
    rcptTo: kept,
    raw: delivered,
    clientHelo: message.clientHelo,
    remoteAddress: peer.fromIp,
    authenticatedUser: message.authenticatedUser,
    secure: message.secure,
  };
  const lab: LabReceipt = {
    host: host.name,
    outboundId: peer.outboundId ?? null,
    authentication: findings?.authentication ?? null,
    lookups: findings?.lookups ?? [],
    disposition: findings?.disposition ?? null,
    labTime,
  };
  const refs = await store.storeRaw(kept.map((mailbox) => ({ namespace: peer.namespace, message: copy, mailbox, lab })));
  // Parsed after the reply: the raw copies are what the 250 promises.
  for (const { id } of refs) {
    store.parseStored(id).catch((error: unknown) => context.onError(error instanceof Error ? error : new Error(String(error))));
  }
}

/** A header field as given, ending in CRLF. */
function headerLine(field: string): string {
  return field.endsWith('\r\n') ? field : `${field.replace(/\r?\n$/, '')}\r\n`;
}
