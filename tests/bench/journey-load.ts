/**
 * The journey benchmark's mail client: ~2 KB messages from alice@example.com to
 * bob@example.net over pipelining connections, each numbered in its Message-ID so the
 * receiving side can tell which journey ended, and the moment each one began recorded.
 */
import { performance } from 'node:perf_hooks';
import type { RawSmtpClient } from '../server/app/raw-smtp.ts';
import { sendPipelined, twoKbMessage, type Envelope } from './smtp-load.ts';

export const JOURNEY_SENDER = 'alice@example.com';
export const JOURNEY_RECIPIENT = 'bob@example.net';

/** A 2 KB message from a lab mailbox, signed later by its domain's outbound MTA. */
export function journeyMessage(index: number): string {
  return twoKbMessage(
    [`From: Alice <${JOURNEY_SENDER}>`, `To: Bob <${JOURNEY_RECIPIENT}>`, `Subject: Journey ${index}`, `Message-ID: <journey-${index}@example.com>`],
    `journey ${index}`,
  );
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
export type { Envelope };

/** Alice to bob@example.net: mail the sandbox relays to another lab domain. */
export const JOURNEY_ENVELOPE: Envelope = { from: JOURNEY_SENDER, to: JOURNEY_RECIPIENT };

/**
 * Sends `count` journeys spread over `clients` (greeted already), each pipelining its envelope
 * and DATA; returns when each journey's first byte was written (epochNow), by journey number.
 */
export async function sendJourneys(clients: readonly RawSmtpClient[], count: number, envelope: Envelope = JOURNEY_ENVELOPE): Promise<number[]> {
  const started: number[] = new Array<number>(count).fill(0);
  await sendPipelined(clients, count, envelope, journeyMessage, (index) => {
    started[index] = epochNow();
  });
  return started;
}
