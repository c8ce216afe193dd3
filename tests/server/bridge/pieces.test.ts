import { describe, expect, it } from 'vitest';
import { formatDuration, serverCloseReason } from '../../../server/bridge/close-reasons.ts';
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';
import { TokenBucket } from '../../../server/bridge/token-bucket.ts';
import { isOriginAllowed } from '../../../server/bridge/upgrade-guard.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';

describe('LineBuffer with raw lines and a cap', () => {
  it('keeps each line end as it came, across chunks', () => {
    const splitter = new LineBuffer(100);
    expect(splitter.pushRaw('EHLO a\r\nNO')).toEqual([{ text: 'EHLO a', raw: 'EHLO a\r\n' }]);
    expect(splitter.pushRaw('OP\r')).toEqual([]);
    expect(splitter.pushRaw('\nbare\n\n')).toEqual([
      { text: 'NOOP', raw: 'NOOP\r\n' },
      { text: 'bare', raw: 'bare\n' },
      { text: '', raw: '\n' },
    ]);
  });

  it('hands out an unfinished line that grows past the cap', () => {
    const splitter = new LineBuffer(5);
    expect(splitter.pushRaw('abc')).toEqual([]);
    expect(splitter.pushRaw('def')).toEqual([{ text: 'abcdef', raw: 'abcdef', cut: true }]);
    expect(splitter.pushRaw('g\r\n')).toEqual([{ text: 'g', raw: 'g\r\n' }]);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe('isOriginAllowed', () => {
  const allowedHosts = new HostAllowList({ httpHost: '127.0.0.1', publicHosts: ['lab.example'] });
  const policy = { allowedHosts, allowedOrigins: ['http://localhost:5173'], allowMissingOrigin: true };
  it.each([
    ['http://127.0.0.1:8025', true],
    ['http://localhost:8025', true],
    ['http://[::1]:8025', true],
    ['http://LAB.example:8025', true],
    ['https://lab.example', true],
    ['http://localhost:5173', true],
    ['http://localhost:5174', false],
    ['http://127.0.0.1:8026', false],
    ['https://127.0.0.1:8025', false],
    ['http://evil.example:8025', false],
    ['http://127.0.0.1.evil.example:8025', false],
    ['null', false],
    ['file:///etc/passwd', false],
  ] as const)('%s on a listener at port 8025 → %s', (origin, allowed) => {
    expect(isOriginAllowed(origin, 8025, policy)).toBe(allowed);
  });

  it('never trusts what the Host header says: only the allow-list and the listener port count', () => {
    expect(isOriginAllowed('http://127.0.0.1:8025', undefined, policy)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:8025', 9000, policy)).toBe(false);
  });

  it('follows the policy for a missing Origin', () => {
    expect(isOriginAllowed(undefined, 8025, policy)).toBe(true);
    expect(isOriginAllowed(undefined, 8025, { ...policy, allowMissingOrigin: false })).toBe(false);
  });
});

describe('close reasons', () => {
  it('formats durations', () => {
    expect([formatDuration(600_000), formatDuration(60_000), formatDuration(30_000), formatDuration(1), formatDuration(1500)]).toEqual([
      '10 minutes',
      '1 minute',
      '30 seconds',
      '1 ms',
      '1500 ms',
    ]);
  });

  it('names the reply that announced the close, else the socket error', () => {
    const reply = (code: number, line: string) => ({ code, lines: [line], texts: [], enhanced: null });
    expect(serverCloseReason('h:25', reply(421, '421 4.4.2 bye'), null)).toBe('the SMTP server closed the connection after "421 4.4.2 bye"');
    expect(serverCloseReason('h:25', reply(250, '250 ok'), null, 'connection reset by the server')).toBe(
      'the connection to h:25 ended: connection reset by the server',
    );
    expect(serverCloseReason('h:25', reply(250, '250 ok'), null)).toBe('the SMTP server closed the connection');
  });
});
