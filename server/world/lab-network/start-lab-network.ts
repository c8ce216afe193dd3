/**
 * The receiving side of the lab internet: one real TCP listener on 127.0.0.1 (port 0) per lab
 * MX host (roles `mx` and `forwarder`), serving the host's personality under the host's name.
 * Each takes RCPT only for its domains' lab mailboxes (others refused in its personality's
 * words), and stores accepted mail in the recipients' mailboxes in the sender's namespace.
 * `connect()` is how a lab hop reaches it.
 *
 * How a host behaves is the sender's namespace's host switches (read per connection, so a
 * learner's change applies to the next connection): down (connect() fails as a refused
 * connection; an outside client is reset before any greeting), a rate limit (421 at connect,
 * then close), an allow-list (refused at RCPT, as Postfix's delayed client restrictions do),
 * greylisting (lab clock) and DMARC enforcement.
 *
 * Each client (a namespace's lab IP) may hold MAX_CONNECTIONS_PER_CLIENT connections to a host at
 * once; one more gets the host's 421 "too many connections" and is closed (Postfix's anvil,
 * smtpd_client_connection_count_limit). So a learner holding idle connections open cannot use up
 * a host's listener and starve other students' relays: the listener itself takes every
 * connection connect() can register plus one client's worth from outside.
 *
 * Mail from a sender whose domain publishes a null MX in the sender's namespace's zone (read
 * per connection too) is refused at RCPT with 5.7.27 (RFC 7505 §4.2); the null sender never is.
 */
import net from 'node:net';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import type { SimulatedServerOptions } from '../../../protocol/simulator/index.ts';
import type { RecipientReply } from '../../../protocol/simulator/local-recipients.ts';
import type { LabHost } from '../../../protocol/world/default-world.ts';
import { GreylistTriplets, type SeenTriplet } from '../../../protocol/world/greylisting.ts';
import type { GreylistStore } from '../greylist-store.ts';
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { admitConnection, hostDownReason, labHostRecipients } from '../../../protocol/world/lab-host.ts';
import { forwardingHost, forwards } from '../../../protocol/world/lab-forwarding.ts';
import { defaultSwitches, withSwitches, type HostSwitches } from '../../../protocol/world/host-settings.ts';
import { createSimulatorListener, type ConnectionSetup, type SimulatorListener } from '../../sandbox/simulator-listener.ts';
import { deliverToMailboxes, type Inspect } from './lab-delivery.ts';
import type { RawMailboxStore } from '../../storage/message-store.ts';
import { ConnectionRate } from '../../../protocol/world/connection-rate.ts';
import type { ForwardMail } from './forwarded-entries.ts';
import { rateLimitRefusal } from '../../../protocol/world/host-refusals.ts';
import { LabConnections, MAX_LAB_CONNECTIONS, type LabPeer } from './lab-connections.ts';

export interface LabNetworkOptions {
  readonly hosts: readonly LabHost[];
  readonly store: RawMailboxStore;
  /** The lab clock, in ms (greylisting delays, Received dates). */
  readonly now: () => number;
  /** Decides on each message at end of data (mail authentication); accepts everything when absent. */
  readonly inspect?: Inspect;
  /** Where forwarder hosts pass their mail on (the outbound queue); without it they store it like an MX. */
  readonly forward?: ForwardMail;
  /**
   * A forwarder's RCPT check against the sender's outbound queue cap (the queue it would fill):
   * a refusal (452 4.3.1) or null, decided on the queue as read at the connection and after each
   * message (RCPT cannot wait for the database). Without it a forwarder takes every mailbox's mail.
   */
  readonly queueRefusals?: (namespace: string) => Promise<(recipient: string) => RecipientReply | null>;
  /** The namespace of a connection nobody registered (a learner's own client). */
  readonly outsideNamespace: string;
  /** A namespace's switches for a host (HostSettingsStore.switchesOf); the host's defaults when absent. */
  readonly switchesOf?: (namespace: string, hostName: string) => Promise<HostSwitches | null>;
  /** A namespace's zone (ZoneStore.records): sender domains with a null MX are refused. No check when absent. */
  readonly zoneOf?: (namespace: string) => Promise<readonly DnsRecord[]>;
  /** Greylisting's minimum retry delay in lab ms (postgrey's 5 minutes by default). */
  readonly greylistDelayMs?: number;
  /**
   * Where the hosts' greylisting memory is shared with other processes (GreylistStore): read at
   * each connection, written at each first attempt. Each host remembers in this process alone when absent.
   */
  readonly greylistMemory?: Pick<GreylistStore, 'seen' | 'firstSeen'>;
  /** A client connection or a parse failed; the network goes on. */
  readonly onError?: (error: Error) => void;
}

export interface LabConnectRequest {
  /** The sending hop's lab IP, as the receiver will see it. */
  readonly fromIp: string;
  readonly toHost: string;
  /**
   * The address the sender resolved `toHost` to: the connection reaches the lab host at that
   * address (as IP routing would, whatever name the zone gave it), and fails when none is there.
   * By name when absent (a live session picking a host).
   */
  readonly toIp?: string;
  readonly namespace: string;
  /** The outbound queue row being relayed (the journey links the delivered copy to it). */
  readonly outboundId?: number;
}

export interface LabNetwork {
  /** Where a lab host listens, or null for a name that is not one of its MX hosts. */
  addressOf(hostName: string): { readonly host: '127.0.0.1'; readonly port: number } | null;
  /** Opens a TCP connection to a lab host as coming from `fromIp` in `namespace`. */
  connect(request: LabConnectRequest): Promise<net.Socket>;
  close(): Promise<void>;
}

/** Connections one client (namespace and lab IP) may hold to one host; above the relay's default concurrency (16). */
export const MAX_CONNECTIONS_PER_CLIENT = 20;

const RECEIVING_ROLES: ReadonlySet<LabHost['role']> = new Set(['mx', 'forwarder']);

export async function startLabNetwork(options: LabNetworkOptions): Promise<LabNetwork> {
  const onError = options.onError ?? (() => undefined);
  const connections = new LabConnections(options.outsideNamespace);
  const listeners: SimulatorListener[] = [];
  const ports = new Map<string, number>();
  const receiving = options.hosts.filter((candidate) => RECEIVING_ROLES.has(candidate.role));
  try {
    for (const host of receiving) {
      const listener = createSimulatorListener({
        config: { ...DEFAULT_SANDBOX_CONFIG, personality: host.personality, hostname: host.name },
        setUpConnection: hostConnectionSetup(host, options, connections, onError),
        onError,
        maxConnections: MAX_LAB_CONNECTIONS + MAX_CONNECTIONS_PER_CLIENT,
      });
      listeners.push(listener);
      ports.set(host.name.toLowerCase(), (await listener.listen(0, '127.0.0.1')).port);
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    throw error;
  }
  return {
    addressOf: (hostName) => {
      const port = ports.get(hostName.toLowerCase());
      return port === undefined ? null : { host: '127.0.0.1', port };
    },
    connect: async (request) => {
      const toHost = request.toIp === undefined ? request.toHost : receiving.find((host) => host.ip === request.toIp)?.name;
      if (toHost === undefined) throw noHostAt(request.toIp ?? '');
      const switches = await switchesFor(options, request.namespace, toHost);
      // A host that is down answers nothing: to the sender it is a refused connection (RFC 5321 §5.1: try the next MX).
      if (switches?.down === true) throw refusedConnection(toHost);
      return connectAs(connections, ports, { ...request, toHost });
    },
    close: async () => {
      await Promise.all(listeners.map((listener) => listener.close()));
    },
  };
}

/** Each accepted connection: who it is from, how the host behaves for them (protocol/world/lab-host.ts), where its mail goes. */
function hostConnectionSetup(host: LabHost, options: LabNetworkOptions, connections: LabConnections, onError: (error: Error) => void) {
  // Kept for every host: a learner may switch greylisting or a rate limit on at any time.
  const shared = options.greylistMemory;
  const greylist = new GreylistTriplets({
    now: options.now,
    ...(options.greylistDelayMs === undefined ? {} : { delayMs: options.greylistDelayMs }),
    // Written after the 4xx goes out: the sender's retry comes minutes later, on whichever process.
    ...(shared === undefined ? {} : { onFirstSeen: (triplet: SeenTriplet) => void shared.firstSeen(host.name, triplet).catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error)))) }),
  });
  const rate = new ConnectionRate();
  const forwarder = forwardingHost(host);
  const openBySender = new OpenCounts();
  return async (socket: net.Socket): Promise<ConnectionSetup> => {
    const peer = await connections.peerOf({ clientPort: socket.remotePort, listenerPort: socket.localPort });
    const switches = (await switchesFor(options, peer.namespace, host.name)) ?? defaultSwitches(host);
    // Each student's world counts on its own: the namespace is part of the sender's key.
    const connection = { host, switches, fromIp: peer.fromIp, senderKey: `${peer.namespace} ${peer.fromIp}` };
    if (shared !== undefined && switches.greylisting) {
      try {
        for (const triplet of await shared.seen(host.name, connection.senderKey, options.now())) greylist.remember(triplet);
      } catch (error) {
        // The shared memory is out of reach: this process's own memory decides, as with one process.
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const admission = admitConnection(connection, rate, options.now());
    if (admission.kind === 'down') {
      // An outside client (a learner's swaks) reached the port anyway: reset, no greeting.
      socket.destroy();
      return {};
    }
    if (admission.kind === 'refused') return { refuse: admission.reply };
    if (socket.destroyed) return {};
    if (!openBySender.open(connection.senderKey, socket)) return { refuse: rateLimitRefusal(host.personality, host.name, peer.fromIp) };
    // A forwarder queues what it takes: its recipients count against the sender's queue cap, as at the sandbox.
    const { queueRefusals } = options;
    const queueRoom = forwarder !== null && queueRefusals !== undefined ? () => queueRefusals(peer.namespace) : null;
    let queueCheck = queueRoom === null ? null : await queueRoom();
    const queueFull = forwarder !== null && queueCheck !== null
      ? (recipient: string) => (forwards(forwarder, recipient) ? (queueCheck?.(recipient) ?? null) : null)
      : undefined;
    const localRecipients = labHostRecipients({
      ...connection,
      zone: (await options.zoneOf?.(peer.namespace)) ?? null,
      greylist,
      ...(queueFull === undefined ? {} : { queueFull }),
    });
    const behaving = withSwitches(host, switches);
    const admitMessage: SimulatedServerOptions['admitMessage'] = async (message) => {
      const verdict = await deliverToMailboxes({ host: behaving, peer, store: options.store, now: options.now, ...(options.inspect ? { inspect: options.inspect } : {}), ...(options.forward ? { forward: options.forward } : {}), onError }, message);
      // The next message's recipients on this connection are checked against the queue as it is now.
      if (queueRoom !== null) queueCheck = await queueRoom();
      return verdict;
    };
    return { clientAddress: peer.fromIp, localRecipients, admitMessage };
  };
}

async function switchesFor(options: LabNetworkOptions, namespace: string, hostName: string): Promise<HostSwitches | null> {
  return (await options.switchesOf?.(namespace, hostName)) ?? null;
}

/** The error a TCP connect to a closed port gives, naming the host: the relay records it as no connection. */
function refusedConnection(hostName: string): Error {
  return Object.assign(new Error(hostDownReason(hostName)), { code: 'ECONNREFUSED' });
}

/** A zone may point an MX name at any documentation address: where no lab host is, nothing answers (the relay tries the next MX). */
function noHostAt(ip: string): Error {
  return Object.assign(new Error(`no lab host has the address ${ip}, so nothing answers there`), { code: 'EHOSTUNREACH' });
}

function connectAs(connections: LabConnections, ports: ReadonlyMap<string, number>, request: LabConnectRequest): Promise<net.Socket> {
  const port = ports.get(request.toHost.toLowerCase());
  if (port === undefined) return Promise.reject(new Error(`${request.toHost} is not a lab MX host.`));
  connections.begin();
  const peer: LabPeer = {
    fromIp: request.fromIp,
    namespace: request.namespace,
    ...(request.outboundId === undefined ? {} : { outboundId: request.outboundId }),
  };
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const failed = (error: Error): void => {
      connections.settled(null, peer);
      reject(error);
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      const ports = socket.localPort === undefined ? null : { clientPort: socket.localPort, listenerPort: port };
      connections.settled(ports, peer);
      if (ports !== null) socket.once('close', () => connections.release(ports));
      resolve(socket);
    });
  });
}

/** Open connections per sender key, each counted until its socket closes. */
class OpenCounts {
  readonly #open = new Map<string, number>();

  /** Counts `socket` under `key`, or false when `key` already holds MAX_CONNECTIONS_PER_CLIENT. */
  open(key: string, socket: net.Socket): boolean {
    const count = this.#open.get(key) ?? 0;
    if (count >= MAX_CONNECTIONS_PER_CLIENT) return false;
    this.#open.set(key, count + 1);
    socket.once('close', () => {
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left === 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
    return true;
  }
}
