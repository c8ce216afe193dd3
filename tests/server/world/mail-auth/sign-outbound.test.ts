import crypto from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createLabResolver } from '../../../../protocol/world/lab-resolver.ts';
import { signOutbound } from '../../../../server/world/mail-auth/sign-outbound.ts';
import { verifyInbound } from '../../../../server/world/mail-auth/verify-inbound.ts';
import { installNoNetworkGuard } from '../no-network-guard.ts';
import { keysPerFile, message, worldUnreachable, worldZone } from './auth-fixtures.ts';

const guard = installNoNetworkGuard();
afterAll(() => guard.restore());
const signing = keysPerFile();

/** RFC 8601 §2.2: `authserv-id; method=result (comment) ptype.property=value; …` (unfolded). */
function parseAuthenticationResults(field: string) {
  const value = field.replace(/^Authentication-Results:\s*/i, '').replace(/\r\n[ \t]+/g, ' ');
  const [authservId, ...results] = value.split(';').map((part) => part.trim());
  return {
    authservId,
    results: results.map((result) => {
      const withoutComments = result.replace(/\([^)]*\)/g, '').trim();
      const [methodResult, ...properties] = withoutComments.split(/\s+/);
      const [method, verdict] = (methodResult ?? '').split('=');
      return { method, result: verdict, properties: Object.fromEntries(properties.map((p) => p.split('=') as [string, string])) };
    }),
  };
}

describe('signOutbound', () => {
  it('prepends a relaxed/relaxed rsa-sha256 signature with selector lab, signing the headers it names', async () => {
    const outcome = await signOutbound(message('Alice <alice@example.com>'), 'example.com', signing.keys);
    if (!outcome.signed) throw new Error(outcome.reason);
    expect(outcome.raw.toString().startsWith('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;')).toBe(true);
    expect(outcome.signatureHeader).toMatch(/s=lab;/);
    const h = /h=([^;]+);/.exec(outcome.signatureHeader.replace(/\r\n[ \t]+/g, ' '))?.[1]?.split(':').map((name) => name.trim());
    expect(h).toEqual(expect.arrayContaining(['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type']));
  });

  it('leaves mail from a domain without a key unsigned, and says so', async () => {
    const raw = message('eve@p-none.example');
    const outcome = await signOutbound(raw, 'p-none.example', signing.keys);
    expect(outcome).toMatchObject({ signed: false, reason: 'p-none.example has no DKIM key in the lab, so its mail leaves unsigned.' });
    expect(outcome.raw.toString()).toBe(raw);
  });

  it('round trip with the default world: signed at example.com, verified at mx.example.net, and the A-R header parses back', async () => {
    const signed = await signOutbound(message('Alice <alice@example.com>'), 'example.com', signing.keys);
    const lookups: string[] = [];
    const resolver = createLabResolver(worldZone(signing.keys), { unreachable: worldUnreachable(), onLookup: (lookup) => lookups.push(`${lookup.name} ${lookup.type}`) });
    const { authentication } = await verifyInbound(signed.raw, { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net', resolver });

    expect(authentication.dkim.signatures).toHaveLength(1);
    expect(authentication.dkim.signatures[0]).toMatchObject({ domain: 'example.com', selector: 'lab', algorithm: 'rsa-sha256', canonicalization: 'relaxed/relaxed', signature: 'pass', rfcResult: 'pass', alignedWithFrom: true });
    expect(authentication.dkim.signatures[0]?.bodyHash.matches).toBe(true);
    expect(lookups).toEqual(['lab._domainkey.example.com TXT', 'example.com TXT', '_dmarc.example.com TXT']);

    const parsed = parseAuthenticationResults(authentication.authenticationResults);
    expect(parsed.authservId).toBe('mx.example.net');
    expect(parsed.results).toEqual([
      { method: 'dkim', result: 'pass', properties: expect.objectContaining({ 'header.i': '@example.com', 'header.s': 'lab' }) },
      { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'alice@example.com', 'smtp.helo': 'mail.example.com' } },
      { method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.com', 'header.d': 'example.com' } },
    ]);
    expect(JSON.parse(JSON.stringify(authentication))).toEqual(authentication);
    expect(guard.calls()).toEqual([]);
  });
});

describe('signOutbound while the clock moves', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /**
   * The 1-in-250 bad signature: mailauth 4.13 left alone reads the clock for t= once for the
   * header it signs and again for the header it writes, so a clock crossing a half second while
   * RSA signs made the two differ. Here the real crypto.sign runs while the clock steps from
   * …:59.499 to …:59.501 (Math.round gives …:59 then …:60); the signature must still verify.
   */
  it('writes the t= it signed, so the signature verifies even when the clock crosses a half second during RSA signing', async () => {
    const beforeSigning = Date.UTC(2024, 4, 6, 9, 59, 59, 499);
    let now = beforeSigning;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const realSign = crypto.sign;
    const sign = vi.spyOn(crypto, 'sign').mockImplementation(((...args: Parameters<typeof crypto.sign>) => {
      now = beforeSigning + 2;
      return realSign(...args);
    }) as typeof crypto.sign);

    const signed = await signOutbound(message('Alice <alice@example.com>'), 'example.com', signing.keys);
    expect(sign).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();

    const resolver = createLabResolver(worldZone(signing.keys), { unreachable: worldUnreachable() });
    const { authentication } = await verifyInbound(signed.raw, { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net', resolver });
    expect(authentication.dkim.signatures[0]).toMatchObject({ bodyHash: { matches: true }, signature: 'pass', rfcResult: 'pass' });
  });
});
