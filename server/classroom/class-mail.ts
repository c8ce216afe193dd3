/**
 * Class mail: a message a student sends to a classmate's class address lands in the
 * classmate's mailbox too (a copy per recipient namespace), inside the sandbox and nowhere
 * else. The sender's own copy goes to the sender's namespace, found from the SMTP connection:
 * the bridge reaches the sandbox through a private loopback entrance, so the sandbox sees
 * the bridge socket's local port as the client's port, and the bridge knows which learner
 * owns that port. Mail from any other client (swaks on the SMTP port) belongs to the
 * instructor's namespace: the sandbox's AUTH accounts are shared, so they identify nobody.
 */
import type { BehaviourReply } from '../../protocol/simulator/server-behaviours.ts';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { INSTRUCTOR_NAMESPACE } from './classroom-types.ts';

/** The connection facts the sandbox passes for each recipient and message (smtp-server's session has them). */
export interface SmtpConnectionInfo {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface ClassMailOptions {
  /** See ClassService.namespaceOfAddress: a namespace, null (unknown class address) or undefined (not a class address). */
  readonly namespaceOfAddress: (address: string) => Promise<string | null | undefined>;
  /** The learner's namespace when the connection came through the bridge's entrance; null otherwise. */
  readonly bridgeNamespaceOf: (connection: SmtpConnectionInfo) => string | null;
  /**
   * Stores a copy of the message in each namespace, all in one transaction; resolves once
   * committed (the sandbox's 250 waits for it), rejects with a MailRefusal if nothing was kept.
   * `sender` is the sender's namespace: the lab world the message moves on in.
   */
  readonly store: (namespaces: readonly string[], message: CapturedMessage, sender: string) => Promise<void>;
}

export class ClassMail {
  readonly #options: ClassMailOptions;
  /** The sender's namespace per SMTP connection, settled at its first recipient. */
  readonly #senders = new WeakMap<SmtpConnectionInfo, string>();

  constructor(options: ClassMailOptions) {
    this.#options = options;
  }

  /** The sandbox's recipient check: 550 for an address at the class domain that nobody in the class has. */
  async recipientRefusal(recipient: string, connection: SmtpConnectionInfo): Promise<BehaviourReply | null> {
    // Settled now, while the bridge session that owns the port is surely still open.
    this.senderNamespace(connection);
    if ((await this.#options.namespaceOfAddress(recipient)) !== null) return null;
    return { code: 550, text: `<${recipient}>: Recipient address rejected: nobody in this class has that address` };
  }

  /**
   * Stores the message for its sender and for every class address among its recipients, once
   * per namespace: every copy or none, committed before the promise resolves.
   */
  async deliver(message: CapturedMessage, connection: SmtpConnectionInfo): Promise<void> {
    const sender = this.senderNamespace(connection);
    const namespaces = new Set([sender]);
    for (const recipient of message.rcptTo) {
      const namespace = await this.#options.namespaceOfAddress(recipient);
      if (typeof namespace === 'string') namespaces.add(namespace);
    }
    return this.#options.store([...namespaces], message, sender);
  }

  /** Whose mail this connection sends: its learner's through the bridge, else the instructor's. */
  senderNamespace(connection: SmtpConnectionInfo): string {
    let namespace = this.#senders.get(connection);
    if (namespace === undefined) {
      namespace = this.#options.bridgeNamespaceOf(connection) ?? INSTRUCTOR_NAMESPACE;
      this.#senders.set(connection, namespace);
    }
    return namespace;
  }
}
