/**
 * Each DNS record of the lab zone in one line of plain words, generated from its content, and
 * what changing it will affect. The wording follows the RFCs exactly: SPF (RFC 7208) checks the
 * MAIL FROM domain (or the HELO name), never the From header; DKIM (RFC 6376) keys are found by
 * selector and `d=`; DMARC (RFC 7489) ties SPF and DKIM to the From domain by alignment; a null MX
 * (RFC 7505) refuses all mail; with no MX a domain's address takes its mail (RFC 5321 §5.1).
 */
import { canonicalName, parseMxValue, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { isSpfRecord, ownLookupCount, sourceInWords, spfTerms, type SpfTerm } from './spf-terms.ts';

export interface RecordExplanation {
  /** What the record says, in one sentence. */
  readonly meaning: string;
  /** What a change to it (or removing it) changes for mail. */
  readonly affects: string;
}

const DKIM_NAME = /^([^.]+)\._domainkey\.(.+)$/;
const DMARC_NAME = /^_dmarc\.(.+)$/;

/** Explains `record` in the context of the whole zone (other MX records, duplicate SPF records). */
export function explainRecord(record: DnsRecord, zone: readonly DnsRecord[]): RecordExplanation {
  const name = canonicalName(record.name);
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return explainAddress(name, record.type, record.value.trim());
    case 'MX':
      return explainMx(name, record.value, zone);
    case 'CNAME':
      return {
        meaning: `${name} is an alias: every lookup of ${name} gets the records of ${canonicalName(record.value) || '(no target)'} instead.`,
        affects: `Nothing else may sit at ${name} (RFC 1034 §3.6.2), and an MX must not point at an alias (RFC 2181 §10.3).`,
      };
    case 'TXT':
      return explainTxt(name, record.value, zone);
  }
}

function explainAddress(name: string, type: 'A' | 'AAAA', address: string): RecordExplanation {
  return {
    meaning: `${name} is at ${type === 'A' ? 'the IPv4 address' : 'the IPv6 address'} ${address}.`,
    affects: `Senders connect to ${address} when ${name} is an MX target, or when ${name} has no MX at all (implicit MX, RFC 5321 §5.1); SPF "a" and "mx" terms naming ${name} match ${address}.`,
  };
}

function explainMx(domain: string, value: string, zone: readonly DnsRecord[]): RecordExplanation {
  const mx = parseMxValue(value);
  if (mx === null) return { meaning: `An MX record for ${domain} (its value is not "priority host" yet).`, affects: `Where mail for ${domain} is delivered.` };
  if (mx.exchange === '') {
    return {
      meaning: `Null MX (RFC 7505): ${domain} takes no mail at all. Senders bounce mail for it at once with 556 5.1.10, without connecting anywhere.`,
      affects: `Remove it and give ${domain} a real MX, or none (then its A/AAAA address takes mail), to make mail for it deliverable again.`,
    };
  }
  const others = zone
    .filter((other) => other.type === 'MX' && canonicalName(other.name) === domain)
    .map((other) => parseMxValue(other.value))
    .filter((other): other is NonNullable<typeof other> => other !== null && other.exchange !== mx.exchange);
  const lower = others.filter((other) => other.priority < mx.priority).length;
  const order =
    lower === 0
      ? `goes first to ${mx.exchange}`
      : `goes to ${mx.exchange} when the ${lower === 1 ? 'host' : 'hosts'} with a lower priority number cannot take it`;
  const tie = others.some((other) => other.priority === mx.priority) ? ' (shared at random with the other host of the same priority)' : '';
  return {
    meaning: `Mail for ${domain} ${order}${tie} (priority ${mx.priority}: lower numbers are tried first).`,
    affects: `Changing or removing it changes where mail for ${domain} is delivered; with no MX left, senders use ${domain}'s own address (RFC 5321 §5.1).`,
  };
}

function explainTxt(name: string, value: string, zone: readonly DnsRecord[]): RecordExplanation {
  const dkim = DKIM_NAME.exec(name);
  if (dkim !== null) return explainDkimKey(dkim[1] ?? '', dkim[2] ?? '', value);
  const dmarc = DMARC_NAME.exec(name);
  if (dmarc !== null) return explainDmarc(dmarc[1] ?? '', value);
  if (isSpfRecord(value)) return explainSpf(name, value, zone);
  return {
    meaning: `Free text at ${name}; mail software ignores it (it is not an SPF, DKIM or DMARC record).`,
    affects: 'Nothing in mail delivery or authentication.',
  };
}

function explainSpf(domain: string, value: string, zone: readonly DnsRecord[]): RecordExplanation {
  const terms = spfTerms(value);
  const sources = terms.filter((term) => !term.modifier && term.name !== 'all' && term.qualifier === '+').map((term) => sourceInWords(term, domain));
  const redirect = terms.find((term) => term.modifier && term.name === 'redirect');
  const all = terms.find((term) => !term.modifier && term.name === 'all');
  const spfAtName = zone.filter((other) => other.type === 'TXT' && canonicalName(other.name) === domain && isSpfRecord(other.value)).length;
  const lookups = ownLookupCount(terms);

  const who = sources.length === 0 ? 'no server may send' : `only ${listInWords(sources)} may send`;
  const rest = all !== undefined ? restInWords(all) : redirect !== undefined ? `anything else gets ${redirect.argument}'s SPF verdict (redirect)` : 'anything else is neutral (no "all" term: the default is neutral, RFC 7208 §4.7)';
  const limit = lookups > 10 ? ` Its own terms already make ${lookups} DNS lookups: over the limit of 10, so the verdict is permerror (RFC 7208 §4.6.4).` : lookups > 0 ? ` Its terms make ${lookups} of the 10 DNS lookups allowed (includes add their own).` : '';
  const duplicate = spfAtName > 1 ? ` ${domain} publishes ${spfAtName} SPF records: that alone makes the verdict permerror (RFC 7208 §4.5).` : '';
  return {
    meaning: `SPF — ${who} mail with MAIL FROM @${domain} (or HELO ${domain}); ${rest}. SPF checks the envelope's MAIL FROM domain, not the From header.${limit}${duplicate}`,
    affects: `Editing it changes the SPF verdict for mail whose MAIL FROM is @${domain}; DMARC counts that verdict only when ${domain} aligns with the From domain.`,
  };
}

function restInWords(all: SpfTerm): string {
  switch (all.qualifier) {
    case '-':
      return 'anything else fails (-all)';
    case '~':
      return 'anything else soft-fails (~all: suspicious, usually accepted and marked)';
    case '?':
      return 'anything else is neutral (?all: no verdict either way)';
    case '+':
      return 'and so may every other server in the world (+all passes everything: it makes the record useless)';
  }
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `k=v; k=v` tags (RFC 6376 §3.2, RFC 7489 §6.4), keys lower-case. */
function tags(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) map.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return map;
}

function explainDkimKey(selector: string, domain: string, value: string): RecordExplanation {
  const key = tags(value);
  const publicKey = key.get('p');
  const affects = `Changing or removing it makes DKIM signatures with d=${domain} and s=${selector} fail (no key, or a key that does not match); DMARC for From @${domain} then passes only if SPF passes for an aligned MAIL FROM domain.`;
  if (publicKey === undefined) return { meaning: `Meant as the DKIM key of ${domain} (selector ${selector}), but it has no p= tag, so it holds no key (RFC 6376 §3.6.1).`, affects };
  if (publicKey === '') return { meaning: `A revoked DKIM key (empty p=) for ${domain}, selector ${selector}: signatures using it fail (RFC 6376 §3.6.1).`, affects };
  return {
    meaning: `DKIM public key (RFC 6376) of ${domain}, selector ${selector} (${key.get('k') ?? 'rsa'}): receivers verify signatures carrying d=${domain}; s=${selector} with it.`,
    affects,
  };
}

const POLICY_WORDS: Readonly<Record<string, string>> = {
  reject: 'is refused',
  quarantine: 'is delivered marked as junk (quarantine)',
  none: 'is delivered anyway (p=none only asks for reports)',
};

/** A syntactically valid DMARC report URI (RFC 7489 §6.2: a URI, optionally followed by `!size`). */
const REPORT_URI = /^[a-z][a-z0-9+.-]*:[^\s!,;]+(![0-9]+[kmgt]?)?$/i;

/** RFC 7489 §6.4 `rua=`: a comma-separated list holding at least one valid URI. */
function hasValidRua(rua: string | undefined): boolean {
  return rua !== undefined && rua.split(',').some((uri) => REPORT_URI.test(uri.trim()));
}

function explainDmarc(domain: string, value: string): RecordExplanation {
  const policy = tags(value);
  const p = (policy.get('p') ?? '').toLowerCase();
  const alignment = (tag: string, what: string) =>
    policy.get(tag)?.toLowerCase() === 's' ? `${what} must be exactly ${domain} (strict)` : `${what} may be ${domain} or a subdomain of it (relaxed)`;
  const passes = `It passes when SPF or DKIM passes for a domain aligned with ${domain} — either one is enough: ${alignment('aspf', 'the MAIL FROM domain')}; ${alignment('adkim', "DKIM's d=")}.`;
  const action = POLICY_WORDS[p];
  const problem = `p= is ${p === '' ? 'missing' : `"${p}", not none, quarantine or reject`}`;
  // RFC 7489 §6.6.3 step 6: without a valid p=, a valid rua= makes it p=none; otherwise no DMARC processing at all.
  const meaning =
    action !== undefined
      ? `DMARC (RFC 7489) for mail whose From is @${domain}: mail that fails DMARC ${action}. ${passes}`
      : hasValidRua(policy.get('rua'))
        ? `DMARC for ${domain} with ${problem}, but rua= holds a valid report address, so receivers act as if p=none (RFC 7489 §6.6.3): mail that fails DMARC ${POLICY_WORDS['none']}. ${passes}`
        : `Meant as DMARC for ${domain}, but ${problem} and there is no valid rua= report address, so the record is invalid: receivers find no DMARC policy for ${domain} and apply no DMARC processing (RFC 7489 §6.6.3).`;
  return {
    meaning,
    affects: `Changing p= changes what receivers do with failing mail From @${domain}; changing adkim/aspf changes which SPF and DKIM passes count as aligned.`,
  };
}
