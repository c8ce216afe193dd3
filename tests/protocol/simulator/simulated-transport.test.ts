import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig, type ServerBehaviours } from '../../../protocol/sandbox-config.ts';
import { createSimulatedTransport } from '../../../protocol/simulator/index.ts';
import type { Transport, TransportFactory } from '../../../protocol/transport.ts';

interface Recorder {
  data: string[];
  closes: Array<string | undefined>;
  transport: Transport;
}

function withBehaviours(behaviours: Partial<ServerBehaviours>): SandboxConfig {
  return { ...DEFAULT_SANDBOX_CONFIG, behaviours: { ...DEFAULT_SANDBOX_CONFIG.behaviours, ...behaviours } };
}

async function open(factory: TransportFactory = createSimulatedTransport()): Promise<Recorder> {
  const data: string[] = [];
  const closes: Array<string | undefined> = [];
  const transport = await factory({
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

  it('shares greylisting between the connections of one factory, so a reconnect is a retry', async () => {
    const factory = createSimulatedTransport({ config: withBehaviours({ greylist: true }) });
    const envelope = 'EHLO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n';
    const first = await open(factory);
    first.transport.write(envelope);
    const second = await open(factory);
    second.transport.write(envelope);
    const elsewhere = await open(createSimulatedTransport({ config: withBehaviours({ greylist: true }) }));
    elsewhere.transport.write(envelope);
    await settle();
    expect(first.data.join('')).toContain('451 4.3.0 <b@example.org>: Greylisted');
    expect(second.data.join('')).toMatch(/250 2\.1\.5 Accepted\r\n$/);
    expect(elsewhere.data.join('')).toContain('451 4.3.0 <b@example.org>: Greylisted');
  });

  describe('with replyDelayMs', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('delivers each reply that long after the one before', async () => {
      vi.useFakeTimers();
      const recorder = await open(createSimulatedTransport({ config: withBehaviours({ replyDelayMs: 100 }) }));
      await vi.advanceTimersByTimeAsync(99);
      expect(recorder.data).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(recorder.data).toHaveLength(1);
      expect(recorder.data[0]).toMatch(/^220 /);

      recorder.transport.write('NOOP\r\nEHLO x\r\nQUIT\r\n');
      await vi.advanceTimersByTimeAsync(100);
      expect(recorder.data.slice(1)).toEqual(['250 2.0.0 OK\r\n']);
      await vi.advanceTimersByTimeAsync(100);
      // A multiline reply arrives whole.
      expect(recorder.data[2]).toMatch(/^250-[^]*\r\n250 SIZE \d+\r\n$/);
      expect(recorder.closes).toEqual([]);
      await vi.advanceTimersByTimeAsync(100);
      expect(recorder.data[3]).toBe('221 2.0.0 Bye\r\n');
      expect(recorder.closes).toEqual([undefined]);
    });
  });
});
