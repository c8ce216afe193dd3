/**
 * The journey benchmark's mail client: ~2 KB messages from alice@example.com to
 * bob@example.net over pipelining connections, each numbered in its Message-ID so the
 * receiving side can tell which journey ended, and the moment each one began recorded.
 */
import { performance } from 'node:perf_hooks';
import type { RawSmtpClient } from '../server/app/raw-smtp.ts';

export const JOURNEY_SENDER = 'alice@example.com';
export const JOURNEY_RECIPIENT = 'bob@example.net';

/** A 2 KB message from a lab mailbox, signed later by its domain's outbound MTA. */
export function journeyMessage(index: number): string {
  const body = Array.from({ length: 24 }, (_, line) => `Line ${line} of journey ${index}: the quick brown fox jumps over the lazy dog.`);
  return [
    `From: Alice <${JOURNEY_SENDER}>`,
    `To: Bob <${JOURNEY_RECIPIENT}>`,
    `Subject: Journey ${index}`,
    `Message-ID: <journey-${index}@example.com>`,
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

const JOURNEY_ID = /^Message-ID: <journey-(\d+)@example\.com>/im;

/** The journey number in a message's Message-ID, or null for any other message. */
export function journeyIndex(raw: Buffer): number | null {
  const match = JOURNEY_ID.exec(raw.toString('latin1'));
  return match ? Number(match[1]) : null;
}

/** Wall-clock ms with sub-ms precision, comparable between processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** The SMTP envelope of the messages sent; the header From and To stay alice's and bob's. */
export interface Envelope {
  readonly from: string;
  readonly to: string;
}

/** Alice to bob@example.net: mail the sandbox relays to another lab domain. */
export const JOURNEY_ENVELOPE: Envelope = { from: JOURNEY_SENDER, to: JOURNEY_RECIPIENT };

/**
 * Sends `count` journeys spread over `clients` (greeted already), each pipelining its envelope
 * and DATA; returns when each journey's first byte was written (epochNow), by journey number.
 */
export async function sendJourneys(clients: readonly RawSmtpClient[], count: number, envelope: Envelope = JOURNEY_ENVELOPE): Promise<number[]> {
  const started: number[] = new Array<number>(count).fill(0);
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < count) {
        const index = next++;
        started[index] = epochNow();
        client.write(`MAIL FROM:<${envelope.from}>\r\nRCPT TO:<${envelope.to}>\r\nDATA\r\n`);
        for (const expected of [250, 250, 354]) {
          const reply = await client.reply();
          if (reply.code !== expected) throw new Error(`expected ${expected}, got ${reply.text}`);
        }
        client.write(journeyMessage(index));
        const queued = await client.reply();
        if (queued.code !== 250) throw new Error(`message refused: ${queued.text}`);
      }
    }),
  );
  return started;
}
