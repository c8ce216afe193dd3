/** The ingest benchmark's mail client: many ~2 KB messages over pipelining connections. */
import { RawSmtpClient } from '../server/app/raw-smtp.ts';

/**
 * A ~2 KB message: `headers` (From, To, Subject, Message-ID), the usual date and MIME lines,
 * and a plain-text body of lines naming `label`, with one dot-stuffed line.
 */
export function twoKbMessage(headers: readonly string[], label: string): string {
  const body = Array.from({ length: 24 }, (_, line) => `Line ${line} of ${label}: the quick brown fox jumps over the lazy dog.`);
  return [
    ...headers,
    'Date: Fri, 27 Nov 2026 12:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    ...body,
    '..a dot-stuffed line',
    '.',
    '',
  ].join('\r\n');
}

/** A 2 KB message: the usual headers and a plain-text body with one dot-stuffed line. */
export function loadMessage(index: number): string {
  return twoKbMessage(
    ['From: Ana <ana@example.com>', 'To: Bo <bo@example.org>', `Subject: Load test ${index}`, `Message-ID: <load-${index}@example.com>`],
    `message ${index}`,
  );
}

/** Connects to 127.0.0.1:port and gets through the greeting and EHLO. */
export async function openClient(port: number): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(port);
  await client.reply();
  await client.command('EHLO load.example');
  return client;
}

/** The SMTP envelope of one message. */
export interface Envelope {
  readonly from: string;
  readonly to: string;
}

/**
 * Sends `count` messages spread over `clients` (greeted already), each pipelining its envelope
 * and DATA (RFC 2920: one write, DATA last); `onStart` hears each message number as it begins.
 */
export async function sendPipelined(
  clients: readonly RawSmtpClient[],
  count: number,
  envelope: Envelope,
  message: (index: number) => string,
  onStart: (index: number) => void = () => undefined,
): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < count) {
        const index = next++;
        onStart(index);
        client.write(`MAIL FROM:<${envelope.from}>\r\nRCPT TO:<${envelope.to}>\r\nDATA\r\n`);
        for (const expected of [250, 250, 354]) {
          const reply = await client.reply();
          if (reply.code !== expected) throw new Error(`expected ${expected}, got ${reply.text}`);
        }
        client.write(message(index));
        const queued = await client.reply();
        if (queued.code !== 250) throw new Error(`message refused: ${queued.text}`);
      }
    }),
  );
}

/**
 * The recipient is outside the lab world: captured and recorded, never relayed, so this
 * measures single-hop ingest (a lab domain would start a journey per message).
 */
const INGEST_ENVELOPE: Envelope = { from: 'ana@example.com', to: 'bo@outside.test' };

/** Sends `count` messages, spread over `clients`, each pipelining its envelope and DATA. */
export async function sendAll(clients: readonly RawSmtpClient[], count: number): Promise<void> {
  await sendPipelined(clients, count, INGEST_ENVELOPE, loadMessage);
}
