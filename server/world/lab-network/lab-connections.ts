/**
 * Who is connecting to a lab MX. The lab has no IP layer of its own: every hop is a TCP
 * connection on loopback, so the lab IP a receiver must see (SPF's `ip`, greylisting's
 * triplet, the Received header) and the student whose world it is travel beside the
 * connection, not in it. `connect()` registers its socket's local port; the MX listener looks
 * up the peer's port at accept time. Nothing ever leaves loopback.
 *
 * A connection nobody registered (a learner's swaks pointed at a lab MX port) comes from
 * OUTSIDE_LAB_IP, in the outside namespace.
 */

/** The lab address of a client outside the lab world (RFC 5737 TEST-NET-3; no lab host uses it). */
export const OUTSIDE_LAB_IP = '203.0.113.99';
/** The most lab connections open at once; one more is refused (a relay worker waits and retries). */
export const MAX_LAB_CONNECTIONS = 200;
/** How long an accepted connection waits for its sender's registration while one is under way. */
const REGISTRATION_WAIT_MS = 2000;

/** The sending side of a lab connection. */
export interface LabPeer {
  /** The sending hop's lab IP. */
  readonly fromIp: string;
  /** The student's namespace whose world the mail moves in. */
  readonly namespace: string;
  /** The outbound queue row a relay hop carries (none for a learner's own client). */
  readonly outboundId?: number;
}

export class LabConnections {
  readonly #peers = new Map<number, LabPeer>();
  /** connect() calls whose local port is not known yet: an accept may come before their registration. */
  #connecting = 0;
  readonly #waiters = new Set<() => void>();
  readonly #outside: LabPeer;

  constructor(outsideNamespace: string) {
    this.#outside = { fromIp: OUTSIDE_LAB_IP, namespace: outsideNamespace };
  }

  /** How many connections are registered. */
  get size(): number {
    return this.#peers.size;
  }

  /** A connect() begins; throws when the table is full. Call `settled` once its port is known (or it failed). */
  begin(): void {
    if (this.#peers.size + this.#connecting >= MAX_LAB_CONNECTIONS) {
      throw new Error(`The lab network has ${MAX_LAB_CONNECTIONS} connections open; try again when one closes.`);
    }
    this.#connecting++;
  }

  /** The connect() begun last settled: registered under its local port, or failed (null). */
  settled(localPort: number | null, peer: LabPeer): void {
    this.#connecting--;
    if (localPort !== null) this.#peers.set(localPort, peer);
    for (const wake of this.#waiters) wake();
  }

  release(localPort: number): void {
    this.#peers.delete(localPort);
  }

  /** The peer connecting from `remotePort`: registered, or the outside once no connect() could still claim it. */
  peerOf(remotePort: number | undefined): Promise<LabPeer> {
    const known = (): LabPeer | null => {
      const peer = remotePort === undefined ? undefined : this.#peers.get(remotePort);
      if (peer) return peer;
      return this.#connecting === 0 ? this.#outside : null;
    };
    const now = known();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (peer: LabPeer): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(peer);
      };
      const wake = (): void => {
        const peer = known();
        if (peer) done(peer);
      };
      const timer = setTimeout(() => done(this.#outside), REGISTRATION_WAIT_MS);
      this.#waiters.add(wake);
    });
  }
}
