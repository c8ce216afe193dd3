/** The live bridged sessions of the whole process, for per-address limits and the dashboard. */
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
  readonly live: LiveSession;
}

export class SessionRegistry {
  readonly #sessions = new Map<string, RegisteredSession>();
  readonly #perAddress = new Map<string, number>();

  add(session: RegisteredSession): void {
    this.#sessions.set(session.sessionId, session);
    this.#perAddress.set(session.clientAddress, this.countFor(session.clientAddress) + 1);
  }

  remove(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    this.#sessions.delete(sessionId);
    const left = this.countFor(session.clientAddress) - 1;
    if (left > 0) this.#perAddress.set(session.clientAddress, left);
    else this.#perAddress.delete(session.clientAddress);
  }

  /** Sessions open (or connecting) for this client address. */
  countFor(clientAddress: string): number {
    return this.#perAddress.get(clientAddress) ?? 0;
  }

  get size(): number {
    return this.#sessions.size;
  }

  list(): BridgeSessionInfo[] {
    return [...this.#sessions.values()].map(({ namespace, sessionId, target, clientAddress, live }) => {
      const { state, label } = live.summary();
      return { namespace, sessionId, target, server: live.server, clientAddress, startedAt: live.startedAt.toISOString(), state, label };
    });
  }

  summaryOf(sessionId: string): SessionSummary | null {
    return this.#sessions.get(sessionId)?.live.summary() ?? null;
  }
}
