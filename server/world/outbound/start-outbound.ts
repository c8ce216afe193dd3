/**
 * The sending side of the lab world, put together: the outbound queue on the app's database,
 * the relay worker (hops through the lab network, DKIM signing at the sending domain, DSNs
 * back to the envelope sender) and the plan the sandbox's capture commits with each message.
 */
import type { Database } from 'better-sqlite3';
import type { LabHost } from '../../../protocol/world/default-world.ts';
import type { BehaviourReply } from '../../../protocol/simulator/server-behaviours.ts';
import type { CapturedMessage } from '../../sandbox/captured-message.ts';
import type { RawMailboxStore } from '../../storage/message-store.ts';
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
  readonly db: Database;
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
  plan(namespace: string, message: Pick<CapturedMessage, 'queueId' | 'mailFrom' | 'rcptTo'>): OutboundPlan | null;
  /** The sandbox's RCPT check: 452 4.3.1 for a recipient that would be relayed while `namespace`'s queue is at its cap. */
  recipientRefusal(namespace: string, recipient: string): BehaviourReply | null;
  /** A lab forwarder's mail: committed to the queue in one transaction, then relayed. */
  forward(entries: readonly OutboundEntry[]): void;
  /** A capture with a plan committed: look for work now. */
  wake(): void;
  waiting(namespace: string): WaitingPage;
  /** Stops the relay worker (attempts in flight finish). */
  stop(): Promise<void>;
}

export function startOutbound(options: OutboundOptions): Outbound {
  const { db, clock, zones, log } = options;
  const sandbox = options.hosts.find((host) => host.role === 'sandbox');
  if (sandbox === undefined) throw new Error('The lab world has no sandbox host to send from.');
  const queue = new OutboundQueue(db, options.lifetimeMs === undefined ? {} : { lifetimeMs: options.lifetimeMs });
  const isLabDomain = (namespace: string, domain: string) => zones.records(namespace).some((record) => record.name.toLowerCase() === domain);
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
  return {
    plan(namespace, message) {
      try {
        return planOutbound({ namespace, mailFrom: message.mailFrom, rcptTo: message.rcptTo, zone: zones.records(namespace), ownDomains: sandbox.domains, receivedAt: clock.now() });
      } catch (error) {
        // A broken stored zone must not cost the learner the capture: it is kept, nothing moves on.
        log(`outbound: message ${message.queueId} stays in the sandbox: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    },
    recipientRefusal(namespace, recipient) {
      try {
        // The plan's own decision: only a recipient it would queue for relaying counts against the cap.
        const plan = planOutbound({ namespace, mailFrom: '', rcptTo: [recipient], zone: zones.records(namespace), ownDomains: sandbox.domains, receivedAt: 0 });
        const relayed = plan?.queue.some((entry) => entry.notInLab === undefined) ?? false;
        return relayed && queue.waitingCount(namespace, maxQueued) >= maxQueued ? queueFullReply(recipient, maxQueued) : null;
      } catch (error) {
        log(`outbound: the queue cap for ${recipient} could not be checked: ${error instanceof Error ? error.message : String(error)}`);
        return queueUncheckedReply(recipient);
      }
    },
    forward(entries) {
      db.transaction(() => queue.enqueue(entries))();
      relay.wake();
    },
    wake: () => relay.wake(),
    waiting: (namespace) => queue.waiting(namespace),
    stop: () => relay.stop(),
  };
}
