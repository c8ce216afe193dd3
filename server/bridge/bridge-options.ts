/** How the bridge is configured: targets, limits, origin policy, storage. */
import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import type { ClassroomClientMessage } from '../../protocol/wire/classroom-contract.ts';
import type { ServerMessage, WireErrorCode, WireLimits } from '../../protocol/wire/contract.ts';
import { SANDBOX_TARGET_ID } from '../../protocol/wire/sandbox-target.ts';
import type { PersonalityName } from '../../protocol/sandbox-config.ts';
import type { HostAllowList } from '../http/host-allow-list.ts';
import type { SessionStore } from '../storage/session-store.ts';

/** The limits the bridge enforces; the welcome message announces them to the browser. */
export type BridgeLimits = WireLimits;

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  // Room for a 1 MiB send plus JSON escaping of the odd control character.
  maxPayloadBytes: 2 * 1024 * 1024,
  maxSendBytes: 1024 * 1024,
  commandsPerSecond: 10,
  commandBurst: 20,
  // Longer than the sandbox's own 5-minute idle timeout, so learners meet the real server's 421 first.
  idleTimeoutMs: 10 * 60_000,
  maxSessionMs: 60 * 60_000,
  maxSessionsPerAddress: 20,
  maxSessionDataBytes: 64 * 1024 * 1024,
  maxSessionEvents: 5000,
  // Half the 16 MB a whole transcript read may take, leaving room for the API's own fields.
  maxTranscriptBytes: 8 * 1024 * 1024,
};

/** A live SMTP server the browser may pick by `id`; the browser never names a host itself. */
export interface BridgeTarget {
  readonly id: string;
  /** What the console shows, e.g. "Classroom Postfix (10.0.0.5:25)". */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /**
   * The `host:port` the transcript names (default `host:port`): for the sandbox, its public
   * SMTP address, the one swaks would use, not the private entrance the bridge dials.
   */
  readonly address?: string;
  readonly tls?: {
    /** Check the certificate after STARTTLS; default true (false for the self-signed sandbox). */
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
  };
  /**
   * A lab MX host: reached through the lab network (BridgeOptions.labNetwork) as a sender
   * from outside the lab, in the learner's namespace, so the host checks the learner's own
   * zone and delivers into the learner's mailboxes. `host`/`port` then only name it.
   */
  readonly labHost?: { readonly name: string; readonly fromIp: string; readonly personality?: PersonalityName };
}

/** How the bridge reaches lab hosts (server/world/lab-network's `connect`). */
export interface LabGateway {
  connect(request: { readonly fromIp: string; readonly toHost: string; readonly namespace: string }): Promise<net.Socket>;
}

/** What the bridge needs from the transcript store (server/storage/session-store.ts). */
export type TranscriptWriter = Pick<SessionStore, 'create' | 'append' | 'end'>;

export interface BridgeOptions {
  /** The sandboxed smtp-server, offered as target "sandbox"; its certificate is self-signed. */
  readonly sandbox: { readonly host: string; readonly port: number; readonly label?: string; readonly address?: string };
  /** Operator-allowed extra servers (`--allow-target host:port`) and lab hosts. Ids must be unique. */
  readonly extraTargets?: readonly BridgeTarget[];
  /** The lab network, required when a target is a `labHost`. */
  readonly labNetwork?: LabGateway;
  readonly limits?: Partial<BridgeLimits>;
  /** How often every WebSocket is pinged; one missed pong ends it. Default 30 s. */
  readonly heartbeatIntervalMs?: number;
  /** How long to wait for a target's TCP connection. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /**
   * The names the server answers for (the Host check, and the page origins allowed to open
   * the bridge). Default: the loopback names on the HTTP server's port.
   */
  readonly allowedHosts?: HostAllowList;
  /**
   * Origins allowed besides the server's own names, e.g. the Vite dev server
   * "http://localhost:5173". Compared as `scheme://host[:port]`.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Accept handshakes without an Origin header. Default true: browsers always send Origin on
   * a WebSocket handshake, so a missing one means a non-browser client (a CLI, a test). The
   * Origin check exists to stop other web pages from using a visitor's browser against us
   * (cross-site WebSocket hijacking); a non-browser client can send any Origin it likes, so
   * refusing a missing one would add no protection. Turn it off to insist on browsers.
   */
  readonly allowMissingOrigin?: boolean;
  /**
   * Whose data a connection belongs to; null refuses the handshake with 401. Default: every
   * connection is "default" (single-user mode).
   */
  readonly namespaceOf?: (request: IncomingMessage) => string | null | Promise<string | null>;
  /** When given, every session and every wire event is recorded. */
  readonly sessions?: TranscriptWriter;
  /** Classroom mode: the live hub told about connections and session messages. */
  readonly hooks?: BridgeHooks;
  /**
   * What the session limit (`maxSessionsPerAddress`) counts by. Default: the client address.
   * The classroom counts per student instead, so a class behind one NAT address still works.
   */
  readonly sessionLimitKey?: (namespace: string, clientAddress: string) => string;
  /** The client address of an upgrade request (`--trusted-proxy`); default: the TCP peer's. */
  readonly clientAddressOf?: (request: IncomingMessage) => string;
  /** Unexpected failures (the store throwing, a socket error); the bridge keeps running. */
  readonly onError?: (error: Error) => void;
}

/** One WebSocket connection as the hooks see it. */
export interface BridgeConnection {
  readonly namespace: string;
  /** Sends a push once the client has said hello. */
  notify(message: ServerMessage): void;
  /** Ends its SMTP session and closes the WebSocket with this code and reason. */
  kick(code: number, reason: string): void;
}

/** A server message about a session (opened, event, closed). */
export type SessionServerMessage = Extract<ServerMessage, { readonly sessionId: string }>;

/** How classroom mode follows the bridge (implemented by server/classroom/live-hub.ts). */
export interface BridgeHooks {
  /** Checked before the handshake: a refusal is answered with its status (e.g. 429, too many tabs). */
  admit(namespace: string): { readonly ok: true } | { readonly ok: false; readonly status: 429; readonly message: string };
  connected(connection: BridgeConnection): void;
  disconnected(connection: BridgeConnection): void;
  /** Every session message sent to a learner, for watchers and the roster. */
  sessionMessage(namespace: string, message: SessionServerMessage): void;
  /** A classroom client message (`watch`, `unwatch`); an error to send back, or null (the classroom answers once it has read its database). */
  clientMessage(
    connection: BridgeConnection,
    message: ClassroomClientMessage,
  ): Promise<{ readonly code: WireErrorCode; readonly message: string } | null> | { readonly code: WireErrorCode; readonly message: string } | null;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export { SANDBOX_TARGET_ID };

/** The target list: the sandbox first, then the extra targets. Throws on a duplicate id. */
export function resolveTargets(options: BridgeOptions): readonly BridgeTarget[] {
  const { host, port } = options.sandbox;
  const sandbox: BridgeTarget = {
    id: SANDBOX_TARGET_ID,
    label: options.sandbox.label ?? `SMTP Lab sandbox (${formatHostPort(host, port)})`,
    host,
    port,
    ...(options.sandbox.address === undefined ? {} : { address: options.sandbox.address }),
    tls: { rejectUnauthorized: false },
  };
  const targets = [sandbox, ...(options.extraTargets ?? [])];
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) throw new Error(`Two bridge targets have the id "${target.id}"`);
    if (target.labHost && options.labNetwork === undefined) throw new Error(`Bridge target "${target.id}" is a lab host, but the bridge has no lab network`);
    seen.add(target.id);
  }
  return targets;
}

/** "host:port", with brackets around an IPv6 address, as URLs and `swaks --server` want it. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
