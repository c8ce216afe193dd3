/** `smtp-lab serve` prints every web URL that will work, and the process refuses any other name. */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServeProcess } from './serve-process.ts';

function statusFor(base: string, host: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: '/api/health', headers: { host }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('smtp-lab serve, the start banner', { timeout: 30_000 }, () => {
  it('lists the loopback URLs and each --public-host, and answers only for those names', async () => {
    const serve = await startServeProcess({ args: ['--public-host', 'lab.school.test', '--public-host', 'lab2.school.test'] });
    try {
      const port = new URL(serve.httpBase).port;
      expect(serve.stdout()).toContain(
        `  web app:   http://127.0.0.1:${port}/\n` +
          `             http://localhost:${port}/\n` +
          `             http://lab.school.test:${port}/\n` +
          `             http://lab2.school.test:${port}/\n` +
          '  console:   ',
      );
      expect(await statusFor(serve.httpBase, `localhost:${port}`)).toBe(200);
      expect(await statusFor(serve.httpBase, 'lab2.school.test')).toBe(200);
      expect(await statusFor(serve.httpBase, `evil.example:${port}`)).toBe(421);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
