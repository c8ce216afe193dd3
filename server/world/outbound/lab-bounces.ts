/**
 * The relay worker's bounces port: the RFC 3464 report built by protocol/mail/dsn, and its
 * delivery to the envelope sender's lab mailbox. A sender in the sandbox's own domain gets it
 * locally; one in another lab domain gets it through the queue with the null reverse-path
 * (RFC 5321 §4.5.5: a bounce is never bounced), signed by the sandbox's domain so the
 * receiver's DMARC check passes; a sender outside the lab has no mailbox to read it in.
 * A report for a forwarder's or list host's own hop is that host's: MAILER-DAEMON there, sent
 * from its name and lab IP, and unsigned (the host has no key, as list software's bounces are).
 */
import { randomUUID } from 'node:crypto';
import { buildDsn } from '../../../protocol/mail/dsn/build-dsn.ts';
import type { DsnInput } from '../../../protocol/mail/dsn/dsn-types.ts';
import { failureDsnInput } from '../../../protocol/mail/dsn/failure-dsn.ts';
import { newQueueId } from '../../sandbox/queue-id.ts';
import type { RawMailboxStore } from '../../storage/message-store.ts';
import { LAB_USERS } from '../../../protocol/world/default-world.ts';
import { domainOf } from '../../../protocol/world/outbound-plan.ts';
import type { OutboundQueue } from './outbound-queue.ts';
import type { Bounces, DsnRequest, HostAddress } from './relay-worker.ts';

export interface LabBouncesOptions {
  readonly hostname: string;
  readonly ip: string;
  /** The sandbox's own domains: their senders get the report in their local mailbox. */
  readonly ownDomains: readonly string[];
  /** Whether a domain is one of the namespace's lab domains (reachable through the queue). */
  readonly isLabDomain: (namespace: string, domain: string) => boolean;
  readonly store: RawMailboxStore;
  readonly queue: Pick<OutboundQueue, 'enqueue'>;
  /** Signs a report that leaves the sandbox (DKIM as the sandbox's domain). */
  readonly sign: (raw: Buffer) => Promise<Buffer>;
  /** Lab ms. */
  readonly labNow: () => number;
  /** A report was queued: look for work. */
  readonly queued: () => void;
  readonly log: (line: string) => void;
}

export function labBounces(options: LabBouncesOptions): Bounces {
  const own = new Set(options.ownDomains.map((domain) => domain.toLowerCase()));
  return {
    build: (request) => Buffer.from(buildDsn(dsnInput(request))),
    async deliver(namespace, recipient, dsn, from) {
      const sender: HostAddress = from ?? { name: options.hostname, ip: options.ip };
      const domain = domainOf(recipient);
      if (own.has(domain) && isLabUser(recipient)) {
        const message = {
          queueId: newQueueId(),
          receivedAt: new Date(),
          mailFrom: '',
          rcptTo: [recipient],
          raw: dsn,
          // Filed as the sandbox's own writing (the journey reads it so); the report names the host that failed.
          clientHelo: options.hostname,
          remoteAddress: options.ip,
          authenticatedUser: null,
          secure: false,
        };
        const [stored] = await options.store.storeRaw([{ namespace, message, mailbox: recipient }]);
        if (stored !== undefined) options.store.parseStored(stored.id).catch((error: unknown) => options.log(`bounce: parsing the report failed: ${String(error)}`));
        return;
      }
      if (own.has(domain) || !options.isLabDomain(namespace, domain)) {
        options.log(`bounce: ${recipient} is not a lab mailbox; the report is dropped`);
        return;
      }
      options.queue.enqueue([
        {
          namespace,
          queueId: newQueueId(),
          mailFrom: '',
          recipient,
          clientHelo: sender.name,
          clientAddress: sender.ip,
          raw: from === null ? await options.sign(dsn) : dsn,
          receivedAt: options.labNow(),
          // Not a forwarded message: no row brought it to the host.
          ...(from === null ? {} : { sendingHost: { ...from, forwardedFrom: null } }),
        },
      ]);
      options.queued();
    },
  };
}

const isLabUser = (address: string) => LAB_USERS.has(address.slice(0, address.lastIndexOf('@')).toLowerCase());

/** The relay worker's request in buildDsn's terms: the reporting MTA is MAILER-DAEMON's host and the Message-ID's. */
function dsnInput(request: DsnRequest): DsnInput {
  const host = request.reportingMta;
  return failureDsnInput({ ...request, mailerDaemonHost: host, originalHeaders: headerSection(request.original), messageId: `${randomUUID()}@${host}` });
}

/** The header section of a message (up to the first empty line), as text. */
function headerSection(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const lfEnd = end < 0 ? raw.indexOf('\n\n') : end;
  return raw.subarray(0, lfEnd < 0 ? raw.length : lfEnd).toString('utf8');
}
