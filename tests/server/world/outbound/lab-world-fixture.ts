/**
 * A small lab world for the relay tests: real simulator listeners on 127.0.0.1 port 0, each
 * serving a personality, a zone naming them, and a connect function that opens real TCP to
 * the listener behind a lab host name (what the lab network does in the app).
 */
import net from 'node:net';
import { afterEach } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName, type ServerBehaviours } from '../../../../protocol/sandbox-config.ts';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import type { CapturedMessage } from '../../../../server/sandbox/captured-message.ts';
import { createSimulatorListener, type SimulatorListener } from '../../../../server/sandbox/simulator-listener.ts';
import type { LabConnect, RelayWorker } from '../../../../server/world/outbound/relay-worker.ts';

export interface LabHostUnderTest {
  readonly name: string;
  readonly personality: PersonalityName;
  /** The domains it takes mail for (others are refused as relaying). */
  readonly domains: readonly string[];
  /** Its teaching behaviours (greylisting, unknown mailboxes…) over the defaults. */
  readonly behaviours?: Partial<ServerBehaviours>;
  /** Not listening: connections to it are refused (a host that is down). */
  readonly down?: boolean;
}

export interface LabWorldUnderTest {
  readonly connect: LabConnect;
  /** Messages each host accepted, by host name. */
  readonly received: Map<string, CapturedMessage[]>;
  /** Hosts asked for, in order. */
  readonly connections: string[];
  /** The sending lab IP of each connection, in the same order. */
  readonly fromIps: string[];
  close(): Promise<void>;
}

/** What a relay test started: stopped after each test, the worker before the hosts it talks to. */
export function stoppedAfterEach(): { worker?: RelayWorker; world?: LabWorldUnderTest } {
  const started: { worker?: RelayWorker; world?: LabWorldUnderTest } = {};
  afterEach(async () => {
    await started.worker?.stop();
    await started.world?.close();
    delete started.worker;
    delete started.world;
  });
  return started;
}

export const record = (name: string, type: DnsRecord['type'], value: string): DnsRecord => ({ name, type, ttl: 300, value });

export async function startLabHosts(hosts: readonly LabHostUnderTest[]): Promise<LabWorldUnderTest> {
  const listeners: SimulatorListener[] = [];
  const ports = new Map<string, number>();
  const received = new Map<string, CapturedMessage[]>();
  const connections: string[] = [];
  const fromIps: string[] = [];
  for (const host of hosts) {
    received.set(host.name, []);
    if (host.down === true) continue;
    const listener = createSimulatorListener({
      config: {
        ...DEFAULT_SANDBOX_CONFIG,
        personality: host.personality,
        hostname: host.name,
        behaviours: { ...DEFAULT_SANDBOX_CONFIG.behaviours, localDomains: [...host.domains], ...host.behaviours },
      },
      onMessage: (message) => received.get(host.name)?.push(message),
      onError: () => undefined,
    });
    listeners.push(listener);
    ports.set(host.name, (await listener.listen(0, '127.0.0.1')).port);
  }
  const connect: LabConnect = ({ toHost, fromIp }) => {
    connections.push(toHost);
    fromIps.push(fromIp);
    const port = ports.get(toHost);
    if (port === undefined) return Promise.reject(new Error('connection refused'));
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  };
  return {
    connect,
    received,
    connections,
    fromIps,
    close: async () => {
      for (const listener of listeners) await listener.close();
    },
  };
}
