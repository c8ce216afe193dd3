import { generateKeyPairSync } from 'node:crypto';
import { authenticate, dkimSign, type DKIMSignOptions, type DNSResolver } from 'mailauth';
import { spf } from 'mailauth/lib/spf';
import { describe, expect, it } from 'vitest';
import { createLabResolver, type DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import { r, zone } from './checked-zone.ts';

const LONG_KEY = `v=DKIM1; k=rsa; p=${'M'.repeat(600)}`;
const records = zone([
  r('example.net', 'MX', '20 mx2.example.net.'),
  r('example.net', 'MX', '10 mx.example.net.'),
  r('mx.example.net', 'A', '198.51.100.20'),
  r('mx.example.net', 'AAAA', '2001:DB8::20'),
  r('example.net', 'TXT', 'v=spf1 mx -all'),
  r('lab._domainkey.example.net', 'TXT', LONG_KEY),
  r('www.example.net', 'CNAME', 'mx.example.net.'),
  r('loop1.example.net', 'CNAME', 'loop2.example.net'),
  r('loop2.example.net', 'CNAME', 'loop1.example.net'),
  r('null-mx.example', 'MX', '0 .'),
  r('slow.example', 'TXT', 'v=spf1 -all'),
]);

/** The rejection's code, as mailauth reads it. */
async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'answered',
    (error: { code?: unknown }) => error.code,
  );
}

describe('createLabResolver answers in the shapes of dns.promises.resolve', () => {
  const resolve = createLabResolver(records, { unreachable: ['slow.example'] });

  it('MX: {exchange, priority} without the trailing dot, in zone order; the null MX is exchange ""', async () => {
    expect(await resolve('example.net', 'MX')).toEqual([
      { exchange: 'mx2.example.net', priority: 20 },
      { exchange: 'mx.example.net', priority: 10 },
    ]);
    expect(await resolve('null-mx.example', 'MX')).toEqual([{ exchange: '', priority: 0 }]);
  });

  it('A and AAAA: strings; names match case-insensitively, with or without the trailing dot', async () => {
    expect(await resolve('MX.Example.net.', 'A')).toEqual(['198.51.100.20']);
    expect(await resolve('mx.example.net', 'AAAA')).toEqual(['2001:db8::20']);
  });

  it('TXT: one array of strings per record, each string at most 255 characters', async () => {
    expect(await resolve('example.net', 'TXT')).toEqual([['v=spf1 mx -all']]);
    const [key] = await resolve('lab._domainkey.example.net', 'TXT');
    expect(key?.map((part) => part.length)).toEqual([255, 255, 108]);
    expect(key?.join('')).toBe(LONG_KEY);
  });

  it('follows a CNAME for other types, and answers the CNAME itself when asked', async () => {
    expect(await resolve('www.example.net', 'A')).toEqual(['198.51.100.20']);
    expect(await resolve('www.example.net', 'CNAME')).toEqual(['mx.example.net']);
  });

  it('ENOTFOUND for a name with nothing at or below it; ENODATA for a name that exists without that type', async () => {
    expect(await codeOf(resolve('nowhere.example', 'A'))).toBe('ENOTFOUND');
    expect(await codeOf(resolve('example.net', 'A'))).toBe('ENODATA');
    expect(await codeOf(resolve('example.net', 'PTR'))).toBe('ENODATA');
    // An empty non-terminal exists (RFC 8020): _domainkey.example.net has a name below it.
    expect(await codeOf(resolve('_domainkey.example.net', 'TXT'))).toBe('ENODATA');
  });

  it('errors look like Node\'s: message, syscall and hostname', async () => {
    await expect(resolve('nowhere.example', 'TXT')).rejects.toMatchObject({
      message: 'queryTxt ENOTFOUND nowhere.example',
      code: 'ENOTFOUND',
      syscall: 'queryTxt',
      hostname: 'nowhere.example',
    });
  });

  it('times out for an unreachable name and the names below it; a CNAME loop is a SERVFAIL', async () => {
    expect(await codeOf(resolve('slow.example', 'TXT'))).toBe('ETIMEOUT');
    expect(await codeOf(resolve('a.slow.example', 'A'))).toBe('ETIMEOUT');
    expect(await codeOf(resolve('loop1.example.net', 'A'))).toBe('ESERVFAIL');
  });

  it('reports every lookup with its answer or its error', async () => {
    const lookups: DnsLookup[] = [];
    const watched = createLabResolver(records, { onLookup: (lookup) => lookups.push(lookup) });
    await watched('Example.NET', 'MX');
    await watched('nowhere.example', 'A').catch(() => undefined);
    expect(lookups).toEqual([
      { name: 'example.net', type: 'MX', answer: [{ exchange: 'mx2.example.net', priority: 20 }, { exchange: 'mx.example.net', priority: 10 }] },
      { name: 'nowhere.example', type: 'A', error: 'ENOTFOUND' },
    ]);
  });
});

describe('mailauth 4.13 reads the lab resolver as it reads real DNS', () => {
  const sandbox = { ip: '192.0.2.10', helo: 'mail.example.com', mta: 'mx.example.net' };

  it('SPF: pass from a listed address (with the mechanism that matched), fail from another, none without a record', async () => {
    const resolver = createLabResolver(zone([r('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all'), r('example.org', 'A', '203.0.113.9')])) as DNSResolver;
    const pass = await spf({ ...sandbox, sender: 'alice@example.com', resolver });
    expect(pass.status.result).toBe('pass');
    expect(pass.header).toContain('192.0.2.10');
    const fail = await spf({ ...sandbox, ip: '198.51.100.99', sender: 'alice@example.com', resolver });
    expect(fail.status.result).toBe('fail');
    const none = await spf({ ...sandbox, sender: 'alice@example.org', resolver });
    expect(none.status.result).toBe('none');
  });

  it('SPF: temperror when a lookup times out, permerror past 10 lookups', async () => {
    const chain = Array.from({ length: 11 }, (_, n) => r(`s${n}.example.com`, 'TXT', `v=spf1 include:s${n + 1}.example.com -all`));
    const resolver = createLabResolver(
      zone([r('example.com', 'TXT', 'v=spf1 include:s0.example.com -all'), ...chain, r('s11.example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all'), r('example.org', 'TXT', 'v=spf1 include:down.example -all')]),
      { unreachable: ['down.example'] },
    ) as DNSResolver;
    expect((await spf({ ...sandbox, sender: 'alice@example.com', resolver })).status.result).toBe('permerror');
    expect((await spf({ ...sandbox, sender: 'alice@example.org', resolver })).status.result).toBe('temperror');
  });

  it('DKIM with a key longer than one TXT string, and DMARC: pass; a changed body does not verify', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const resolver = createLabResolver(
      zone([
        r('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all'),
        r('lab._domainkey.example.com', 'TXT', `v=DKIM1; k=rsa; p=${p}`),
        r('_dmarc.example.com', 'TXT', 'v=DMARC1; p=reject'),
      ]),
    ) as DNSResolver;
    const message = 'From: alice@example.com\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nHello\r\n';
    // mailauth 4.13's code reads `signatureData`; its index.d.ts declares the fields at the top level instead.
    // signTime: one t= for the signed and the written header (see server/world/mail-auth/sign-outbound.ts).
    const signOptions = {
      canonicalization: 'relaxed/relaxed',
      signTime: new Date(),
      signatureData: [{ signingDomain: 'example.com', selector: 'lab', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }],
    };
    const signed = await dkimSign(message, signOptions as unknown as DKIMSignOptions);
    const options = { ...sandbox, sender: 'alice@example.com', resolver, disableArc: true, disableBimi: true };
    const good = await authenticate(signed.signatures + message, options);
    expect(good.dkim.results[0]?.status.result).toBe('pass');
    expect(good.dmarc && good.dmarc.status.result).toBe('pass');
    const tampered = await authenticate(signed.signatures + message.replace('Hello', 'Buy now'), { ...options, ip: '198.51.100.99' });
    // mailauth 4.13 reports a body hash mismatch as neutral with this comment (RFC 6376 §6.3's "body hash did not verify").
    expect(tampered.dkim.results[0]?.status).toMatchObject({ result: 'neutral', comment: 'body hash did not verify' });
    expect(tampered.spf && tampered.spf.status.result).toBe('fail');
    expect(tampered.dmarc && tampered.dmarc.status.result).toBe('fail');
  });
});
