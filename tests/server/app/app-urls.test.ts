import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildAppUrls } from '../../../server/app/app-urls.ts';
import { HostAllowList } from '../../../server/http/host-allow-list.ts';

const smtp: AddressInfo = { address: '127.0.0.1', family: 'IPv4', port: 2525 };
const interfaceAddresses = ['127.0.0.1', '192.168.1.10', '10.0.0.5', '::1', 'fe80::1', '2001:db8::5'];

function urlsFor(httpHost: string, bound: string, port: number, publicHosts: string[] = []) {
  const allowedHosts = new HostAllowList({ httpHost, publicHosts, interfaceAddresses });
  return buildAppUrls({ address: bound, family: bound.includes(':') ? 'IPv6' : 'IPv4', port }, smtp, null, { httpHost, allowedHosts });
}

describe('the URLs the start banner prints', () => {
  it('lists the loopback address and localhost for a loopback bind, then the public names', () => {
    const urls = urlsFor('127.0.0.1', '127.0.0.1', 8025, ['lab.school.test']);
    expect(urls.http).toBe('http://127.0.0.1:8025/');
    expect(urls.ws).toBe('ws://127.0.0.1:8025/ws');
    expect(urls.web).toEqual(['http://127.0.0.1:8025/', 'http://localhost:8025/', 'http://lab.school.test:8025/']);
  });

  it('lists every IPv4 address of the machine for 0.0.0.0, LAN addresses first', () => {
    const urls = urlsFor('0.0.0.0', '0.0.0.0', 8025);
    expect(urls.http).toBe('http://192.168.1.10:8025/');
    expect(urls.web).toEqual(['http://192.168.1.10:8025/', 'http://10.0.0.5:8025/', 'http://127.0.0.1:8025/', 'http://localhost:8025/']);
  });

  it('adds the IPv6 addresses for ::, except link-local ones', () => {
    const urls = urlsFor('::', '::', 8025);
    expect(urls.web).toContain('http://[2001:db8::5]:8025/');
    expect(urls.web).toContain('http://[::1]:8025/');
    expect(urls.web.some((url) => url.includes('fe80'))).toBe(false);
  });

  it('prints a bound name rather than the address it resolved to, and no port on 80', () => {
    const urls = urlsFor('lab-host.test', '10.0.0.5', 80);
    expect(urls.http).toBe('http://lab-host.test/');
    expect(urls.web).toEqual(['http://lab-host.test/']);
  });
});
