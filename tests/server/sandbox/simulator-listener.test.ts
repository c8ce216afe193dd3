/**
 * The simulator behind TCP counts wire bytes: a BDAT chunk of n octets holding invalid UTF-8
 * and a character split between writes consumes exactly n octets, and the stored message is
 * those bytes. Real TCP on 127.0.0.1, port 0.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';
import { createSimulatorListener, type SimulatorListener } from '../../../server/sandbox/simulator-listener.ts';

let listener: SimulatorListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

/** Connects, writes each piece once the previous replies are in (`waitFor` lines each), returns every reply line. */
async function converse(port: number, steps: readonly { write: Buffer | string; waitFor: number }[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  const lines: string[] = [];
  let buffered = '';
  let wanted = 1;
  let wake: (() => void) | null = null;
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    const parts = buffered.split('\r\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length >= wanted) wake?.();
  });
  const until = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      wanted = count;
      if (lines.length >= count) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for reply ${count}; got ${JSON.stringify(lines)}`)), 5000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    await until(1);
    for (const step of steps) {
      socket.write(step.write);
      await until(lines.length + step.waitFor);
    }
    return lines;
  } finally {
    socket.destroy();
  }
}

describe('simulator listener', () => {
  it('a BDAT chunk with invalid UTF-8 and a split character consumes exactly its octets', async () => {
    const messages: CapturedMessage[] = [];
    listener = createSimulatorListener({ config: { ...DEFAULT_SANDBOX_CONFIG, personality: 'postfix', hostname: 'mx.lab.test' }, onMessage: (message) => messages.push(message), onError: () => {} });
    const { port } = await listener.listen(0, '127.0.0.1');
    // 8 octets: an invalid byte, "é" (2), a lead byte with no continuation, "ab", CRLF.
    const chunk = Buffer.from([0xff, 0xc3, 0xa9, 0xe2, 0x61, 0x62, 0x0d, 0x0a]);
    const lines = await converse(port, [
      { write: 'EHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\n', waitFor: 12 },
      { write: Buffer.concat([Buffer.from('BDAT 8 LAST\r\n'), chunk.subarray(0, 2)]), waitFor: 0 },
      { write: Buffer.concat([chunk.subarray(2), Buffer.from('QUIT\r\n')]), waitFor: 2 },
    ]);
    expect(lines.slice(-2, -1)[0]).toMatch(/^250 2\.0\.0 Ok: 8 bytes queued as /);
    expect(lines.at(-1)).toBe('221 2.0.0 Bye');
    expect(messages.map((message) => message.raw)).toEqual([expect.any(Buffer)]);
    expect(messages[0]?.raw.subarray(-8)).toEqual(chunk);
  });
});
