/** The ingest benchmark's mail client: many ~2 KB messages over pipelining connections. */
import { RawSmtpClient } from '../server/app/raw-smtp.ts';

/** A 2 KB message: the usual headers and a plain-text body with one dot-stuffed line. */
export function loadMessage(index: number): string {
  const body = Array.from({ length: 24 }, (_, line) => `Line ${line} of message ${index}: the quick brown fox jumps over the lazy dog.`);
  return [
    'From: Ana <ana@example.com>',
    'To: Bo <bo@example.org>',
    `Subject: Load test ${index}`,
    `Message-ID: <load-${index}@example.com>`,
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

/** Connects to 127.0.0.1:port and gets through the greeting and EHLO. */
export async function openClient(port: number): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(port);
  await client.reply();
  await client.command('EHLO load.example');
  return client;
}

/** Sends `count` messages, spread over `clients`, each pipelining its envelope and DATA. */
export async function sendAll(clients: readonly RawSmtpClient[], count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < count) {
        const index = next++;
        // PIPELINING (RFC 2920): the envelope and DATA go in one write, DATA last. The recipient
        // is outside the lab world: captured and recorded, never relayed, so this measures
        // single-hop ingest (a lab domain would start a journey per message).
        client.write('MAIL FROM:<ana@example.com>\r\nRCPT TO:<bo@outside.test>\r\nDATA\r\n');
        for (const expected of [250, 250, 354]) {
          const reply = await client.reply();
          if (reply.code !== expected) throw new Error(`expected ${expected}, got ${reply.text}`);
        }
        client.write(loadMessage(index));
        const queued = await client.reply();
        if (queued.code !== 250) throw new Error(`message refused: ${queued.text}`);
      }
    }),
  );
}
