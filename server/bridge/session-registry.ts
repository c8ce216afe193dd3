/**
 * The live bridged sessions of the whole process, for the per-address (or per-learner) session
 * limit, the dashboard, and class mail (which learner owns a local TCP port).
 */
import type { SessionSummary } from '../../protocol/session/index.ts';
import type { LiveSession } from './live-session.ts';

/** One live session as the classroom dashboard lists it. */
export interface BridgeSessionInfo {
  readonly namespace: string;
  readonly sessionId: string;
  /** The target id the learner picked ("sandbox"). */
  readonly target: string;
  /** The target's "host:port". */
  readonly server: string;
  readonly clientAddress: string;
  readonly startedAt: string;
  /** Dotted state path of the session model, e.g. "identified.idle". */
  readonly state: string;
  /** The state in words, e.g. "Identified: ready for a mail transaction". */
  readonly label: string;
}

export interface RegisteredSession {
  readonly namespace: string;
  readonly sessionId: string;
  readonly target: string;
  readonly clientAddress: string;
  /** What the session limit counts by: the client address, or the learner in classroom mode. */
  readonly limitKey: string;
  readonly live: LiveSession;
}

export class SessionRegistry {
  readonly #sessions = new Map<string, RegisteredSession>();
  /** The same sessions by namespace: the classroom asks for one learner's on every state change. */
  readonly #byNamespace = new Map<string, Set<RegisteredSession>>();
  readonly #perKey = new Map<string, number>();
  /** Local TCP port of a session's connection → the session. */
  readonly #byLocalPort = new Map<number, RegisteredSession>();

  add(session: RegisteredSession): void {
    this.#sessions.set(session.sessionId, session);
    const inNamespace = this.#byNamespace.get(session.namespace) ?? new Set();
    inNamespace.add(session);
    this.#byNamespace.set(session.namespace, inNamespace);
    this.#perKey.set(session.limitKey, this.countFor(session.limitKey) + 1);
  }

  /** Records the local port of a session's connection, once connected. */
  bindLocalPort(sessionId: string, port: number): void {
    const session = this.#sessions.get(sessionId);
    if (session !== undefined) this.#byLocalPort.set(port, session);
  }

  remove(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    this.#sessions.delete(sessionId);
    const inNamespace = this.#byNamespace.get(session.namespace);
    inNamespace?.delete(session);
    if (inNamespace?.size === 0) this.#byNamespace.delete(session.namespace);
    const port = session.live.localPort;
    if (port !== null && this.#byLocalPort.get(port) === session) this.#byLocalPort.delete(port);
    const left = this.countFor(session.limitKey) - 1;
    if (left > 0) this.#perKey.set(session.limitKey, left);
    else this.#perKey.delete(session.limitKey);
  }

  /** Sessions open (or connecting) under this limit key. */
  countFor(limitKey: string): number {
    return this.#perKey.get(limitKey) ?? 0;
  }

  /** The namespace of the live session whose connection uses this local port, or null. */
  namespaceOfLocalPort(port: number): string | null {
    return this.#byLocalPort.get(port)?.namespace ?? null;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The live sessions, all or one namespace's. */
  list(namespace?: string): BridgeSessionInfo[] {
    const sessions = namespace === undefined ? this.#sessions.values() : (this.#byNamespace.get(namespace) ?? []);
    return [...sessions].map(({ namespace, sessionId, target, clientAddress, live }) => {
      const { state, label } = live.summary();
      return { namespace, sessionId, target, server: live.server, clientAddress, startedAt: live.startedAt.toISOString(), state, label };
    });
  }

  summaryOf(sessionId: string): SessionSummary | null {
    return this.#sessions.get(sessionId)?.live.summary() ?? null;
  }
}
