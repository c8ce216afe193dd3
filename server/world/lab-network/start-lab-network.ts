/**
 * The receiving side of the lab internet: one real TCP listener on 127.0.0.1 (port 0) per lab
 * MX host (roles `mx` and `forwarder`), serving the host's personality under the host's name.
 * Each takes RCPT only for its domains' lab mailboxes (others refused in its personality's
 * words), greylists when the host does (lab clock), and stores accepted mail in the
 * recipients' mailboxes in the sender's namespace. `connect()` is how a lab hop reaches it.
 */
import net from 'node:net';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import type { SimulatedServerOptions } from '../../../protocol/simulator/index.ts';
import type { LocalRecipients } from '../../../protocol/simulator/local-recipients.ts';
import { LAB_MAILBOXES, type LabHost } from '../../../protocol/world/default-world.ts';
import { GreylistTriplets, greylistReply } from '../../../protocol/world/greylisting.ts';
import { createSimulatorListener, type ConnectionSetup, type SimulatorListener } from '../../sandbox/simulator-listener.ts';
import { deliverToMailboxes, type Inspect, type LabMailboxStore } from './lab-delivery.ts';
import { LabConnections, type LabPeer } from './lab-connections.ts';

export interface LabNetworkOptions {
  readonly hosts: readonly LabHost[];
  readonly store: LabMailboxStore;
  /** The lab clock, in ms (greylisting delays, Received dates). */
  readonly now: () => number;
  /** Decides on each message at end of data (mail authentication); accepts everything when absent. */
  readonly inspect?: Inspect;
  /** The namespace of a connection nobody registered (a learner's own client). */
  readonly outsideNamespace: string;
  /** Greylisting's minimum retry delay in lab ms (postgrey's 5 minutes by default). */
  readonly greylistDelayMs?: number;
  /** A client connection or a parse failed; the network goes on. */
  readonly onError?: (error: Error) => void;
}

export interface LabConnectRequest {
  /** The sending hop's lab IP, as the receiver will see it. */
  readonly fromIp: string;
  readonly toHost: string;
  readonly namespace: string;
  /** The outbound queue row this connection carries, kept in the peer's registration. */
  readonly outboundId?: number;
}

export interface LabNetwork {
  /** Where a lab host listens, or null for a name that is not one of its MX hosts. */
  addressOf(hostName: string): { readonly host: '127.0.0.1'; readonly port: number } | null;
  /** Opens a TCP connection to a lab host as coming from `fromIp` in `namespace`. */
  connect(request: LabConnectRequest): Promise<net.Socket>;
  close(): Promise<void>;
}

const RECEIVING_ROLES: ReadonlySet<LabHost['role']> = new Set(['mx', 'forwarder']);
const LAB_USERS: ReadonlySet<string> = new Set(LAB_MAILBOXES);

export async function startLabNetwork(options: LabNetworkOptions): Promise<LabNetwork> {
  const onError = options.onError ?? (() => undefined);
  const connections = new LabConnections(options.outsideNamespace);
  const listeners: SimulatorListener[] = [];
  const ports = new Map<string, number>();
  try {
    for (const host of options.hosts.filter((candidate) => RECEIVING_ROLES.has(candidate.role))) {
      const listener = createSimulatorListener({
        config: { ...DEFAULT_SANDBOX_CONFIG, personality: host.personality, hostname: host.name },
        setUpConnection: hostConnectionSetup(host, options, connections, onError),
        onError,
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
    connect: (request) => connectAs(connections, ports, request),
    close: async () => {
      await Promise.all(listeners.map((listener) => listener.close()));
    },
  };
}

/** Each accepted connection: who it is from, whose mail this host takes, where it goes. */
function hostConnectionSetup(host: LabHost, options: LabNetworkOptions, connections: LabConnections, onError: (error: Error) => void) {
  const greylist = host.greylisting ? new GreylistTriplets({ now: options.now, ...(options.greylistDelayMs === undefined ? {} : { delayMs: options.greylistDelayMs }) }) : null;
  const domains = host.domains.map((domain) => domain.toLowerCase());
  return async (socket: net.Socket): Promise<ConnectionSetup> => {
    const peer = await connections.peerOf(socket.remotePort);
    const localRecipients: LocalRecipients = {
      domains,
      users: LAB_USERS,
      // Each student's world greylists on its own: the namespace is part of the triplet's IP.
      ...(greylist
        ? { defer: (sender: string, recipient: string) => (greylist.admits(`${peer.namespace} ${peer.fromIp}`, sender, recipient) ? null : greylistReply(host.personality, recipient)) }
        : {}),
    };
    const admitMessage: SimulatedServerOptions['admitMessage'] = (message) =>
      deliverToMailboxes({ host, peer, store: options.store, now: options.now, ...(options.inspect ? { inspect: options.inspect } : {}), onError }, message);
    return { clientAddress: peer.fromIp, localRecipients, admitMessage };
  };
}

function connectAs(connections: LabConnections, ports: ReadonlyMap<string, number>, request: LabConnectRequest): Promise<net.Socket> {
  const port = ports.get(request.toHost.toLowerCase());
  if (port === undefined) return Promise.reject(new Error(`${request.toHost} is not a lab MX host.`));
  connections.begin();
  const peer: LabPeer = { fromIp: request.fromIp, namespace: request.namespace, ...(request.outboundId === undefined ? {} : { outboundId: request.outboundId }) };
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const failed = (error: Error): void => {
      connections.settled(null, peer);
      reject(error);
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      const localPort = socket.localPort;
      connections.settled(localPort ?? null, peer);
      if (localPort !== undefined) socket.once('close', () => connections.release(localPort));
      resolve(socket);
    });
  });
}
