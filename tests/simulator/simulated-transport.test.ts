import { describe, expect, it } from 'vitest';
import { createSimulatedTransport } from '../../protocol/simulator/index.ts';
import type { Transport } from '../../protocol/transport.ts';

interface Recorder {
  data: string[];
  closes: Array<string | undefined>;
  transport: Transport;
}

async function open(): Promise<Recorder> {
  const data: string[] = [];
  const closes: Array<string | undefined> = [];
  const transport = await createSimulatedTransport()({
    onData: (text) => data.push(text),
    onClose: (reason) => closes.push(reason),
  });
  return { data, closes, transport };
}

/** Lets every scheduled delivery run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

describe('createSimulatedTransport', () => {
  it('delivers the greeting and replies asynchronously, in order', async () => {
    const recorder = await open();
    expect(recorder.data).toEqual([]);
    recorder.transport.write('EHLO x\r\n');
    recorder.transport.write('NOOP\r\n');
    expect(recorder.data).toEqual([]);
    await settle();
    expect(recorder.data[0]).toMatch(/^220 /);
    expect(recorder.data[1]).toMatch(/^250-/);
    expect(recorder.data[2]).toBe('250 2.0.0 OK\r\n');
  });

  it('closes after 221 Bye, once', async () => {
    const recorder = await open();
    recorder.transport.write('QUIT\r\n');
    recorder.transport.write('NOOP\r\n');
    await settle();
    expect(recorder.data.at(-1)).toBe('221 2.0.0 Bye\r\n');
    expect(recorder.closes).toEqual([undefined]);
  });

  it('resolves a simulated TLS handshake after 220', async () => {
    const recorder = await open();
    recorder.transport.write('STARTTLS\r\n');
    const info = await recorder.transport.startTls();
    expect(info.simulated).toBe(true);
    expect(info.protocol).toBe('TLSv1.3');
    recorder.transport.write('EHLO x\r\n');
    await settle();
    expect(recorder.data.at(-1)).not.toContain('STARTTLS');
  });

  it('rejects startTls() when the server did not agree', async () => {
    const recorder = await open();
    await expect(recorder.transport.startTls()).rejects.toThrow(/220/);
  });

  it('reports the close when the client closes', async () => {
    const recorder = await open();
    recorder.transport.close();
    recorder.transport.write('NOOP\r\n');
    await settle();
    expect(recorder.closes).toEqual([undefined]);
    expect(recorder.data).toEqual([]);
  });
});
