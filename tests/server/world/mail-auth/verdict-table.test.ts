/**
 * The verdict table: small lab zones, a message and the connection a receiver saw, with the SPF
 * (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489) outcomes those RFCs define. Each row checks
 * what mailauth reports and what verifyInbound makes of it. The whole file runs under the
 * no-network guard: no real DNS, no UDP.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DkimResult, DmarcPolicy, DmarcResult, SpfResult } from '../../../../protocol/world/auth-verdicts.ts';
import { createLabResolver } from '../../../../protocol/world/lab-resolver.ts';
import { signOutbound } from '../../../../server/world/mail-auth/sign-outbound.ts';
import { verifyInbound } from '../../../../server/world/mail-auth/verify-inbound.ts';
import { installNoNetworkGuard } from '../no-network-guard.ts';
import { keysPerFile, message, txt, worldUnreachable, worldZone, type ZoneChange } from './auth-fixtures.ts';

const guard = installNoNetworkGuard();
afterAll(() => guard.restore());
const signing = keysPerFile();

const SANDBOX = { ip: '192.0.2.10', helo: 'mail.example.com' };
const STRANGER = { ip: '198.51.100.99', helo: 'stranger.example' };
const FORWARDER = { ip: '203.0.113.50', helo: 'mx.forwarder.example' };

interface Expected {
  readonly spf: SpfResult;
  readonly mechanism?: string | null;
  readonly spfDomain?: string;
  readonly dkim: DkimResult;
  /** mailauth's own DKIM label and comment, where they differ from the RFC result. */
  readonly mailauthDkim?: { readonly result: string; readonly comment?: string };
  readonly dmarc: DmarcResult;
  /** mailauth's own DMARC result, where it differs from RFC 7489's. */
  readonly mailauthDmarc?: DmarcResult;
  readonly policy?: DmarcPolicy | null;
  readonly spfAligned?: string | null;
  readonly dkimAligned?: string | null;
}

interface Row {
  readonly name: string;
  readonly zone?: ZoneChange;
  readonly unreachable?: readonly string[];
  readonly from: string;
  readonly signAs?: string;
  /** A change made after signing, on the way. */
  readonly tamper?: (raw: string) => string;
  readonly via: { readonly ip: string; readonly helo: string };
  readonly sender: string;
  readonly expect: Expected;
}

const strictSpf = txt('_dmarc.example.com', 'v=DMARC1; p=reject; aspf=s');
const strictDkim = txt('_dmarc.example.com', 'v=DMARC1; p=reject; adkim=s');
const dropExampleComDmarc = ['_dmarc.example.com TXT'];
const dropExampleComSpf = ['example.com TXT'];

const ROWS: readonly Row[] = [
  // SPF (RFC 7208 §2.6), DKIM signed, DMARC passing through both
  { name: 'SPF pass by ip4, DKIM pass, DMARC pass', from: 'alice@example.com', signAs: 'example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', mechanism: 'ip4:192.0.2.10', dkim: 'pass', dmarc: 'pass', policy: 'reject', spfAligned: 'example.com', dkimAligned: 'example.com' } },
  { name: 'SPF fail at -all from an address not listed', from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'fail', mechanism: '-all', dkim: 'none', dmarc: 'fail', policy: 'reject' } },
  { name: 'SPF softfail at ~all', zone: { drop: dropExampleComSpf, add: [txt('example.com', 'v=spf1 ip4:192.0.2.10 ~all')] }, from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'softfail', mechanism: '~all', dkim: 'none', dmarc: 'fail' } },
  { name: 'SPF neutral at ?all', zone: { drop: dropExampleComSpf, add: [txt('example.com', 'v=spf1 ip4:192.0.2.10 ?all')] }, from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'neutral', mechanism: '?all', dkim: 'none', dmarc: 'fail' } },
  { name: 'SPF neutral by default: nothing matches and there is no all', zone: { drop: dropExampleComSpf, add: [txt('example.com', 'v=spf1 ip4:192.0.2.10')] }, from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'neutral', mechanism: null, dkim: 'none', dmarc: 'fail' } },
  { name: 'SPF none: the domain publishes no SPF record', zone: { drop: dropExampleComSpf }, from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'none', mechanism: null, dkim: 'none', dmarc: 'fail' } },
  { name: 'SPF permerror: more than 10 DNS lookups', from: 'carol@spf-chain.example', via: SANDBOX, sender: 'carol@spf-chain.example',
    expect: { spf: 'permerror', mechanism: null, dkim: 'none', dmarc: 'fail', policy: 'none' } },
  { name: 'SPF permerror: two SPF records', zone: { add: [txt('example.com', 'v=spf1 ip4:192.0.2.11 -all')] }, from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'permerror', mechanism: null, dkim: 'none', dmarc: 'fail' } },
  { name: 'SPF temperror: an included domain\'s DNS does not answer', from: 'bob@spf-timeout.example', via: SANDBOX, sender: 'bob@spf-timeout.example',
    expect: { spf: 'temperror', mechanism: null, dkim: 'none', dmarc: 'fail', policy: 'none' } },
  { name: 'SPF pass through include (the inner ip4 decides)', zone: { drop: dropExampleComSpf, add: [txt('example.com', 'v=spf1 include:_spf.example.com -all'), txt('_spf.example.com', 'v=spf1 ip4:192.0.2.0/24 -all')] },
    from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', mechanism: 'include:_spf.example.com (ip4:192.0.2.0/24)', dkim: 'none', dmarc: 'pass', spfAligned: 'example.com', dkimAligned: null } },
  { name: 'SPF pass by mx', zone: { drop: ['example.net TXT'], add: [txt('example.net', 'v=spf1 mx -all')] }, from: 'bob@example.net', via: { ip: '198.51.100.20', helo: 'mx.example.net' }, sender: 'bob@example.net',
    expect: { spf: 'pass', mechanism: 'mx (mx.example.net)', dkim: 'none', dmarc: 'pass' } },
  { name: 'SPF pass by ip6', from: 'bob@example.net', via: { ip: '2001:db8:51::20', helo: 'mx.example.net' }, sender: 'bob@example.net',
    expect: { spf: 'pass', mechanism: 'ip6:2001:db8:51::20', dkim: 'none', dmarc: 'pass' } },
  { name: 'SPF of the HELO name for the null sender (a bounce)', zone: { add: [txt('mail.example.com', 'v=spf1 a -all')] }, from: 'postmaster@example.com', via: SANDBOX, sender: '',
    expect: { spf: 'pass', mechanism: 'a (mail.example.com)', spfDomain: 'mail.example.com', dkim: 'none', dmarc: 'pass', spfAligned: 'mail.example.com' } },

  // DKIM (RFC 6376)
  { name: 'DKIM pass alone: a forwarder breaks SPF, DMARC passes on the aligned signature', from: 'alice@example.com', signAs: 'example.com', via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', mechanism: '-all', dkim: 'pass', dmarc: 'pass', spfAligned: null, dkimAligned: 'example.com' } },
  { name: 'DKIM fail: a list footer changes the body (body hash)', from: 'alice@example.com', signAs: 'example.com', tamper: (raw) => `${raw}-- \r\nThe lab list footer\r\n`, via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'fail', mailauthDkim: { result: 'neutral', comment: 'body hash did not verify' }, dmarc: 'fail', policy: 'reject' } },
  { name: 'DKIM fail: a signed header changed (Subject tag)', from: 'alice@example.com', signAs: 'example.com', tamper: (raw) => raw.replace('Subject: Lunch', 'Subject: [lab-list] Lunch'), via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'fail', mailauthDkim: { result: 'fail', comment: 'bad signature' }, dmarc: 'fail' } },
  { name: 'DKIM still passes when an unsigned header is added', from: 'alice@example.com', signAs: 'example.com', tamper: (raw) => `X-Mailing-List: lab\r\n${raw}`, via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'pass', dmarc: 'pass', dkimAligned: 'example.com' } },
  { name: 'DKIM none: the message is not signed', from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'pass', dkimAligned: null } },
  { name: 'DKIM permerror: no key at the selector', zone: { drop: ['lab._domainkey.example.com TXT'] }, from: 'alice@example.com', signAs: 'example.com', via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'permerror', mailauthDkim: { result: 'neutral', comment: 'no key' }, dmarc: 'fail' } },
  { name: 'DKIM fail: the published key is another domain\'s', zone: { drop: ['lab._domainkey.example.com TXT'] }, from: 'alice@example.com', signAs: 'example.com', via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'fail', mailauthDkim: { result: 'fail', comment: 'bad signature' }, dmarc: 'fail' } },
  { name: 'DKIM temperror: the key\'s DNS does not answer', unreachable: ['lab._domainkey.example.com'], from: 'alice@example.com', signAs: 'example.com', via: FORWARDER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'temperror', mailauthDkim: { result: 'temperror', comment: 'DNS failure: ETIMEOUT' }, dmarc: 'fail' } },

  // DMARC (RFC 7489)
  { name: 'DMARC pass through SPF alone', from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'pass', spfAligned: 'example.com', dkimAligned: null } },
  { name: 'DMARC fail with p=none', from: 'dave@p-none.example', via: STRANGER, sender: 'dave@p-none.example',
    expect: { spf: 'fail', dkim: 'none', dmarc: 'fail', policy: 'none' } },
  { name: 'DMARC fail with p=quarantine', zone: { drop: dropExampleComDmarc, add: [txt('_dmarc.example.com', 'v=DMARC1; p=quarantine')] }, from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'none', dmarc: 'fail', policy: 'quarantine' } },
  { name: 'DMARC fail with p=reject: a spoofed From', from: 'ceo@example.com', via: STRANGER, sender: 'mallory@stranger.example',
    expect: { spf: 'none', dkim: 'none', dmarc: 'fail', policy: 'reject' } },
  { name: 'DMARC fail: SPF passes for a domain not aligned with From', from: 'alice@example.com', via: { ip: '198.51.100.20', helo: 'mx.example.net' }, sender: 'bounces@example.net',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'fail', spfAligned: null } },
  { name: 'DMARC fail: DKIM passes for a domain not aligned with From', from: 'alice@example.com', signAs: 'example.net', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'pass', dmarc: 'fail', dkimAligned: null } },
  { name: 'DMARC relaxed SPF alignment: From a subdomain, MAIL FROM the organisation', zone: { add: [txt('news.example.com', 'v=spf1 -all')] }, from: 'alice@news.example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'pass', spfAligned: 'example.com' } },
  { name: 'DMARC strict SPF alignment (aspf=s): the same message fails', zone: { drop: dropExampleComDmarc, add: [strictSpf] }, from: 'alice@news.example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'fail', mailauthDmarc: 'pass', spfAligned: null } },
  { name: 'DMARC relaxed DKIM alignment: From a subdomain, d= the organisation', from: 'alice@news.example.com', signAs: 'example.com', via: STRANGER, sender: 'alice@stranger.example',
    expect: { spf: 'none', dkim: 'pass', dmarc: 'pass', dkimAligned: 'example.com' } },
  { name: 'DMARC strict DKIM alignment (adkim=s): the same message fails', zone: { drop: dropExampleComDmarc, add: [strictDkim] }, from: 'alice@news.example.com', signAs: 'example.com', via: STRANGER, sender: 'alice@stranger.example',
    expect: { spf: 'none', dkim: 'pass', dmarc: 'fail', mailauthDmarc: 'pass', dkimAligned: null } },
  { name: 'DMARC sp= applies to a subdomain From', zone: { drop: dropExampleComDmarc, add: [txt('_dmarc.example.com', 'v=DMARC1; p=reject; sp=quarantine')] }, from: 'alice@news.example.com', via: STRANGER, sender: 'alice@stranger.example',
    expect: { spf: 'none', dkim: 'none', dmarc: 'fail', policy: 'quarantine' } },
  { name: 'DMARC none: no record at _dmarc', zone: { drop: dropExampleComDmarc }, from: 'alice@example.com', via: STRANGER, sender: 'alice@example.com',
    expect: { spf: 'fail', dkim: 'none', dmarc: 'none', policy: null } },
  { name: 'DMARC temperror: _dmarc does not answer', unreachable: ['_dmarc.example.com'], from: 'alice@example.com', via: SANDBOX, sender: 'alice@example.com',
    expect: { spf: 'pass', dkim: 'none', dmarc: 'temperror', policy: null } },
];

async function run(row: Row) {
  const zone = worldZone(signing.keys, row.zone);
  // "another domain's key": publish example.net's key at example.com's selector.
  const published = row.name.includes("another domain's")
    ? [...zone, txt('lab._domainkey.example.com', `v=DKIM1; k=rsa; p=${signing.keys['example.net'].publicKey}`)]
    : zone;
  let raw = message(row.from);
  if (row.signAs !== undefined) {
    const signed = await signOutbound(raw, row.signAs, signing.keys);
    expect(signed.signed).toBe(true);
    raw = signed.raw.toString();
  }
  if (row.tamper) raw = row.tamper(raw);
  const resolver = createLabResolver(published, { unreachable: worldUnreachable(row.unreachable) });
  return verifyInbound(raw, { ...row.via, sender: row.sender, mta: 'mx.example.net', resolver });
}

describe('the verdict table', () => {
  it('has at least 30 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const { mailauth, authentication } = await run(row);
    const want = row.expect;

    expect(mailauth.spf.status.result).toBe(want.spf);
    expect(authentication.spf.result).toBe(want.spf);
    if (want.mechanism !== undefined) expect(authentication.spf.mechanism).toBe(want.mechanism);
    expect(authentication.spf.domain).toBe(want.spfDomain ?? row.sender.split('@').pop());

    const signatures = mailauth.dkim.results.filter((result) => result.signingDomain !== undefined);
    if (want.dkim === 'none') {
      expect(signatures).toEqual([]);
    } else {
      const mailauthDkim = want.mailauthDkim ?? { result: want.dkim };
      expect(signatures[0]?.status).toMatchObject(mailauthDkim);
      expect(authentication.dkim.signatures[0]?.mailauth).toMatchObject(mailauthDkim);
    }
    expect(authentication.dkim.result).toBe(want.dkim);

    expect(mailauth.dmarc === false ? 'none' : mailauth.dmarc.status.result).toBe(want.mailauthDmarc ?? want.dmarc);
    expect(authentication.dmarc.mailauthResult).toBe(want.mailauthDmarc ?? want.dmarc);
    expect(authentication.dmarc.result).toBe(want.dmarc);
    if (want.policy !== undefined) expect(authentication.dmarc.policy).toBe(want.policy);
    if (want.spfAligned !== undefined) expect(authentication.dmarc.alignment.spfAligned).toBe(want.spfAligned);
    if (want.dkimAligned !== undefined) expect(authentication.dmarc.alignment.dkimAligned).toBe(want.dkimAligned);
  });

  it('the SPF lookup count goes past the limit of 10 on the chain, and stays at 0 for a plain ip4', async () => {
    const chain = await run(ROWS.find((row) => row.name.startsWith('SPF permerror: more than 10'))!);
    expect(chain.authentication.spf.lookups.limit).toBe(10);
    expect(chain.authentication.spf.lookups.count).toBeGreaterThan(10);
    const plain = await run(ROWS[0]!);
    expect(plain.authentication.spf.lookups.count).toBe(0);
  });

  it('asked nothing of real DNS and opened no UDP socket', () => {
    expect(guard.calls()).toEqual([]);
  });
});
