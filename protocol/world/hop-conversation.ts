/**
 * One relay hop's SMTP conversation, the same from the lab server's outbound side (over a
 * loopback socket) and from the page's simulated relay (over a simulated MX): EHLO, MAIL FROM,
 * RCPT TO, DATA, the message, QUIT, each line waiting for its reply, through the one client
 * driver (protocol/client) with a session model reading the same events the console's do.
 * Every line is kept with its direction and lab time (the message's lines bounded), so the
 * Journey view replays and explains the hop.
 */
import { ClientDriver } from '../client/client-driver.ts';
import type { Reply } from '../replies/types.ts';
import { createSessionActor } from '../session/index.ts';
import type { PersonalityName } from '../sandbox-config.ts';
import type { TransportFactory } from '../transport.ts';

export interface HopLine {
  /** Lab ms. */
  readonly at: number;
  readonly direction: 'client' | 'server' | 'note';
  readonly text: string;
}

export type HopOutcome =
  | { readonly kind: 'delivered'; readonly reply: string }
  /** 4xx, a timeout or a closed connection: try the next host, or later. */
  | { readonly kind: 'temporary'; readonly reply: string }
  /** 5xx: the message is refused for good. */
  | { readonly kind: 'permanent'; readonly reply: string };

export interface HopConversation {
  readonly transcript: readonly HopLine[];
  readonly outcome: HopOutcome;
}

export interface HopInput {
  readonly open: TransportFactory;
  readonly host: string;
  /** The receiving server's personality, when known: the session model predicts and explains its replies. */
  readonly personality?: PersonalityName;
  readonly helo: string;
  readonly mailFrom: string;
  readonly recipient: string;
  /** The block after 354 as text (dot-stuffed, ending in the lone dot): what the driver and the model read. */
  readonly data: string;
  /** Called just before the block is written (the server puts the exact bytes on the socket instead). */
  readonly beforeData?: () => void;
  readonly labNow: () => number;
  /** Real ms to wait for each reply; none when absent (a simulated server always answers or closes). */
  readonly replyTimeoutMs?: number;
}

/** Message lines kept in the transcript; the rest are counted in one note. */
const MESSAGE_LINES_KEPT = 40;

export async function converse(input: HopInput): Promise<HopConversation> {
  const transcript: HopLine[] = [];
  const session = createSessionActor(input.personality === undefined ? {} : { personality: input.personality });
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
    const timeoutMs = input.replyTimeoutMs;
    const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    while (replies.length === 0) {
      const left = deadline === null ? null : deadline - Date.now();
      if (left !== null && left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = left === null ? null : setTimeout(resolve, left);
        wake = () => {
          if (timer !== null) clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    return replies.shift() as Reply | 'closed';
  };

  /** Sends `text` (or nothing) and reads the reply; anything but the expected class ends the conversation. */
  const step = async (text: string | null, expect: 2 | 3): Promise<HopOutcome | null> => {
    if (text !== null) driver.send(text);
    const reply = await next();
    if (reply === 'closed') return { kind: 'temporary', reply: `the connection to ${input.host} closed before the reply` };
    if (reply === 'timeout') return { kind: 'temporary', reply: `no reply from ${input.host} within ${(input.replyTimeoutMs ?? 0) / 1000} s` };
    lastReply = reply.lines.join(' ');
    const first = Math.floor(reply.code / 100);
    if (first === expect) return null;
    return first === 5 ? { kind: 'permanent', reply: lastReply } : { kind: 'temporary', reply: lastReply };
  };

  try {
    await driver.connect(input.open, input.host);
    const failed =
      (await step(null, 2)) ??
      (await step(`EHLO ${input.helo}\r\n`, 2)) ??
      (await step(`MAIL FROM:<${input.mailFrom}>\r\n`, 2)) ??
      (await step(`RCPT TO:<${input.recipient}>\r\n`, 2)) ??
      (await step('DATA\r\n', 3));
    if (failed !== null) return { transcript, outcome: failed };
    inMessage = true;
    input.beforeData?.();
    const accepted = await step(input.data, 2);
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

/** The DATA block of a text message (RFC 5321 §4.5.2): a line starting with "." gets another, then the end-of-data line. */
export function dotStuffed(message: string): string {
  const lines = message.replace(/\r?\n$/, '').split(/\r?\n/);
  return `${lines.map((text) => (text.startsWith('.') ? `.${text}` : text)).join('\r\n')}\r\n.\r\n`;
}
