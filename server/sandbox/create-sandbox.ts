/**
 * The sandboxed real SMTP server: nodemailer's smtp-server configured from the shared
 * SandboxConfig. It captures every accepted message through a callback and opens no outbound
 * connection, whatever the recipients: there is no delivery code at all, so nothing can relay.
 *
 * The teaching behaviours (config.behaviours) use smtp-server's own means where it has them:
 * `authOptional: false` for requireAuth, the onRcptTo hook for greylisting, relay refusal and
 * unknown mailboxes, the onData callback for the delayed end-of-data reply; the rest is in
 * connection-behaviours.ts. All of them live in the options, so a server built from a copy
 * of `sandbox.server.options` behaves the same (and shares the greylisting memory).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { normalizeSandboxConfig } from '../../protocol/normalize-sandbox-config.ts';
import { DEFAULT_SANDBOX_CONFIG, queuedReplyText, type SandboxConfig, type ServerBehaviours } from '../../protocol/sandbox-config.ts';
import {
  GreylistMemory,
  greylistApplies,
  greylistedReply,
  policyRefusal,
  type BehaviourReply,
  type RecipientCheck,
} from '../../protocol/simulator/server-behaviours.ts';
import type { CapturedMessage } from './captured-message.ts';
import { MailRefusal } from './mail-refusal.ts';
import { withConnectionBehaviours, type LiveBehaviours } from './connection-behaviours.ts';
import { newQueueId } from './queue-id.ts';
import type { SandboxGreylist } from './sandbox-greylist-store.ts';

export interface SandboxOptions {
  readonly config?: SandboxConfig;
  /**
   * Called once for every message the server received, with the connection it came on. If it
   * returns a promise, the reply to the end of the data waits for it: 250 once it resolves
   * (the live process resolves once the message is committed). If it throws or rejects with a
   * MailRefusal, that is the reply: 451 4.3.0, or 421 4.3.0 and the connection closes.
   */
  readonly onMessage?: (message: CapturedMessage, connection: SMTPServerSession) => unknown;
  /** Checked at each MAIL FROM: a reason to answer 421 4.3.0 and close (no mail can be kept now), or null. */
  readonly refuseTransactions?: () => string | null;
  /**
   * Checked for each RCPT before the behaviours: a refusal, or null to go on (the classroom
   * refuses class addresses nobody has). `connection` is the same object for a whole connection.
   * A promise is waited for (the classroom reads its database); a rejected one is a 451.
   */
  readonly checkRecipient?: (recipient: string, connection: SMTPServerSession) => BehaviourReply | null | Promise<BehaviourReply | null>;
  /**
   * The greylisting memory (the greylist behaviour): shared with other processes through the
   * database (SandboxGreylistStore); one in memory for this sandbox by default. A failure to
   * read it is a 451.
   */
  readonly greylist?: SandboxGreylist;
  /** Called for server-level errors (a client's broken socket); the server stays up. */
  readonly onError?: (error: Error) => void;
  /** PEM key and certificate for STARTTLS; smtp-server's built-in localhost pair otherwise. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Idle time before the server says 421 and hangs up; generous, since humans type. */
  readonly socketTimeoutMs?: number;
}

export interface Sandbox {
  readonly server: SMTPServer;
  /** Starts listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, tells connected clients 421 and waits for them to go. */
  close(): Promise<void>;
  /** The teaching behaviours and SIZE limit in force. */
  behaviours(): Readonly<LiveBehaviours>;
  /**
   * Switches behaviours and the SIZE limit at run time, for every listener built from this
   * sandbox's options: a new session has them from its greeting; an open one from its next
   * command (an EHLO reply already sent keeps the SIZE it announced).
   */
  setBehaviours(change: Partial<ServerBehaviours> & { readonly maxMessageSize?: number }): void;
}

/** Creates (but does not start) a sandbox server. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = options.config ?? DEFAULT_SANDBOX_CONFIG;
  const live: LiveBehaviours = { behaviours: config.behaviours, maxMessageSize: config.maxMessageSize };
  const smtpOptions = { ...toSmtpServerOptions(config, options), ...handlers(config, live, options) };
  const server = new SMTPServer(withConnectionBehaviours(smtpOptions, live));
  // Without an error listener a single client's socket error would crash the process.
  server.on('error', (error) => options.onError?.(error));

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve(server.server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
    behaviours: () => ({ behaviours: live.behaviours, maxMessageSize: live.maxMessageSize }),
    setBehaviours({ maxMessageSize, ...behaviours }) {
      live.behaviours = { ...live.behaviours, ...behaviours };
      if (maxMessageSize !== undefined) live.maxMessageSize = maxMessageSize;
    },
  };
}

/** The one place the configuration's names meet smtp-server's option names. */
function toSmtpServerOptions(config: SandboxConfig, options: SandboxOptions): SMTPServerOptions {
  const settings = normalizeSandboxConfig(config);
  return {
    name: settings.hostname,
    banner: settings.banner,
    size: settings.maxMessageSize,
    // Refuse oversized DATA with 552 instead of leaving it to onData (RFC 1870 §6.3).
    rejectOversized: true,
    maxRecipients: settings.maxRecipients,
    maxCommandLength: settings.maxLineLength,
    authMethods: [...settings.authMethods],
    // false: MAIL, RCPT and DATA need AUTH first (530), and smtp-server's limit of
    // unauthenticated commands applies.
    authOptional: !settings.behaviours.requireAuth,
    allowInsecureAuth: settings.allowInsecureAuth,
    hideENHANCEDSTATUSCODES: !settings.enhancedStatusCodes,
    // Learners connect from anywhere; a PTR lookup would only add a 1.5 s wait.
    disableReverseLookup: true,
    socketTimeout: options.socketTimeoutMs ?? 5 * 60_000,
    logger: false,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
  };
}

function handlers(config: SandboxConfig, live: LiveBehaviours, options: SandboxOptions): Partial<SMTPServerOptions> {
  // One memory per sandbox at least: a retry in a later connection is recognized.
  const greylist = options.greylist ?? inMemoryGreylist();
  /** The behaviours' refusal, in the order of recipientRefusal (protocol/), asking the memory last. */
  const behaviourRefusal = async (check: RecipientCheck): Promise<BehaviourReply | null> => {
    const refusal = policyRefusal(live.behaviours, check);
    if (refusal !== null || !greylistApplies(live.behaviours, check)) return refusal;
    return (await greylist.seenBefore(check.sender, check.recipient)) ? null : greylistedReply(check.recipient);
  };
  /** Waits replyDelayMs before the reply to the end of the message, like every other reply. */
  const later = (reply: () => void): void => {
    const delay = live.behaviours.replyDelayMs;
    if (delay > 0) setTimeout(reply, delay);
    else reply();
  };
  return {
    onAuth(auth, _session, callback) {
      const account = config.accounts.find((candidate) => candidate.username === auth.username);
      if (account && account.password === auth.password) {
        callback(null, { user: account.username });
        return;
      }
      // An empty response makes smtp-server answer 535 5.7.8 with its standard text.
      callback(null, {});
    },
    onRcptTo(address, session, callback) {
      const mailFrom = session.envelope.mailFrom;
      const check = { sender: mailFrom ? mailFrom.address : '', recipient: address.address, authenticated: Boolean(session.user) };
      // smtp-server answers err.responseCode with err.message, the enhanced code by its table.
      const answer = (refusal: BehaviourReply | null) => callback(refusal ? Object.assign(new Error(refusal.text), { responseCode: refusal.code }) : null);
      // The checks read the database (class addresses, the outbound queue's count, greylisting): a failure is a 451, never a crash.
      new Promise<BehaviourReply | null>((resolve) => resolve(options.checkRecipient?.(address.address, session) ?? null))
        .then((refusal) => refusal ?? behaviourRefusal(check))
        .then(answer, (error: unknown) =>
          answer({ code: 451, text: `<${address.address}>: Recipient not checked: ${error instanceof Error ? error.message : String(error)}; try again later` }),
        );
    },
    onMailFrom(this: SMTPServer, _address, session, callback) {
      const reason = options.refuseTransactions?.() ?? null;
      if (reason === null) callback();
      else closeWith421(this, session, `${config.hostname} ${reason}`);
    },
    onData(this: SMTPServer, stream, session, callback) {
      const chunks: Buffer[] = [];
      const limit = live.maxMessageSize;
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Stop keeping an oversized message; smtp-server answers 552 for it by itself.
        if (!limit || bytes <= limit) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          later(() => callback(null, 'ignored: the server replaces this reply with 552'));
          return;
        }
        const queueId = newQueueId();
        const message = toCapturedMessage(queueId, Buffer.concat(chunks), session);
        new Promise<unknown>((resolve) => resolve(options.onMessage?.(message, session))).then(
          () => later(() => callback(null, queuedReplyText(queueId))),
          (error: unknown) => {
            const refusal = error instanceof MailRefusal ? error : new MailRefusal(451, `Message not stored: ${error instanceof Error ? error.message : String(error)}`);
            if (refusal.responseCode === 451) later(() => callback(refusal));
            else closeWith421(this, session, `${config.hostname} ${refusal.message}`);
          },
        );
      });
    },
  };
}

function inMemoryGreylist(): SandboxGreylist {
  const memory = new GreylistMemory();
  return { seenBefore: async (sender, recipient) => memory.seenBefore(sender, recipient) };
}

/**
 * Answers `421 4.3.0 text` and closes the connection. smtp-server would give a 421 passed to a
 * callback the enhanced code 4.4.2 (a network problem); 4.3.0 says the mail system is at fault.
 */
function closeWith421(server: SMTPServer, session: SMTPServerSession, text: string): void {
  for (const connection of server.connections) {
    if (connection.session === session) connection.send(421, text, 'SYSTEM_ERROR');
  }
}

function toCapturedMessage(queueId: string, raw: Buffer, session: SMTPServerSession): CapturedMessage {
  const mailFrom = session.envelope.mailFrom;
  return {
    queueId,
    receivedAt: new Date(),
    mailFrom: mailFrom ? mailFrom.address : '',
    rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
    raw,
    clientHelo: session.hostNameAppearsAs,
    remoteAddress: session.remoteAddress,
    authenticatedUser: typeof session.user === 'string' ? session.user : null,
    secure: session.secure,
  };
}
