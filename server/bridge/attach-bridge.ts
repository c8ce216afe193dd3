/**
 * The console bridge: WebSocket `/ws` on the app's HTTP server, one live SMTP connection per
 * learner session. Checks happen in the HTTP upgrade handler (Host, path, Origin, namespace), every
 * socket has an error listener, and a ping/terminate heartbeat clears half-open connections
 * (the pattern of the ws README).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { SessionSummary } from '../../protocol/session/index.ts';
import { WIRE_PROTOCOL_VERSION, type ServerMessage, type WireMessageSummary } from '../../protocol/wire/contract.ts';
import { clientAddressResolver } from '../http/client-address.ts';
import { HostAllowList } from '../http/host-allow-list.ts';
import { BridgeClient, type ClientEnvironment } from './bridge-client.ts';
import {
  DEFAULT_BRIDGE_LIMITS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  resolveTargets,
  type BridgeLimits,
  type BridgeOptions,
} from './bridge-options.ts';
import { SessionRegistry, type BridgeSessionInfo } from './session-registry.ts';
import { checkUpgrade, rejectUpgrade, type UpgradePolicy, type UpgradeVerdict } from './upgrade-guard.ts';

export interface BridgeStats {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Live SMTP sessions (connecting ones included). */
  readonly sessions: number;
  /** Accepted `session.open` requests, those whose connection then failed included. */
  readonly sessionsOpenedTotal: number;
  readonly rateLimitedTotal: number;
  readonly upgradesRefusedTotal: number;
  readonly heartbeatTerminationsTotal: number;
}

export interface Bridge {
  /** The limits in force (defaults merged with the options). */
  readonly limits: BridgeLimits;
  /**
   * Ends every SMTP session and closes every WebSocket with 1001 and `reason`; clients that
   * do not finish the closing handshake within 2 s are dropped. Stops accepting upgrades.
   */
  close(reason: string): Promise<void>;
  /** Pushes `message.captured` to every connection of the namespace. */
  notifyMessage(namespace: string, summary: WireMessageSummary): void;
  /** Whether any connection of the namespace is open here (worth reading a summary for). */
  hasConnectionsIn(namespace: string): boolean;
  /** The live sessions with their model state (all, or one namespace's), for the classroom dashboard. */
  sessions(namespace?: string): BridgeSessionInfo[];
  /** The session model's full summary of a live session, or null when it is not live. */
  summaryOf(sessionId: string): SessionSummary | null;
  /** The namespace of the live session whose connection to its target uses this local port (class mail). */
  namespaceOfLocalPort(port: number): string | null;
  stats(): BridgeStats;
}

const CLOSE_GRACE_MS = 2000;

/** Serves the bridge on `httpServer`'s upgrade requests for `/ws`. */
export function attachBridge(httpServer: Server, options: BridgeOptions): Bridge {
  const limits: BridgeLimits = { ...DEFAULT_BRIDGE_LIMITS, ...options.limits };
  const targets = resolveTargets(options);
  const report = (error: Error) => options.onError?.(error);
  const clientAddressOf = options.clientAddressOf ?? clientAddressResolver([]);
  const policy: UpgradePolicy = {
    allowedHosts: options.allowedHosts ?? HostAllowList.loopback(),
    allowedOrigins: options.allowedOrigins ?? [],
    allowMissingOrigin: options.allowMissingOrigin ?? true,
    namespaceOf: options.namespaceOf ?? (() => 'default'),
  };
  const counters = { sessionsOpened: 0, rateLimited: 0, upgradesRefused: 0, heartbeatTerminations: 0 };
  const registry = new SessionRegistry();
  const clients = new Set<BridgeClient>();
  const welcome: ServerMessage = {
    type: 'welcome',
    version: WIRE_PROTOCOL_VERSION,
    targets: targets.map(({ id, label, labHost }) => ({
      id,
      label,
      ...(labHost ? { labFrom: labHost.fromIp } : {}),
      ...(labHost?.personality ? { personality: labHost.personality } : {}),
    })),
    limits,
  };
  const env: ClientEnvironment = {
    targets,
    labNetwork: options.labNetwork,
    limits,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    registry,
    recorder: options.sessions,
    welcome,
    hooks: options.hooks,
    sessionLimitKey: options.sessionLimitKey ?? ((_namespace, clientAddress) => clientAddress),
    countRateLimited: () => counters.rateLimited++,
    countSessionOpened: () => counters.sessionsOpened++,
    report,
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });
  wss.on('error', report);
  let closing: Promise<void> | null = null;

  const shuttingDown: UpgradeVerdict = { ok: false, status: 503, message: 'The server is shutting down.' };
  const decide = async (request: IncomingMessage): Promise<UpgradeVerdict> => {
    if (closing !== null) return shuttingDown;
    const verdict = await checkUpgrade(request, policy);
    // Asked again: the server may have begun closing while the classroom looked the client up.
    return closing === null ? verdict : shuttingDown;
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client resetting mid-handshake must not become an unhandled 'error' event.
    socket.on('error', () => {});
    decide(request)
      .then((verdict) => finishUpgrade(request, socket, head, verdict))
      .catch((error: unknown) => {
        // The classroom's database failing (or anything after it) refuses this one handshake; the bridge stays up.
        report(error as Error);
        counters.upgradesRefused++;
        if (!socket.destroyed) rejectUpgrade(socket, 503, 'The server could not check who you are right now; try again in a moment.');
      });
  };
  const finishUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer, checked: UpgradeVerdict) => {
    let verdict = checked;
    if (verdict.ok && options.hooks) {
      const admission = options.hooks.admit(verdict.namespace);
      if (!admission.ok) verdict = admission;
    }
    if (!verdict.ok) {
      counters.upgradesRefused++;
      rejectUpgrade(socket, verdict.status, verdict.message);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const client = new BridgeClient(ws, socket, verdict.namespace, clientAddressOf(request), env);
      clients.add(client);
      ws.once('close', () => clients.delete(client));
    });
  };
  httpServer.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (client.alive) {
        client.ping();
        continue;
      }
      counters.heartbeatTerminations++;
      client.terminate();
    }
  }, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  const shutDown = async (reason: string): Promise<void> => {
    clearInterval(heartbeat);
    const open = [...clients];
    for (const client of open) client.shutdown(reason);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([Promise.all(open.map((client) => client.closed())), grace]);
    clearTimeout(timer);
    for (const client of clients) client.terminate();
    httpServer.off('upgrade', onUpgrade);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };

  return {
    limits,
    close: (reason) => (closing ??= shutDown(reason)),
    notifyMessage(namespace, summary) {
      for (const client of clients) {
        if (client.namespace === namespace) client.notify({ type: 'message.captured', summary });
      }
    },
    hasConnectionsIn(namespace) {
      for (const client of clients) if (client.namespace === namespace) return true;
      return false;
    },
    sessions: (namespace) => registry.list(namespace),
    summaryOf: (sessionId) => registry.summaryOf(sessionId),
    namespaceOfLocalPort: (port) => registry.namespaceOfLocalPort(port),
    stats: () => ({
      connections: clients.size,
      sessions: registry.size,
      sessionsOpenedTotal: counters.sessionsOpened,
      rateLimitedTotal: counters.rateLimited,
      upgradesRefusedTotal: counters.upgradesRefused,
      heartbeatTerminationsTotal: counters.heartbeatTerminations,
    }),
  };
}
