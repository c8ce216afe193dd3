/**
 * The sending side of the lab world, put together: the outbound queue on the app's database,
 * the relay worker (hops through the lab network, DKIM signing at the sending domain, DSNs
 * back to the envelope sender) and the plan the sandbox's capture commits with each message.
 */
import type { LabHost } from '../../../protocol/world/default-world.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import type { BehaviourReply } from '../../../protocol/simulator/server-behaviours.ts';
import type { CapturedMessage } from '../../sandbox/captured-message.ts';
import type { RawMailboxStore } from '../../storage/message-store.ts';
import type { SqlDatabase } from '../../storage/sql/sql-database.ts';
import type { DkimKeys } from '../dkim-keys.ts';
import type { LabClock } from '../lab-clock.ts';
import { signOutbound, type SignOutcome } from '../mail-auth/sign-outbound.ts';
import type { ZoneStore } from '../zone-store.ts';
import { labBounces } from './lab-bounces.ts';
import { planOutbound, type OutboundPlan } from '../../../protocol/world/outbound-plan.ts';
import { OutboundQueue, type OutboundEntry, type WaitingPage } from './outbound-queue.ts';
import { DEFAULT_MAX_QUEUED, queueFullReply, queueUncheckedReply } from './queue-cap.ts';
import { startRelayWorker, type LabConnect } from './relay-worker.ts';

export interface OutboundOptions {
  readonly db: SqlDatabase;
  readonly clock: LabClock;
  readonly zones: Pick<ZoneStore, 'records'>;
  readonly hosts: readonly LabHost[];
  readonly unreachable: readonly string[];
  readonly dkimKeys: DkimKeys;
  /** Signs as the sending domain (the mail-auth worker's `sign` in the live process); signOutbound in this thread when absent. */
  readonly signer?: (raw: Buffer, domain: string) => Promise<SignOutcome>;
  readonly connect: LabConnect;
  readonly store: RawMailboxStore;
  readonly lifetimeMs?: number;
  /** Rows the relay worker has in flight at once (its default when absent). */
  readonly concurrency?: number;
  /** Waiting rows a namespace may have before relayed recipients are refused at RCPT (default DEFAULT_MAX_QUEUED). */
  readonly maxQueued?: number;
  readonly log: (line: string) => void;
}

export interface Outbound {
  /** What the capture commits with `message` besides the capture itself; null for nothing. */
  plan(namespace: string, message: Pick<CapturedMessage, 'queueId' | 'mailFrom' | 'rcptTo'>): Promise<OutboundPlan | null>;
  /** The sandbox's RCPT check: 452 4.3.1 for a recipient that would be relayed while `namespace`'s queue is at its cap. */
  recipientRefusal(namespace: string, recipient: string): Promise<BehaviourReply | null>;
  /**
   * The same check for every recipient of one connection or message, decided on the zone and
   * the queue's count as read now (an RCPT hook that cannot wait for the database calls it).
   */
  recipientRefusals(namespace: string): Promise<RecipientCheck>;
  /** A lab forwarder's mail: committed to the queue in one transaction, then relayed. */
  forward(entries: readonly OutboundEntry[]): Promise<void>;
  /** A capture with a plan committed: look for work now. */
  wake(): void;
  waiting(namespace: string): Promise<WaitingPage>;
  /** Stops the relay worker (attempts in flight finish). */
  stop(): Promise<void>;
}

/** A refusal for a recipient, or null to take it. */
export type RecipientCheck = (recipient: string) => BehaviourReply | null;

export function startOutbound(options: OutboundOptions): Outbound {
  const { db, clock, zones, log } = options;
  const sandbox = options.hosts.find((host) => host.role === 'sandbox');
  if (sandbox === undefined) throw new Error('The lab world has no sandbox host to send from.');
  const queue = new OutboundQueue(db, options.lifetimeMs === undefined ? {} : { lifetimeMs: options.lifetimeMs });
  const isLabDomain = async (namespace: string, domain: string) => (await zones.records(namespace)).some((record) => record.name.toLowerCase() === domain);
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const signer = options.signer ?? ((raw: Buffer, domain: string) => signOutbound(raw, domain, options.dkimKeys));
  const sign = async (raw: Buffer, domain: string) => (await signer(raw, domain)).raw;
  const relay = startRelayWorker({
    queue,
    clock,
    zoneOf: (namespace) => zones.records(namespace),
    connect: options.connect,
    unreachable: options.unreachable,
    sign,
    bounces: labBounces({
      hostname: sandbox.name,
      ip: sandbox.ip,
      ownDomains: sandbox.domains,
      isLabDomain,
      store: options.store,
      queue,
      sign: (raw) => sign(raw, sandbox.domains[0] ?? ''),
      labNow: () => clock.now(),
      // Called only once the worker runs, so `relay` is set by then.
      queued: () => relay.wake(),
      log,
    }),
    hostname: sandbox.name,
    ip: sandbox.ip,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    log,
  });
  /** The plan's own decision: only a recipient it would queue for relaying counts against the cap (throws on a broken zone). */
  const relayed = (namespace: string, zone: readonly DnsRecord[], recipient: string) =>
    planOutbound({ namespace, mailFrom: '', rcptTo: [recipient], zone, ownDomains: sandbox.domains, receivedAt: 0 })?.queue.some((entry) => entry.notInLab === undefined) ?? false;
  const unchecked = (recipient: string, error: unknown) => {
    log(`outbound: the queue cap for ${recipient} could not be checked: ${error instanceof Error ? error.message : String(error)}`);
    return queueUncheckedReply(recipient);
  };
  async function recipientRefusal(namespace: string, recipient: string): Promise<BehaviourReply | null> {
    try {
      return relayed(namespace, await zones.records(namespace), recipient) && (await queue.waitingCount(namespace, maxQueued)) >= maxQueued
        ? queueFullReply(recipient, maxQueued)
        : null;
    } catch (error) {
      return unchecked(recipient, error);
    }
  }
  async function recipientRefusals(namespace: string): Promise<RecipientCheck> {
    let zone: readonly DnsRecord[];
    let full: boolean;
    try {
      zone = await zones.records(namespace);
      full = (await queue.waitingCount(namespace, maxQueued)) >= maxQueued;
    } catch (error) {
      return (recipient) => unchecked(recipient, error);
    }
    return (recipient) => {
      try {
        return full && relayed(namespace, zone, recipient) ? queueFullReply(recipient, maxQueued) : null;
      } catch (error) {
        return unchecked(recipient, error);
      }
    };
  }
  return {
    async plan(namespace, message) {
      try {
        return planOutbound({ namespace, mailFrom: message.mailFrom, rcptTo: message.rcptTo, zone: await zones.records(namespace), ownDomains: sandbox.domains, receivedAt: clock.now() });
      } catch (error) {
        // A broken stored zone must not cost the learner the capture: it is kept, nothing moves on.
        log(`outbound: message ${message.queueId} stays in the sandbox: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    },
    recipientRefusal,
    recipientRefusals,
    async forward(entries) {
      await db.transaction((tx) => queue.writesIn(tx).enqueue(entries));
      relay.wake();
    },
    wake: () => relay.wake(),
    waiting: (namespace) => queue.waiting(namespace),
    stop: () => relay.stop(),
  };
}
