/**
 * "Break it" presets: each changes the learner's DNS zone in one way a real domain gets wrong,
 * and says what to look for in the journey of the next message. They change DNS only (the
 * hosts' switches are `host-presets.ts`): the mailing list's host is always running, and its
 * preset publishes the list's domain so mail can reach it; the spoofed From preset publishes
 * an attacker's domain for the learner's own client. Each works on the current zone, so a
 * learner's own edits elsewhere survive.
 */
import { canonicalName, parseMxValue, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { DKIM_SELECTOR } from '../../../protocol/world/default-world.ts';
import { isSpfRecord } from './spf-terms.ts';

export interface BreakPreset {
  readonly id: string;
  readonly title: string;
  /** The change in words; the preview shows it as a diff of records too. */
  readonly changes: string;
  /** What the learner should see in the next message's journey. */
  readonly lookFor: string;
  /** Its effect is an SPF, DKIM or DMARC verdict: simulated mode makes the change but cannot show it (the page signs and checks nothing). */
  readonly verdictOnly?: true;
  readonly apply: (zone: readonly DnsRecord[]) => DnsRecord[];
}

const TTL = 300;
const at = (record: DnsRecord, name: string) => canonicalName(record.name) === name;
const isSpfAt = (record: DnsRecord, name: string) => at(record, name) && record.type === 'TXT' && isSpfRecord(record.value);
const dmarcValue = (policy: string) => `v=DMARC1; p=${policy}`;

/** The zone with the records `drop` selects removed and `add` appended. */
function replace(zone: readonly DnsRecord[], drop: (record: DnsRecord) => boolean, add: readonly DnsRecord[]): DnsRecord[] {
  return [...zone.filter((record) => !drop(record)), ...add];
}

/** Rewrites the SPF record at `domain` (or adds one from `fallback` when there is none). */
function rewriteSpf(zone: readonly DnsRecord[], domain: string, rewrite: (value: string) => string, fallback: string): DnsRecord[] {
  if (!zone.some((record) => isSpfAt(record, domain))) return [...zone, { name: domain, type: 'TXT', ttl: TTL, value: fallback }];
  return zone.map((record) => (isSpfAt(record, domain) ? { ...record, value: rewrite(record.value) } : record));
}

function setDmarc(zone: readonly DnsRecord[], domain: string, policy: string): DnsRecord[] {
  return replace(zone, (record) => at(record, `_dmarc.${domain}`) && record.type === 'TXT', [{ name: `_dmarc.${domain}`, type: 'TXT', ttl: TTL, value: dmarcValue(policy) }]);
}

/** The records at `name` of `type` replaced by `records` (a preset applied twice changes nothing more). */
function publish(zone: readonly DnsRecord[], name: string, types: readonly DnsRecord['type'][], records: readonly DnsRecord[]): DnsRecord[] {
  return replace(zone, (record) => at(record, name) && types.includes(record.type), records);
}

/** The list host's address in the default world (mx.lists.example). */
const LIST_HOST_IP = '198.51.100.60';
/** The address a learner's own client has when it talks to a lab MX (a live session's sending server). */
const OUTSIDE_CLIENT_IP = '203.0.113.99';

/** One include more than RFC 7208 §4.6.4's 10 lookups: example.com → s1 → … → s11, the last allowing the sandbox. */
const SPF_LINKS = 11;
const spfLink = (n: number) => `s${n}._spf.example.com`;

export const BREAK_PRESETS: readonly BreakPreset[] = [
  {
    id: 'mailing-list-footer',
    verdictOnly: true,
    title: 'A mailing list adds a footer (lists.example)',
    changes: `lists.example is published: MX mx.lists.example (${LIST_HOST_IP}) and SPF "v=spf1 ip4:${LIST_HOST_IP} -all". Its list team@lists.example sends each post to bob@example.net with a footer appended to the body and a List-Id header, keeps From and the DKIM-Signature, and sends from its own bounce address, team-bounces@lists.example.`,
    lookFor: 'Save, then send from alice@example.com to team@lists.example. Nothing reaches bob: mx.example.net refuses the list\'s copy at end of data with "550 5.7.1 rejected by DMARC policy for example.com", and the bounce goes to the list (mailbox team-bounces@lists.example), not to alice. Why: SPF passes, but for lists.example, not the From domain; DKIM d=example.com fails, because the footer changed the body hash (RFC 6376 §3.7). Neither aligns, so p=reject applies. To read the verdicts in a delivered copy, also apply the host preset "example.net stops enforcing DMARC": Authentication-Results shows spf=pass (lists.example), dkim=neutral (body hash did not verify: mailauth\'s word for what RFC 6376 §6.1.3 calls a failed signature), dmarc=fail.',
    apply: (zone) => {
      const withHost = publish(zone, 'mx.lists.example', ['A'], [{ name: 'mx.lists.example', type: 'A', ttl: TTL, value: LIST_HOST_IP }]);
      const withMx = publish(withHost, 'lists.example', ['MX'], [{ name: 'lists.example', type: 'MX', ttl: TTL, value: '10 mx.lists.example.' }]);
      return rewriteSpf(withMx, 'lists.example', () => `v=spf1 ip4:${LIST_HOST_IP} -all`, `v=spf1 ip4:${LIST_HOST_IP} -all`);
    },
  },
  {
    id: 'spoofed-from',
    verdictOnly: true,
    title: 'A spoofed From (spoofer.example)',
    changes: `spoofer.example, an attacker's own domain, is published with SPF "v=spf1 ip4:${OUTSIDE_CLIENT_IP} -all": the address your own client has when it talks to a lab MX.`,
    lookFor: `Save, then in the server list pick "Lab: mx.example.net" (you connect as ${OUTSIDE_CLIENT_IP}) and send MAIL FROM:<mallory@spoofer.example> to bob@example.net with the header "From: <ceo@example.org>". SPF passes, for spoofer.example, but nothing passes for example.org, the From domain: DMARC fails and example.org's p=reject refuses it at the final dot with "550 5.7.1 rejected by DMARC policy for example.org". Send it again with "From: <mallory@spoofer.example>": delivered with spf=pass. SPF and DKIM authenticate domains, not people. Through the sandbox (MAIL FROM alice@example.com, From ceo@example.org), SPF and DKIM pass for example.com and DMARC still fails; the DSN comes back to alice@example.com.`,
    apply: (zone) => rewriteSpf(zone, 'spoofer.example', () => `v=spf1 ip4:${OUTSIDE_CLIENT_IP} -all`, `v=spf1 ip4:${OUTSIDE_CLIENT_IP} -all`),
  },
  {
    id: 'null-mx-net',
    title: 'Null MX on example.net',
    changes: 'example.net\'s MX records are replaced by the null MX "0 ." (RFC 7505): the domain says it takes no mail.',
    lookFor: 'Send to alice@example.net: the queue makes no connection at all and bounces the message at once with 556 5.1.10; the DSN lands in the sender\'s mailbox. The other way round, the lab MX hosts now refuse mail from an @example.net sender at RCPT with 550 5.7.27 (RFC 7505 §4.2).',
    apply: (zone) => replace(zone, (record) => at(record, 'example.net') && record.type === 'MX', [{ name: 'example.net', type: 'MX', ttl: TTL, value: '0 .' }]),
  },
  {
    id: 'spf-too-many-lookups',
    verdictOnly: true,
    title: 'SPF over 10 lookups (example.com)',
    changes: `example.com's SPF now includes a chain of ${SPF_LINKS} records (${spfLink(1)} … ${spfLink(SPF_LINKS)}); only the last one lists 192.0.2.10.`,
    lookFor: 'Send from alice@example.com to bob@example.net: SPF is permerror (RFC 7208 §4.6.4: more than 10 DNS lookups), even though the chain ends in the sandbox\'s address. DKIM still passes aligned, so DMARC passes.',
    apply: (zone) => {
      const chain: DnsRecord[] = [];
      for (let n = 1; n <= SPF_LINKS; n++) {
        chain.push({ name: spfLink(n), type: 'TXT', ttl: TTL, value: n < SPF_LINKS ? `v=spf1 include:${spfLink(n + 1)} -all` : 'v=spf1 ip4:192.0.2.10 -all' });
      }
      const withoutChain = zone.filter((record) => !(record.type === 'TXT' && canonicalName(record.name).endsWith('._spf.example.com')));
      return [...rewriteSpf(withoutChain, 'example.com', () => `v=spf1 include:${spfLink(1)} -all`, `v=spf1 include:${spfLink(1)} -all`), ...chain];
    },
  },
  {
    id: 'spf-softfail',
    verdictOnly: true,
    title: 'SPF ~all instead of -all (example.com)',
    changes: 'example.com\'s SPF ends in "~all" (softfail) instead of "-all" (fail).',
    lookFor: 'Mail sent straight from the sandbox still passes SPF. Send to alice@forwarder.example: the forwarder passes it on from 203.0.113.50, which example.com\'s SPF does not list, and SPF is now softfail instead of fail.',
    apply: (zone) => rewriteSpf(zone, 'example.com', (value) => (/[-?+]all\b/i.test(value) ? value.replace(/[-?+]?all\b/i, '~all') : `${value.trim()} ~all`), 'v=spf1 ip4:192.0.2.10 ~all'),
  },
  {
    id: 'no-dkim-key-org',
    verdictOnly: true,
    title: 'Remove example.org\'s DKIM key',
    changes: `The DKIM public key at ${DKIM_SELECTOR}._domainkey.example.org is removed.`,
    lookFor: 'Mail signed with d=example.org can no longer be verified: DKIM fails with no key (RFC 6376 §6.1.2). DMARC for From @example.org now passes only if SPF passes for an aligned MAIL FROM domain; otherwise p=reject refuses it.',
    apply: (zone) => zone.filter((record) => !canonicalName(record.name).endsWith('._domainkey.example.org')),
  },
  {
    id: 'dmarc-none-net',
    verdictOnly: true,
    title: 'DMARC p=none on example.net',
    changes: 'example.net\'s DMARC policy becomes p=none (monitor only).',
    lookFor: 'Mail whose From is @example.net and fails DMARC (say, sent from the sandbox, which example.net\'s SPF does not list, without an example.net signature) is now delivered instead of refused; the journey shows DMARC fail with policy none.',
    apply: (zone) => setDmarc(zone, 'example.net', 'none'),
  },
  {
    id: 'dmarc-quarantine-net',
    verdictOnly: true,
    title: 'DMARC p=quarantine on example.net',
    changes: 'example.net\'s DMARC policy becomes p=quarantine.',
    lookFor: 'Mail whose From is @example.net and fails DMARC is delivered marked as junk instead of refused; the journey shows DMARC fail with the quarantine disposition.',
    apply: (zone) => setDmarc(zone, 'example.net', 'quarantine'),
  },
  {
    id: 'primary-mx-gone-org',
    title: 'Remove example.org\'s primary MX',
    changes: 'The MX record with the lowest priority number for example.org (mx1.example.org, 10) is removed.',
    lookFor: 'Send to carol@example.org: the MX lookup returns only mx2.example.org (20), so the mail goes straight there, without mx1\'s greylisting delay.',
    apply: (zone) => {
      const priorities = zone.filter((record) => at(record, 'example.org') && record.type === 'MX').map((record) => parseMxValue(record.value)?.priority ?? Infinity);
      const lowest = Math.min(...priorities);
      return zone.filter((record) => !(at(record, 'example.org') && record.type === 'MX' && parseMxValue(record.value)?.priority === lowest));
    },
  },
];
