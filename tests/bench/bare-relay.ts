/**
 * The bridge round trip's floor on this machine: the same NOOP through a relay that does
 * nothing but relay (bare-relay-process.ts), against the same NOOP sent straight to the
 * sandbox behind it, interleaved as in the bridge benchmark. A do-nothing relay still adds
 * two hops between processes and a turn of its event loop, which no bridge can avoid.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { RawSmtpClient } from '../server/app/raw-smtp.ts';
import { median } from './measure.ts';

const RELAY = fileURLToPath(new URL('./bare-relay-process.ts', import.meta.url));

/** p50 round trips (ms) through the bare relay and direct, `blocks` × `perBlock` each, the first block warm-up. */
export async function measureBareRelay(blocks: number, perBlock: number): Promise<{ relayP50: number; directP50: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', RELAY]);
  try {
    const ports = await new Promise<{ ws: number; smtp: number }>((resolve, reject) => {
      child.stdout.once('data', (data: Buffer) => resolve(JSON.parse(data.toString()) as { ws: number; smtp: number }));
      child.once('exit', (code) => reject(new Error(`the bare relay exited with ${code}`)));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${ports.ws}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let replied: (() => void) | null = null;
    const greeted = new Promise<void>((resolve) => (replied = resolve));
    ws.on('message', () => replied?.());
    await greeted;
    const relayed = (text: string) =>
      new Promise<void>((resolve) => {
        replied = resolve;
        ws.send(JSON.stringify({ text }));
      });
    const direct = await RawSmtpClient.connect(ports.smtp);
    await direct.reply();
    await relayed('EHLO bench.example\r\n');
    await direct.command('EHLO bench.example');
    const viaRelay: number[] = [];
    const straight: number[] = [];
    for (let block = 0; block < blocks; block += 1) {
      for (let i = 0; i < perBlock; i += 1) {
        let start = performance.now();
        await relayed('NOOP\r\n');
        const r = performance.now() - start;
        start = performance.now();
        await direct.command('NOOP');
        if (block > 0) {
          viaRelay.push(r);
          straight.push(performance.now() - start);
        }
      }
    }
    ws.close();
    direct.destroy();
    return { relayP50: median(viaRelay), directP50: median(straight) };
  } finally {
    child.kill();
  }
}
