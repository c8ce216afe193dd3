/**
 * One hop's SMTP conversation from the sandbox's outbound side: EHLO, MAIL FROM, RCPT TO,
 * DATA, the message, QUIT, each line waiting for its reply, through the one client driver
 * (protocol/client) with a session model reading the same events the console's do. Every
 * line is kept with its direction and lab time (the message's lines bounded), so the journey
 * view can replay and explain the hop.
 */
import type net from 'node:net';
import { ClientDriver } from '../../../protocol/client/client-driver.ts';
import type { Reply } from '../../../protocol/replies/types.ts';
import { createSessionActor } from '../../../protocol/session/index.ts';
import { transportOverSocket } from '../../transport/tcp-transport.ts';
import { dataBytes, exactBytesTransport } from './exact-bytes-transport.ts';

export interface HopLine {
  /** Lab ms. */
  readonly at: number;
  readonly direction: 'client' | 'server' | 'note';
  readonly text: string;
}

export type HopOutcome =
  | { readonly kind: 'delivered'; readonly reply: string }
  /** 4xx, a timeout or a dropped connection: try the next host, or later. */
  | { readonly kind: 'temporary'; readonly reply: string }
  /** 5xx: the message is refused for good. */
  | { readonly kind: 'permanent'; readonly reply: string };

export interface RelayConversation {
  readonly transcript: readonly HopLine[];
  readonly outcome: HopOutcome;
}

export interface ConversationInput {
  readonly socket: net.Socket;
  readonly host: string;
  readonly helo: string;
  readonly mailFrom: string;
  readonly recipient: string;
  readonly message: Buffer;
  readonly labNow: () => number;
  /** Real ms to wait for each reply (RFC 5321 §4.5.3.2 allows minutes; lab hops are on loopback). */
  readonly replyTimeoutMs?: number;
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;
/** Message lines kept in the transcript; the rest are counted in one note. */
const MESSAGE_LINES_KEPT = 40;

export async function converse(input: ConversationInput): Promise<RelayConversation> {
  const timeoutMs = input.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  const transcript: HopLine[] = [];
  const session = createSessionActor();
  const replies: (Reply | 'closed')[] = [];
  let wake: (() => void) | null = null;
  let inMessage = false;
  let messageLines = 0;
  let lastReply = '';
  const line = (direction: HopLine['direction'], text: string) => transcript.push({ at: input.labNow(), direction, text });

  const driver = new ClientDriver({
    onEvents(events) {
      for (const event of events) {
        if (event.type !== 'server.unreadable') session.send(event);
        if (event.type === 'client.line') {
          if (!inMessage || (messageLines += 1) <= MESSAGE_LINES_KEPT || event.text === '.') line('client', event.text);
        } else if (event.type === 'server.reply') {
          line('server', event.reply.lines.join('\n'));
          replies.push(event.reply);
        } else if (event.type === 'server.unreadable') {
          line('note', `unreadable line from the server: ${event.line}`);
        } else if (event.type === 'socket.closed') {
          replies.push('closed');
        }
      }
      wake?.();
    },
    snapshot: () => session.getSnapshot(),
  });

  const next = async (): Promise<Reply | 'closed' | 'timeout'> => {
    const deadline = Date.now() + timeoutMs;
    while (replies.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    return replies.shift() as Reply | 'closed';
  };

  /** Sends `text` (or nothing) and reads the reply; a non-2xx/3xx ends the conversation. */
  const step = async (text: string | null, expect: 2 | 3): Promise<HopOutcome | null> => {
    if (text !== null) driver.send(text);
    const reply = await next();
    if (reply === 'closed') return { kind: 'temporary', reply: `the connection to ${input.host} closed before the reply` };
    if (reply === 'timeout') return { kind: 'temporary', reply: `no reply from ${input.host} within ${timeoutMs / 1000} s` };
    const first = Math.floor(reply.code / 100);
    const replyText = reply.lines.join(' ');
    lastReply = replyText;
    if (first === expect) return null;
    return first === 5 ? { kind: 'permanent', reply: replyText } : { kind: 'temporary', reply: replyText };
  };

  try {
    const transport = exactBytesTransport(transportOverSocket(input.socket, input.host), input.socket);
    await driver.connect(transport.factory, input.host);
    const failed =
      (await step(null, 2)) ??
      (await step(`EHLO ${input.helo}\r\n`, 2)) ??
      (await step(`MAIL FROM:<${input.mailFrom}>\r\n`, 2)) ??
      (await step(`RCPT TO:<${input.recipient}>\r\n`, 2)) ??
      (await step('DATA\r\n', 3));
    if (failed !== null) return { transcript, outcome: failed };
    inMessage = true;
    // The bytes go out as they are; the driver and the model read their text view.
    const block = dataBytes(input.message);
    transport.replaceNextWrite(block);
    const accepted = await step(block.toString('utf8'), 2);
    inMessage = false;
    if (messageLines > MESSAGE_LINES_KEPT + 1) line('note', `${messageLines - MESSAGE_LINES_KEPT - 1} more lines of the message were sent (not kept here)`);
    if (accepted !== null) return { transcript, outcome: accepted };
    const delivered = lastReply;
    // The message is theirs now; how QUIT goes changes nothing.
    await step('QUIT\r\n', 2);
    return { transcript, outcome: { kind: 'delivered', reply: delivered } };
  } finally {
    driver.close(null, false);
    session.stop();
  }
}
