/**
 * A realistic SMTP conversation of a given length, produced by the simulated server so that
 * every reply is exactly what the sandbox would say. Returned as wire lines in order, so a
 * benchmark can time only the observer (grammar + reply assembly + session model).
 */
import { SimulatedServer } from '../../protocol/simulator/index.ts';

export type WireLine = { readonly from: 'client' | 'server'; readonly text: string };

/** A short note: the command-heavy stress case, almost as many command lines as data lines. */
export const SHORT_BODY: readonly string[] = [
  'From: Ana <ana@example.com>',
  'To: Bo <bo@example.org>',
  'Subject: Weekly report',
  'Message-ID: <report@example.com>',
  '',
  'Hello Bo,',
  '..this line was dot-stuffed by the client',
  'Here are the numbers for this week, one per line.',
  'Monday 12, Tuesday 15, Wednesday 9, Thursday 21, Friday 17.',
  '',
  'Regards, Ana',
];

/**
 * A typical plain-text mail of about 50 lines (headers, a few paragraphs, a signature): most
 * lines of real SMTP sessions are message data.
 */
export const TYPICAL_BODY: readonly string[] = [
  ...SHORT_BODY.slice(0, 5),
  'Date: Fri, 27 Nov 2026 12:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  ...Array.from({ length: 36 }, (_, line) =>
    line % 9 === 8 ? '' : `Paragraph ${Math.floor(line / 9) + 1}, line ${line % 9 + 1}: the weekly figures and what they mean for us.`),
  '..a line the client dot-stuffed',
  '',
  'Regards,',
  'Ana',
];

export type WorkloadKind = 'typical' | 'command-heavy';

/**
 * One mail transaction: commands with parameters, a second recipient asking for a DSN, one bad
 * address, then a message. `recipients` are addresses the server under test accepts.
 */
export function transaction(index: number, body: readonly string[], recipients: readonly [string, string] = ['bo@example.org', 'carol@example.org']): string[] {
  return [
    `MAIL FROM:<ana+${index}@example.com> SIZE=${400 + index}`,
    `RCPT TO:<${recipients[0]}>`,
    `RCPT TO:<${recipients[1]}> NOTIFY=SUCCESS`,
    'RCPT TO:broken-address',
    'NOOP',
    'DATA',
    ...body,
    '.',
    'RSET',
  ];
}

/** Builds a conversation of at least `minLines` wire lines (client and server together). */
export function buildWorkload(minLines: number, kind: WorkloadKind): WireLine[] {
  const body = kind === 'typical' ? TYPICAL_BODY : SHORT_BODY;
  const server = new SimulatedServer({ newQueueId: () => '4F2A9C01B7' });
  const wire: WireLine[] = [];
  const addServer = (text: string): void => {
    for (const line of text.split('\r\n')) if (line) wire.push({ from: 'server', text: line });
  };
  const send = (line: string): void => {
    wire.push({ from: 'client', text: line });
    addServer(server.receive(`${line}\r\n`));
  };
  addServer(server.greeting());
  send('EHLO client.example.com');
  send('AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==');
  for (let index = 0; wire.length < minLines; index += 1) {
    for (const line of transaction(index, body)) send(line);
  }
  send('QUIT');
  return wire;
}
