/**
 * An SMTP server in pure TypeScript that answers like its personality (config.personality):
 * by default the project's sandboxed smtp-server (same codes, texts, enhanced status codes and
 * limits), or the lab's Postfix. Feed it client text in any chunks and it returns what the
 * server would write back. No network, no timers.
 *
 * Lifecycle: `greeting()` first (text sent before it gets "421 You talk too soon", as with the
 * real server), then `receive()` as often as needed. After the reply "220 Ready to start TLS"
 * the server waits for `startTls()` (the simulated handshake); text received instead ends the
 * connection without a reply, as a real TLS handshake would fail on plaintext.
 *
 * With `admitMessage` the host decides on each message before the end of data is answered:
 * the reply is held (and later input left unread) until `pendingReply` settles.
 */
import { normalizeSandboxConfig } from '../normalize-sandbox-config.ts';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../sandbox-config.ts';
import type { TlsInfo } from '../transport.ts';
import { formatReply } from '../replies/format-reply.ts';
import { normalizeClientAddress } from './compat/ip-address.ts';
import type { MessageDataReader } from './data-receiver.ts';
import { enhancedStatusCodeFor, type ReplyContext } from './enhanced-status-codes.ts';
import { PERSONALITIES } from './personalities/index.ts';
import type { Personality } from './personalities/personality.ts';
import type { LocalRecipients } from './local-recipients.ts';
import { GreylistMemory } from './server-behaviours.ts';
import type { MessageCompletion, ServerContext } from './server-context.ts';
import { newSession, resetTransaction, type ServerSession } from './server-session.ts';
import type { MessageVerdict, SimulatedMessage, SimulatedServerOptions } from './types.ts';
import { utf8ByteLength } from './utf8-length.ts';

/** A documentation address (RFC 5737), so nobody mistakes it for a real client. */
export const DEFAULT_CLIENT_ADDRESS = '203.0.113.25';

const CONTROL_CHARS_GLOBAL = /[\x00-\x1F\x7F-\x9F]/g;

export class SimulatedServer {
  readonly #settings: SandboxConfig;
  readonly #personality: Personality;
  readonly #session: ServerSession = newSession();
  readonly #context: ServerContext;
  readonly #newQueueId: () => string;
  readonly #onMessage: ((message: SimulatedMessage) => void) | undefined;
  readonly #admitMessage: ((message: SimulatedMessage) => Promise<MessageVerdict>) | undefined;
  /** While the host decides on a message: where its held reply starts in #output, and the wire text after it. */
  #held: { from: number; reply: Promise<string> } | null = null;
  #output: string[] = [];
  /** Command-mode text not yet ending in a line end. */
  #input = '';
  /** Postfix-style truncation: the rest of an over-long command line is being skipped. */
  #skippingLongLine = false;
  #data: { receiver: MessageDataReader; onComplete: MessageCompletion } | null = null;

  constructor(options: SimulatedServerOptions = {}) {
    this.#settings = normalizeSandboxConfig(options.config ?? DEFAULT_SANDBOX_CONFIG);
    this.#personality = PERSONALITIES[this.#settings.personality];
    this.#newQueueId = options.newQueueId ?? this.#personality.newQueueId;
    this.#onMessage = options.onMessage;
    this.#admitMessage = options.admitMessage;
    const remoteAddress = normalizeClientAddress(options.clientAddress ?? DEFAULT_CLIENT_ADDRESS);
    this.#context = this.#createContext(remoteAddress, options.greylist ?? new GreylistMemory(), options.localRecipients ?? null);
  }

  /**
   * While `admitMessage` decides on a message: resolves with what to write next (the reply to
   * the end of data, or the host's refusal in its place, then the replies to any input that
   * was waiting). Null when nothing is held. It never rejects.
   */
  get pendingReply(): Promise<string> | null {
    return this.#held?.reply ?? null;
  }

  /** True once the server has closed the connection (QUIT, a 421, a failed handshake). */
  get closed(): boolean {
    return this.#session.closed;
  }

  /** True between "220 Ready to start TLS" and `startTls()`. */
  get awaitingTls(): boolean {
    return this.#session.upgrading && !this.#session.closed;
  }

  /** The 220 greeting as wire text (CRLF included); "" if already sent or closed. */
  greeting(): string {
    const session = this.#session;
    if (session.ready || session.closed) return '';
    session.ready = true;
    this.#context.send(220, this.#personality.greetingText(this.#settings), false);
    // A server without an early-talker check reads what the client sent too soon now.
    this.#drainInput();
    return this.#takeOutput();
  }

  /**
   * Feeds client text (partial lines, several lines, pipelined commands, message data) and
   * returns the server's replies to it as wire text; "" when it has nothing to say yet.
   */
  receive(text: string): string {
    if (this.#session.closed || text === '') return '';
    if (this.#held) {
      this.#input += text;
      return '';
    }
    if (this.#session.upgrading) {
      this.#context.close();
      return '';
    }
    this.#input += text;
    if (!this.#session.ready && this.#personality.earlyTalker === 'read-after-greeting') return '';
    this.#drainInput();
    return this.#takeOutput();
  }

  /**
   * Completes the simulated TLS handshake after "220 Ready to start TLS". Like smtp-server,
   * the session starts over: the client must send EHLO again and is no longer authenticated.
   * Throws when the server is not waiting for a handshake.
   */
  startTls(): TlsInfo {
    const session = this.#session;
    if (!this.awaitingTls) throw new Error('The server has not agreed to start TLS (it answers STARTTLS with 220 first).');
    session.upgrading = false;
    session.secure = true;
    session.user = null;
    session.hostNameAppearsAs = null;
    resetTransaction(session);
    return {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      peerCertificate: this.#settings.hostname,
      simulated: true,
    };
  }

  /** Processes buffered input until it runs out or the mode forbids reading on. */
  #drainInput(): void {
    const session = this.#session;
    while (!session.closed && !session.upgrading) {
      if (this.#data) {
        const end = this.#data.receiver.feed(this.#input);
        this.#input = '';
        if (!end) return;
        const { onComplete } = this.#data;
        this.#data = null;
        this.#input = end.rest;
        onComplete(end.content);
        if (this.#held) return;
        continue;
      }
      const newline = this.#input.indexOf('\n');
      if (newline < 0) {
        if (this.#skippingLongLine) this.#input = '';
        // smtp-stream also refuses an unfinished line that is already too long.
        else if (utf8ByteLength(this.#input) > this.#settings.maxLineLength) this.#longLine();
        return;
      }
      const line = this.#input.slice(0, this.#input[newline - 1] === '\r' ? newline - 1 : newline);
      this.#input = this.#input.slice(newline + 1);
      if (this.#skippingLongLine) {
        this.#skippingLongLine = false;
        continue;
      }
      if (utf8ByteLength(line) > this.#settings.maxLineLength && this.#personality.longCommandLine === 'refuse') {
        this.#longLine();
        return;
      }
      this.#personality.dispatch(this.#context, line.slice(0, this.#settings.maxLineLength));
    }
    // After QUIT, a 421 or STARTTLS, whatever the client pipelined is never read.
    this.#input = '';
  }

  /** An unfinished line already too long: smtp-server refuses it; Postfix reads its start. */
  #longLine(): void {
    if (this.#personality.longCommandLine === 'refuse') {
      this.#input = '';
      this.#context.send(421, 'Error: Command line too long');
      return;
    }
    const start = this.#input.slice(0, this.#settings.maxLineLength);
    this.#input = '';
    this.#skippingLongLine = true;
    this.#personality.dispatch(this.#context, start);
  }

  /** The replies ready to go: all of them, or those before a held reply. */
  #takeOutput(): string {
    const end = this.#held?.from ?? this.#output.length;
    const output = this.#output.slice(0, end).join('');
    this.#output = this.#output.slice(end);
    if (this.#held) this.#held.from = 0;
    return output;
  }

  /** Applies the host's verdict to the held reply, then reads the input that waited. */
  #settle(verdict: MessageVerdict): string {
    const from = this.#held?.from ?? 0;
    this.#held = null;
    if (!verdict.accept) {
      this.#output.length = from;
      this.#send(verdict.code, verdict.text, false);
    }
    if (!this.#session.closed && !this.#session.upgrading) this.#drainInput();
    return this.#takeOutput();
  }

  #createContext(remoteAddress: string, greylist: GreylistMemory, localRecipients: LocalRecipients | null): ServerContext {
    const settings = this.#settings;
    const session = this.#session;
    const context: ServerContext = {
      settings,
      session,
      personality: this.#personality,
      clientHostname: `[${remoteAddress}]`,
      remoteAddress,
      greylist,
      localRecipients,
      send: (code, text, replyContext) => this.#send(code, text, replyContext),
      hasPendingInput: () => this.#input !== '',
      close: () => {
        session.closed = true;
      },
      startDataMode: (onComplete, reader) => {
        this.#data = { receiver: reader ?? this.#personality.newDataReader(settings), onComplete };
      },
      startTlsUpgrade: () => {
        session.upgrading = true;
      },
      authenticate: (username, password) => {
        const account = settings.accounts.find((candidate) => candidate.username === username);
        return account && account.password === password ? account.username : null;
      },
      deliver: (content) => this.#deliver(content, remoteAddress),
    };
    return context;
  }

  #send(code: number, text: string | readonly string[] | undefined, replyContext: ReplyContext): void {
    if (this.#session.closed) return;
    const texts = (typeof text === 'string' ? [text] : (text ?? [])).map((line) => line.replace(CONTROL_CHARS_GLOBAL, ' '));
    const enhanced = enhancedStatusCodeFor(code, replyContext, this.#settings.enhancedStatusCodes);
    const lines = formatReply(code, texts, enhanced);
    this.#output.push(lines.map((line) => `${line}\r\n`).join(''));
    if (code >= 400) this.#session.errorReplies++;
    if (code === 421) this.#session.closed = true;
  }

  #deliver(content: string, remoteAddress: string): string {
    const session = this.#session;
    const queueId = this.#newQueueId();
    const message: SimulatedMessage = {
      queueId,
      mailFrom: session.mailFrom?.address ?? '',
      rcptTo: session.rcptTo.map((recipient) => recipient.address),
      data: content,
      clientHelo: session.hostNameAppearsAs ?? '',
      remoteAddress,
      authenticatedUser: session.user,
      secure: session.secure,
    };
    this.#onMessage?.(message);
    if (this.#admitMessage) {
      // The handler's reply to the end of data goes into #output right after this call: hold it.
      const from = this.#output.length;
      const reply = this.#admitMessage(message).then(
        (verdict) => this.#settle(verdict),
        () => this.#settle({ accept: false, code: 451, text: '4.3.0 Error: the message could not be stored, try again later' }),
      );
      this.#held = { from, reply };
    }
    return queueId;
  }
}
