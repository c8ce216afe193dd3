import { describe, expect, it } from 'vitest';
import { HostAllowList, isWildcardAddress, misdirectedMessage, parseHostHeader } from '../../../server/http/host-allow-list.ts';

const PORT = 8025;

describe('HostAllowList on a loopback listener', () => {
  const hosts = HostAllowList.loopback();

  it.each(['127.0.0.1:8025', 'localhost:8025', 'LocalHost:8025', '[::1]:8025', '[0:0:0:0:0:0:0:1]:8025'])('accepts %s', (host) => {
    expect(hosts.allowsHost(host, PORT)).toBe(true);
  });

  it.each([
    '127.0.0.1:8026',
    '127.0.0.1',
    'localhost',
    'evil.example',
    'evil.example:8025',
    '127.0.0.1.evil.example:8025',
    'localhost.:8025',
    'localhost:8025/path',
    'user@localhost:8025',
    'localhost:99999',
    'localhost:',
    ':8025',
    '[::1',
    '127.0.0.2:8025',
    '',
  ])('refuses %j', (host) => {
    expect(hosts.allowsHost(host, PORT)).toBe(false);
  });

  it('refuses a request without a Host, or whose listener port is unknown', () => {
    expect(hosts.allowsHost(undefined, PORT)).toBe(false);
    expect(hosts.allowsHost('127.0.0.1:8025', undefined)).toBe(false);
  });

  it('takes a bare name only when the listener is on port 80, where browsers leave the port out', () => {
    expect(hosts.allowsHost('localhost', 80)).toBe(true);
    expect(hosts.allowsHost('localhost:80', 80)).toBe(true);
    expect(hosts.allowsHost('localhost:8025', 80)).toBe(false);
  });
});

describe('HostAllowList with configured names', () => {
  it('adds a non-wildcard --http-host, on the listener port only', () => {
    const hosts = new HostAllowList({ httpHost: 'Lab-Host.test', publicHosts: [] });
    expect(hosts.ownNames).toEqual(['127.0.0.1', 'localhost', '[::1]', 'lab-host.test']);
    expect(hosts.allowsHost('lab-host.test:8025', PORT)).toBe(true);
    expect(hosts.allowsHost('lab-host.test', PORT)).toBe(false);
    expect(hosts.allowsHost('lab-host.test:9000', PORT)).toBe(false);
  });

  it.each(['0.0.0.0', '::'])('adds every interface address for the wildcard %s, and nothing else', (httpHost) => {
    const hosts = new HostAllowList({ httpHost, publicHosts: [], interfaceAddresses: ['127.0.0.1', '192.168.1.10', '::1', 'fe80::1'] });
    expect(hosts.ownNames).toEqual(['127.0.0.1', 'localhost', '[::1]', '192.168.1.10', '[fe80::1]']);
    expect(hosts.allowsHost('192.168.1.10:8025', PORT)).toBe(true);
    expect(hosts.allowsHost('[fe80::1]:8025', PORT)).toBe(true);
    expect(hosts.allowsHost('192.168.1.11:8025', PORT)).toBe(false);
    expect(hosts.allowsHost('0.0.0.0:8025', PORT)).toBe(false);
  });

  it('accepts a --public-host name with any port or none (a reverse proxy on 80/443 sends none)', () => {
    const hosts = new HostAllowList({ httpHost: '127.0.0.1', publicHosts: ['lab.school.test', '[FE80::2]'] });
    for (const host of ['lab.school.test', 'lab.school.test:8025', 'LAB.school.test:443', '[fe80::2]:9']) {
      expect(hosts.allowsHost(host, PORT)).toBe(true);
    }
    expect(hosts.allowsHost('lab.school.test.evil.example', PORT)).toBe(false);
    expect(hosts.allowsHost('evil.lab.school.test', PORT)).toBe(false);
  });

  it('allows origins of its own names over plain HTTP on the listener port, public names over HTTP or HTTPS', () => {
    const hosts = new HostAllowList({ httpHost: '127.0.0.1', publicHosts: ['lab.school.test'] });
    expect(hosts.allowsOrigin('http://localhost:8025', PORT)).toBe(true);
    expect(hosts.allowsOrigin('http://localhost', 80)).toBe(true);
    expect(hosts.allowsOrigin('https://lab.school.test', PORT)).toBe(true);
    expect(hosts.allowsOrigin('http://lab.school.test:8080', PORT)).toBe(true);
    expect(hosts.allowsOrigin('https://localhost:8025', PORT)).toBe(false);
    expect(hosts.allowsOrigin('http://localhost:8026', PORT)).toBe(false);
    expect(hosts.allowsOrigin('ws://localhost:8025', PORT)).toBe(false);
    expect(hosts.allowsOrigin('null', PORT)).toBe(false);
    expect(hosts.allowsOrigin('http://evil.example:8025', PORT)).toBe(false);
  });
});

describe('Host header parsing', () => {
  it('splits a name and a port, in canonical form', () => {
    expect(parseHostHeader('LOCALHOST:8025')).toEqual({ name: 'localhost', port: 8025 });
    expect(parseHostHeader('[0:0::1]')).toEqual({ name: '[::1]', port: null });
    expect(parseHostHeader('localhost:0')).toBeNull();
    expect(parseHostHeader('[not-v6]:80')).toBeNull();
    expect(parseHostHeader('a b')).toBeNull();
  });

  it('knows the wildcard addresses in any spelling', () => {
    expect(['0.0.0.0', '::', '0:0::0'].every(isWildcardAddress)).toBe(true);
    expect(['127.0.0.1', '::1', 'localhost', '0.0.0.1'].some(isWildcardAddress)).toBe(false);
  });

  it('tells a refused visitor what to do, with the name they used cut short', () => {
    expect(misdirectedMessage('evil.example:8025')).toMatch(/^This server does not answer for the name "evil\.example:8025".*--public-host NAME\.$/);
    expect(misdirectedMessage(undefined)).toMatch(/^This server does not answer for no name/);
    expect(misdirectedMessage('x'.repeat(10_000)).length).toBeLessThan(400);
  });
});
