/**
 * A lab DNS record `{name, type, ttl, value}` in presentation format, and the checks a zone
 * passes before it is used: one learner-readable problem per bad record, with its index.
 *
 * Names are always absolute: `mx.example.com` and `mx.example.com.` are the same name, stored
 * lower-case without the trailing dot (there is no `$ORIGIN` and no `@`). MX and CNAME
 * targets are kept as written and compared without the dot (`targetName`).
 */
import * as z from 'zod';
import { isIpv4, isLabIpv4, isLabIpv6, ipv6Groups, LAB_RANGES_TEXT } from './lab-addresses.ts';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME'] as const;
export const dnsRecordTypeSchema = z.enum(DNS_RECORD_TYPES);
export type DnsRecordType = z.infer<typeof dnsRecordTypeSchema>;

/** RFC 2181 §8: a TTL is an unsigned 31-bit number of seconds. */
export const MAX_TTL = 2_147_483_647;
/** Long enough for a 4096-bit DKIM key; the resolver splits it into 255-byte strings. */
export const MAX_TXT_LENGTH = 4000;
/** A lab zone is small; the cap keeps every lookup and every API body bounded. */
export const MAX_ZONE_RECORDS = 500;
const MAX_NAME_LENGTH = 253;

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MX_VALUE = /^(\d{1,5})\s+(\S+)$/;

/** The record's shape; what its value must look like depends on its type (`valueProblem`). */
export const dnsRecordSchema = z.strictObject({
  name: z.string({ error: 'name must be text, such as "mx.example.com".' }),
  type: z.enum(DNS_RECORD_TYPES, { error: `type must be one of ${DNS_RECORD_TYPES.join(', ')}.` }),
  ttl: z
    .number({ error: 'ttl must be a number of seconds, such as 300.' })
    .int({ error: 'ttl must be a whole number of seconds.' })
    .min(0, { error: `ttl must be from 0 to ${MAX_TTL} seconds (RFC 2181 §8).` })
    .max(MAX_TTL, { error: `ttl must be from 0 to ${MAX_TTL} seconds (RFC 2181 §8).` }),
  value: z.string({ error: 'value must be text in presentation format, such as "10 mx.example.net.".' }),
});

export type DnsRecord = z.infer<typeof dnsRecordSchema>;

export interface ZoneProblem {
  /** The record's position in the list the learner sent. */
  readonly index: number;
  readonly message: string;
}

export type ZoneCheck =
  | { readonly ok: true; readonly records: readonly DnsRecord[] }
  | { readonly ok: false; readonly problems: readonly ZoneProblem[] };

/** A name as the zone stores it and the resolver compares it: lower-case, no trailing dot. */
export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** An MX or CNAME target compared without its trailing dot; `.` (the null MX's) becomes ''. */
export const targetName = canonicalName;

export interface MxValue {
  readonly priority: number;
  /** The target without its trailing dot; '' for the null MX's `.` (RFC 7505). */
  readonly exchange: string;
}

/** The priority and target of a valid MX value. */
export function parseMxValue(value: string): MxValue | null {
  const match = MX_VALUE.exec(value.trim());
  if (match === null) return null;
  return { priority: Number(match[1]), exchange: targetName(match[2] ?? '') };
}

/** Why `name` is not a usable absolute domain name, or null. */
export function nameProblem(name: string, what = 'name'): string | null {
  const canonical = canonicalName(name);
  if (canonical === '') return `${what} is empty: write a full domain name such as mx.example.com.`;
  if (canonical.length > MAX_NAME_LENGTH) return `${what} is longer than ${MAX_NAME_LENGTH} characters (RFC 1035 §2.3.4).`;
  const labels = canonical.split('.');
  if (labels.length < 2) return `${what} "${canonical}" has one label: write the full name, such as ${canonical}.example.com.`;
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return bad === ''
      ? `${what} "${name}" has an empty label (two dots in a row).`
      : `${what} "${name}" has the label "${bad}": a label is 1 to 63 letters, digits, hyphens or underscores, not starting or ending with a hyphen.`;
  }
  return null;
}

/** Why a record's value does not suit its type, or null. */
function valueProblem({ type, value }: DnsRecord): string | null {
  const text = value.trim();
  switch (type) {
    case 'A':
      if (!isIpv4(text)) return `"${value}" is not an IPv4 address: an A record holds four numbers 0–255 such as 192.0.2.10.`;
      return isLabIpv4(text) ? null : outsideTheLab(text);
    case 'AAAA':
      if (ipv6Groups(text) === null) return `"${value}" is not an IPv6 address: an AAAA record holds one such as 2001:db8::10.`;
      return isLabIpv6(text) ? null : outsideTheLab(text);
    case 'MX': {
      const mx = parseMxValue(text);
      if (mx === null) {
        return `"${value}" is not an MX value: write the priority, then the mail server's name, such as "10 mx.example.net.".`;
      }
      if (mx.priority > 65535) return `MX priority ${mx.priority} is too large: it is a number from 0 to 65535.`;
      if (mx.exchange === '') return mx.priority === 0 ? null : `A null MX ("0 .", RFC 7505) has priority 0, not ${mx.priority}.`;
      return nameProblem(mx.exchange, 'the MX target');
    }
    case 'CNAME':
      return text.includes(' ') ? `A CNAME holds one name, such as "www.example.com.", not "${value}".` : nameProblem(text, 'the CNAME target');
    case 'TXT':
      if (value.length > MAX_TXT_LENGTH) return `This TXT value is ${value.length} characters; the lab allows up to ${MAX_TXT_LENGTH}.`;
      return PRINTABLE_ASCII.test(value) ? null : 'A TXT value in the lab is printable ASCII text (SPF, DKIM and DMARC records are).';
  }
}

function outsideTheLab(address: string): string {
  return `${address} is outside the lab's address ranges: use ${LAB_RANGES_TEXT}. These ranges are reserved for documentation, so nothing in the lab can ever reach a real host.`;
}

/** One problem for a record on its own (shape, name, value), or the record as the zone stores it. */
function checkRecord(input: unknown): { readonly record: DnsRecord } | { readonly problem: string } {
  const parsed = dnsRecordSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') return { problem: `Unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}: a record has name, type, ttl and value.` };
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problem: 'A record is an object {name, type, ttl, value}.' };
    return { problem: issue?.message ?? 'This record is not {name, type, ttl, value}.' };
  }
  const problem = nameProblem(parsed.data.name) ?? valueProblem(parsed.data);
  if (problem !== null) return { problem };
  return { record: { ...parsed.data, name: canonicalName(parsed.data.name), value: parsed.data.type === 'TXT' ? parsed.data.value : parsed.data.value.trim() } };
}

/** What makes two records the same data (RFC 2181 §5: an RRset holds no duplicates). */
function identity(record: DnsRecord): string {
  switch (record.type) {
    case 'MX': {
      const mx = parseMxValue(record.value);
      return `MX ${mx?.priority} ${mx?.exchange}`;
    }
    case 'CNAME':
      return `CNAME ${targetName(record.value)}`;
    case 'AAAA':
      return `AAAA ${ipv6Groups(record.value)?.join(':')}`;
    default:
      return `${record.type} ${record.value}`;
  }
}

/** The problems only the whole zone shows: duplicates, CNAME beside other data, a null MX beside other MX. */
function zoneProblems(records: readonly (DnsRecord | null)[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Map<string, number>();
  const byName = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (record === null) return;
    const key = `${record.name} ${identity(record)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else problems.set(index, `This repeats record ${first} (${record.name} ${record.type} ${record.value}): a record set holds each value once (RFC 2181 §5).`);
    byName.set(record.name, [...(byName.get(record.name) ?? []), index]);
  });
  for (const [name, indexes] of byName) {
    const atName = indexes.map((index) => ({ index, record: records[index] as DnsRecord }));
    const cnames = atName.filter(({ record }) => record.type === 'CNAME');
    if (cnames.length > 0 && atName.length > 1) {
      for (const { index } of cnames) {
        if (!problems.has(index)) problems.set(index, `${name} has a CNAME and other records: a CNAME must be the only record at its name (RFC 1034 §3.6.2). Put the other records at the CNAME's target, or remove the CNAME.`);
      }
    }
    const mxs = atName.filter(({ record }) => record.type === 'MX');
    const nullMx = mxs.filter(({ record }) => parseMxValue(record.value)?.exchange === '');
    if (nullMx.length > 0 && mxs.length > 1) {
      for (const { index } of nullMx) {
        if (!problems.has(index)) problems.set(index, `${name} has a null MX ("0 .") and other MX records: a domain that says it takes no mail must publish no other MX (RFC 7505 §3).`);
      }
    }
  }
  return problems;
}

/** Checks a whole zone: the stored records, or every problem (at most one per record). */
export function checkZone(input: readonly unknown[]): ZoneCheck {
  if (input.length > MAX_ZONE_RECORDS) {
    return { ok: false, problems: [{ index: MAX_ZONE_RECORDS, message: `A lab zone holds at most ${MAX_ZONE_RECORDS} records; this one has ${input.length}.` }] };
  }
  const problems = new Map<number, string>();
  const records = input.map((item, index) => {
    const checked = checkRecord(item);
    if ('record' in checked) return checked.record;
    problems.set(index, checked.problem);
    return null;
  });
  for (const [index, message] of zoneProblems(records)) if (!problems.has(index)) problems.set(index, message);
  if (problems.size > 0) {
    return { ok: false, problems: [...problems].sort(([a], [b]) => a - b).map(([index, message]) => ({ index, message })) };
  }
  return { ok: true, records: records as DnsRecord[] };
}
