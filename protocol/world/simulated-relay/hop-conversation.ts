/**
 * One hop's SMTP conversation as the page's simulated relay speaks it: EHLO, MAIL FROM,
 * RCPT TO, DATA, the message, QUIT, each line waiting for its reply, through the one client
 * driver (protocol/client) over any transport (here, a simulated MX in the page). Every line
 * is kept with its lab time, the message's lines bounded, so the Journey view replays and
 * explains the hop exactly as it does the server's.
 */
import { ClientDriver } from '../../client/client-driver.ts';
import type { Reply } from '../../replies/types.ts';
import { createSessionActor } from '../../session/index.ts';
import type { PersonalityName } from '../../sandbox-config.ts';
import type { TransportFactory } from '../../transport.ts';

export interface HopLine {
  /** Lab ms. */
  readonly at: number;
  readonly direction: 'client' | 'server' | 'note';
  readonly text: string;
}

export type HopOutcome =
  | { readonly kind: 'delivered'; readonly reply: string }
  /** 4xx or a closed connection: try the next host, or later. */
  | { readonly kind: 'temporary'; readonly reply: string }
  /** 5xx: refused for good. */
  | { readonly kind: 'permanent'; readonly reply: string };

export interface HopConversation {
  readonly transcript: readonly HopLine[];
  readonly outcome: HopOutcome;
}

export interface HopInput {
  readonly open: TransportFactory;
  readonly host: string;
  /** The receiving server's personality: the session model predicts and explains its replies. */
  readonly personality: PersonalityName;
  readonly helo: string;
  readonly mailFrom: string;
  readonly recipient: string;
  /** The message as it leaves (header and body, CRLF line ends), before dot-stuffing. */
  readonly message: string;
  readonly labNow: () => number;
}

/** Message lines kept in the transcript; the rest are counted in one note. */
const MESSAGE_LINES_KEPT = 40;

export async function converseWith(input: HopInput): Promise<HopConversation> {
  const transcript: HopLine[] = [];
  const session = createSessionActor({ personality: input.personality });
  const replies: (Reply | 'closed')[] = [];
  let wake: (() => void) | null = null;
  let inMessage = false;
  let messageLines = 0;
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

  // The simulated server always answers or closes: no reply timeout is needed in the page.
  const next = async (): Promise<Reply | 'closed'> => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    return replies.shift() as Reply | 'closed';
  };

  let lastReply = '';
  /** Sends `text` (or nothing) and reads the reply; anything but the expected class ends the conversation. */
  const step = async (text: string | null, expect: 2 | 3): Promise<HopOutcome | null> => {
    if (text !== null) driver.send(text);
    const reply = await next();
    if (reply === 'closed') return { kind: 'temporary', reply: `the connection to ${input.host} closed before the reply` };
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
    const accepted = await step(dotStuffed(input.message), 2);
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

/** The DATA block (RFC 5321 §4.5.2): a line starting with "." gets another, then the end-of-data line. */
export function dotStuffed(message: string): string {
  const lines = message.replace(/\r?\n$/, '').split(/\r?\n/);
  return `${lines.map((text) => (text.startsWith('.') ? `.${text}` : text)).join('\r\n')}\r\n.\r\n`;
}
