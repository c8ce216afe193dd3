/** A burst of mail that goes on until the server is killed: what the durability tests send. */
import { loadMessage } from '../../bench/smtp-load.ts';
import type { RawSmtpClient } from './raw-smtp.ts';

/** Each connection stops after this many messages at most (the kill comes long before). */
export const MAX_PER_CONNECTION = 400;

/** Sends messages on `client` until it fails or the cap is reached; records each 250's queue id. */
export async function sendUntilCut(client: RawSmtpClient, index: () => number, acknowledged: string[]): Promise<void> {
  try {
    for (let sent = 0; sent < MAX_PER_CONNECTION; sent += 1) {
      client.write('MAIL FROM:<ana@example.com>\r\nRCPT TO:<bo@example.org>\r\nDATA\r\n');
      for (let reply = 0; reply < 3; reply += 1) await client.reply();
      client.write(loadMessage(index()));
      const queued = await client.reply();
      const queueId = /queued as (\w+)/.exec(queued.text)?.[1];
      if (queued.code !== 250 || queueId === undefined) throw new Error(`unexpected reply ${queued.text}`);
      acknowledged.push(queueId);
    }
  } catch {
    // The server was killed: the connection is gone, whatever it was in the middle of.
  }
}

/** Waits (bounded) until `acknowledged` holds at least `count` queue ids. */
export async function untilAcknowledged(acknowledged: readonly string[], count: number): Promise<void> {
  for (let waited = 0; acknowledged.length < count; waited += 1) {
    if (waited > 600) throw new Error(`only ${acknowledged.length} messages acknowledged in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
