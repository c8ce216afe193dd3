/**
 * The lab internet a fresh start (or POST /api/world/reset) gives a learner: the zone, the
 * hosts behind it (one loopback listener each, serving a personality) and the mailboxes.
 * Every name is an RFC 2606 example name and every address an RFC 5737/3849 documentation
 * address, so nothing here can point at a real host.
 *
 * - example.com: the learners' organisation; the sandbox is its submission server, outbound
 *   MTA and MX (mail.example.com, 192.0.2.10).
 * - example.net: another organisation; its MX is a Postfix.
 * - example.org: two MX hosts, 10 (greylisting) and 20, for fallback and retries.
 * - Lesson domains: no-mx.example (implicit MX from its A record), null-mx.example (RFC 7505),
 *   spf-chain.example (SPF over the 10-lookup limit), spf-timeout.example (SPF through a domain
 *   whose DNS does not answer: temperror), p-none.example (DMARC p=none) and
 *   forwarder.example (forwards to example.net: SPF breaks, DKIM survives).
 * - mx.lists.example: a mailing list (team@lists.example) that adds a footer; its domain gets
 *   DNS only from the "mailing list" Break it preset, so by default nothing routes to it.
 */
import type { PersonalityName } from '../sandbox-config.ts';
import type { DnsRecord } from './dns-record.ts';

/** The DKIM selector of every lab domain: keys are at `lab._domainkey.<domain>`. */
export const DKIM_SELECTOR = 'lab';
/** The domains that sign with DKIM; the server generates one key pair for each at first start. */
export const SIGNING_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
export type SigningDomain = (typeof SIGNING_DOMAINS)[number];
/** The mailboxes every lab domain that takes mail has; other local parts are refused at RCPT. */
export const LAB_MAILBOXES = ['alice', 'bob', 'carol', 'postmaster'] as const;
/** LAB_MAILBOXES as a set, for the lookups at RCPT and when a bounce is routed. */
export const LAB_USERS: ReadonlySet<string> = new Set(LAB_MAILBOXES);

/**
 * A host of the lab internet:
 * - `sandbox`: the learners' own server (submission, outbound queue, and example.com's MX);
 * - `mx`: a receiving server, delivering to its domains' mailboxes;
 * - `forwarder`: a receiving server that sends its domains' mail on to `forwardsTo`, or to a
 *   mailing list's members (`list`).
 */
export type LabHostRole = 'sandbox' | 'mx' | 'forwarder';

export interface LabHost {
  readonly name: string;
  /** Its lab address: what SPF sees as the connecting IP when it sends. */
  readonly ip: string;
  readonly personality: PersonalityName;
  readonly role: LabHostRole;
  /** The domains whose mail it accepts (the ones whose MX, or implicit MX, it is). */
  readonly domains: readonly string[];
  /** Answers a first attempt from a sender with 450 4.7.1 and accepts a retry (greylisting). */
  readonly greylisting: boolean;
  /** Refuses DMARC `p=reject` failures at end of data (as a Postfix with a DMARC milter would); off for some lessons. */
  readonly enforceDmarc: boolean;
  /** For a forwarder: the domain its mailboxes forward to (same local part). */
  readonly forwardsTo?: string;
  /** For a forwarder that is a mailing list: the list it serves instead of the lab mailboxes. */
  readonly list?: MailingList;
}

/**
 * A mailing list as list software without ARC runs one (Mailman 3's defaults): mail to the
 * list address goes to every member with a footer appended to the body and a List-Id header,
 * the From and the DKIM-Signature kept, and the envelope sender rewritten to the list's own
 * bounce address, so bounces come back to the list and not to the poster.
 */
export interface MailingList {
  /** The list's address: the only local part besides `bounces` the list host takes mail for. */
  readonly address: string;
  /** Where the list's mail is sent from (MAIL FROM); bounces from members land here. */
  readonly bounces: string;
  readonly members: readonly string[];
  /** Appended to every message's body (CRLF line ends). */
  readonly footer: string;
}

export interface LabWorld {
  readonly records: readonly DnsRecord[];
  readonly hosts: readonly LabHost[];
  /** Names whose DNS does not answer (lookups time out): the lab resolver's `unreachable`. */
  readonly unreachable: readonly string[];
}

export interface DefaultWorldKeys {
  /** Each signing domain's DKIM public key: base64 DER SubjectPublicKeyInfo, as `p=` holds it. */
  readonly dkimPublicKeys: Readonly<Record<SigningDomain, string>>;
}

const TTL = 300;
/** The SPF chain's length: one more include than RFC 7208 §4.6.4's 10 DNS lookups allow. */
const SPF_CHAIN_LINKS = 11;

const record = (name: string, type: DnsRecord['type'], value: string, ttl = TTL): DnsRecord => ({ name, type, ttl, value });
const dmarc = (domain: string, policy: 'none' | 'quarantine' | 'reject') => record(`_dmarc.${domain}`, 'TXT', `v=DMARC1; p=${policy}`);

export const DEFAULT_HOSTS: readonly LabHost[] = [
  { name: 'mail.example.com', ip: '192.0.2.10', personality: 'smtp-server', role: 'sandbox', domains: ['example.com'], greylisting: false, enforceDmarc: true },
  { name: 'mx.example.net', ip: '198.51.100.20', personality: 'postfix', role: 'mx', domains: ['example.net'], greylisting: false, enforceDmarc: true },
  { name: 'mx1.example.org', ip: '203.0.113.21', personality: 'exim', role: 'mx', domains: ['example.org'], greylisting: true, enforceDmarc: true },
  { name: 'mx2.example.org', ip: '203.0.113.22', personality: 'exchange', role: 'mx', domains: ['example.org'], greylisting: false, enforceDmarc: true },
  { name: 'no-mx.example', ip: '198.51.100.30', personality: 'exim', role: 'mx', domains: ['no-mx.example'], greylisting: false, enforceDmarc: true },
  { name: 'mx.p-none.example', ip: '203.0.113.40', personality: 'gmail', role: 'mx', domains: ['p-none.example'], greylisting: false, enforceDmarc: true },
  { name: 'mx.forwarder.example', ip: '203.0.113.50', personality: 'postfix', role: 'forwarder', domains: ['forwarder.example'], greylisting: false, enforceDmarc: false, forwardsTo: 'example.net' },
  {
    name: 'mx.lists.example', ip: '198.51.100.60', personality: 'postfix', role: 'forwarder', domains: ['lists.example'], greylisting: false, enforceDmarc: false,
    list: {
      address: 'team@lists.example',
      bounces: 'team-bounces@lists.example',
      members: ['bob@example.net'],
      footer: '_______________________________________________\r\nteam mailing list -- team@lists.example\r\nTo unsubscribe send an email to team-leave@lists.example\r\n',
    },
  },
];

function dkimKey(domain: string, publicKey: string): DnsRecord {
  return record(`${DKIM_SELECTOR}._domainkey.${domain}`, 'TXT', `v=DKIM1; k=rsa; p=${publicKey}`, 3600);
}

/** The SPF record that needs more than 10 lookups: a chain of includes, the last allowing the sandbox. */
function spfChain(): DnsRecord[] {
  const link = (n: number) => `s${n}._spf.spf-chain.example`;
  const records = [record('spf-chain.example', 'TXT', `v=spf1 include:${link(1)} -all`)];
  for (let n = 1; n < SPF_CHAIN_LINKS; n++) records.push(record(link(n), 'TXT', `v=spf1 include:${link(n + 1)} -all`));
  records.push(record(link(SPF_CHAIN_LINKS), 'TXT', 'v=spf1 ip4:192.0.2.10 -all'));
  return records;
}

export function defaultWorld({ dkimPublicKeys }: DefaultWorldKeys): LabWorld {
  const addresses = DEFAULT_HOSTS.map((host) => record(host.name, 'A', host.ip));
  const records: DnsRecord[] = [
    ...addresses,
    record('example.com', 'MX', '10 mail.example.com.'),
    record('example.com', 'TXT', 'v=spf1 ip4:192.0.2.10 -all'),
    dkimKey('example.com', dkimPublicKeys['example.com']),
    dmarc('example.com', 'reject'),

    record('mx.example.net', 'AAAA', '2001:db8:51::20'),
    record('example.net', 'MX', '10 mx.example.net.'),
    record('example.net', 'TXT', 'v=spf1 ip4:198.51.100.20 ip6:2001:db8:51::20 -all'),
    dkimKey('example.net', dkimPublicKeys['example.net']),
    dmarc('example.net', 'reject'),

    record('example.org', 'MX', '10 mx1.example.org.'),
    record('example.org', 'MX', '20 mx2.example.org.'),
    record('example.org', 'TXT', 'v=spf1 ip4:203.0.113.21 ip4:203.0.113.22 -all'),
    dkimKey('example.org', dkimPublicKeys['example.org']),
    dmarc('example.org', 'reject'),

    // No MX: mail goes to the domain's own address (RFC 5321 §5.1 implicit MX).
    record('no-mx.example', 'TXT', 'v=spf1 a -all'),
    dmarc('no-mx.example', 'reject'),

    // RFC 7505: a domain that sends no mail and takes none says so.
    record('null-mx.example', 'MX', '0 .'),
    record('null-mx.example', 'TXT', 'v=spf1 -all'),
    dmarc('null-mx.example', 'reject'),

    ...spfChain(),
    dmarc('spf-chain.example', 'none'),

    record('spf-timeout.example', 'TXT', 'v=spf1 include:dns-down.example -all'),
    dmarc('spf-timeout.example', 'none'),

    record('p-none.example', 'MX', '10 mx.p-none.example.'),
    record('p-none.example', 'TXT', 'v=spf1 ip4:203.0.113.40 -all'),
    dmarc('p-none.example', 'none'),

    record('forwarder.example', 'MX', '10 mx.forwarder.example.'),
    record('forwarder.example', 'TXT', 'v=spf1 ip4:203.0.113.50 -all'),
    dmarc('forwarder.example', 'reject'),
  ];
  return { records, hosts: DEFAULT_HOSTS, unreachable: ['dns-down.example'] };
}
