/**
 * Who is connecting to a lab MX. The lab has no IP layer of its own: every hop is a TCP
 * connection on loopback, so the lab IP a receiver must see (SPF's `ip`, greylisting's
 * triplet, the Received header) and the student whose world it is travel beside the
 * connection, not in it. `connect()` registers its socket's two ports (its own and the
 * listener's: Linux gives the same ephemeral port to connections to different listeners, so
 * the client port alone could mistake an outside client for a lab hop); the MX listener looks
 * the pair up at accept time. Nothing ever leaves loopback.
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
  /** The outbound queue row this connection relays, so the delivered copy links to its journey. */
  readonly outboundId?: number;
}

/** A loopback connection's two ends: the sending side's port and the lab host's listening port. */
export interface LabConnectionPorts {
  readonly clientPort: number;
  readonly listenerPort: number;
}

const connectionKey = ({ clientPort, listenerPort }: LabConnectionPorts): string => `${clientPort}>${listenerPort}`;

export class LabConnections {
  /** By `connectionKey`. */
  readonly #peers = new Map<string, LabPeer>();
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

  /** The connect() begun last settled: registered under its ports, or failed (null). */
  settled(ports: LabConnectionPorts | null, peer: LabPeer): void {
    this.#connecting--;
    if (ports !== null) this.#peers.set(connectionKey(ports), peer);
    for (const wake of this.#waiters) wake();
  }

  release(ports: LabConnectionPorts): void {
    this.#peers.delete(connectionKey(ports));
  }

  /** The peer of an accepted connection: registered, or the outside once no connect() could still claim it. */
  peerOf(ports: Partial<LabConnectionPorts>): Promise<LabPeer> {
    const known = (): LabPeer | null => {
      const { clientPort, listenerPort } = ports;
      const peer = clientPort === undefined || listenerPort === undefined ? undefined : this.#peers.get(connectionKey({ clientPort, listenerPort }));
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
