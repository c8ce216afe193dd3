/**
 * Groups a zone's records by the mail domain they serve, so the editor shows example.com's MX,
 * SPF, DKIM key, DMARC policy and host addresses together. A mail domain is a name with an MX,
 * an SPF record or a DMARC record; every other name joins the longest mail domain it ends with.
 */
import { canonicalName } from '../../../protocol/world/dns-record.ts';
import { isSpfRecord } from './spf-terms.ts';

/** The record shape the grouping reads (drafts in the editor have it too). */
interface Named {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/** The learners' organisations first, then the rest in the zone's order. */
const FIRST = ['example.com', 'example.net', 'example.org'];

export interface ZoneGroup {
  readonly domain: string;
  /** Positions of the group's records in the zone. */
  readonly indexes: readonly number[];
}

function mailDomainOf(record: Named): string | null {
  const name = canonicalName(record.name);
  if (name.startsWith('_dmarc.')) return name.slice('_dmarc.'.length);
  if (record.type === 'MX' || (record.type === 'TXT' && isSpfRecord(record.value) && !name.includes('._spf.'))) return name;
  return null;
}

/** The group of each name: its longest suffix that is a mail domain, else its last two labels. */
export function groupZone(records: readonly Named[]): ZoneGroup[] {
  const mailDomains = new Set(records.map(mailDomainOf).filter((domain): domain is string => domain !== null && domain !== ''));
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const domain = groupOf(canonicalName(record.name), mailDomains);
    groups.set(domain, [...(groups.get(domain) ?? []), index]);
  });
  const rank = (domain: string) => {
    const at = FIRST.indexOf(domain);
    return at === -1 ? FIRST.length : at;
  };
  return [...groups]
    .map(([domain, indexes]) => ({ domain, indexes }))
    .sort((a, b) => rank(a.domain) - rank(b.domain) || (a.indexes[0] ?? 0) - (b.indexes[0] ?? 0));
}

function groupOf(name: string, mailDomains: ReadonlySet<string>): string {
  const labels = name.split('.');
  for (let start = 0; start < labels.length - 1; start++) {
    const suffix = labels.slice(start).join('.');
    if (mailDomains.has(suffix)) return suffix;
  }
  return labels.length >= 2 ? labels.slice(-2).join('.') : name || '(no name yet)';
}
