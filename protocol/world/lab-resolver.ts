/**
 * The lab's one resolver: answers every lookup from the lab zone, exactly in the shapes of
 * Node's `dns.promises.resolve` (which mailauth's `resolver` option expects), so SPF, DKIM,
 * DMARC and the relay's MX lookups never touch real DNS:
 * TXT → string[][] (each record split into strings of at most 255 characters), MX →
 * {exchange, priority}[] (the null MX's `.` is exchange ''), A/AAAA/CNAME → string[].
 * A name with no records at or below it → ENOTFOUND (NXDOMAIN); a name that exists without
 * records of the type asked → ENODATA (NODATA, RFC 8020 for empty non-terminals). mailauth
 * reads both as "none"; ETIMEOUT and ESERVFAIL are its temperror.
 */
import { canonicalName, parseMxValue, targetName, type DnsRecord } from './dns-record.ts';

export type DnsErrorCode = 'ENOTFOUND' | 'ENODATA' | 'ETIMEOUT' | 'ESERVFAIL';

export interface MxAnswer {
  readonly exchange: string;
  readonly priority: number;
}

export type DnsAnswer = string[][] | MxAnswer[] | string[];

/** One lookup, as the journey view shows it: the question and the answer or the error. */
export type DnsLookup =
  | { readonly name: string; readonly type: string; readonly answer: DnsAnswer }
  | { readonly name: string; readonly type: string; readonly error: DnsErrorCode };

export interface LabResolverOptions {
  /** Told about every lookup, in the order they are asked. */
  readonly onLookup?: (lookup: DnsLookup) => void;
  /**
   * Names whose name servers do not answer: a lookup at or below one times out (ETIMEOUT),
   * as when a domain's DNS is down. For the SPF temperror lesson.
   */
  readonly unreachable?: readonly string[];
}

/** What mailauth and the relay call: `resolve(name, rrtype)`, rejecting with a coded error like Node's. */
export interface LabResolver {
  (name: string, rrtype: 'TXT'): Promise<string[][]>;
  (name: string, rrtype: 'MX'): Promise<MxAnswer[]>;
  (name: string, rrtype: 'A' | 'AAAA' | 'CNAME'): Promise<string[]>;
  (name: string, rrtype: string): Promise<DnsAnswer>;
}

/** Node's error for a failed query: `queryTxt ENOTFOUND example.com`, with `code`, `syscall` and `hostname`. */
export class DnsError extends Error {
  readonly code: DnsErrorCode;
  readonly syscall: string;
  readonly hostname: string;
  constructor(code: DnsErrorCode, rrtype: string, hostname: string) {
    const syscall = `query${rrtype.charAt(0)}${rrtype.slice(1).toLowerCase()}`;
    super(`${syscall} ${code} ${hostname}`);
    this.name = 'DnsError';
    this.code = code;
    this.syscall = syscall;
    this.hostname = hostname;
  }
}

/** DNS strings are at most 255 octets (RFC 1035 §3.3); a longer TXT value is several strings. */
const TXT_STRING_LENGTH = 255;
/** How many CNAMEs a lookup follows before it gives up, as resolvers do on a loop. */
const MAX_CNAME_HOPS = 8;

export function createLabResolver(records: readonly DnsRecord[], options: LabResolverOptions = {}): LabResolver {
  const byName = new Map<string, DnsRecord[]>();
  for (const record of records) byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
  const unreachable = (options.unreachable ?? []).map(canonicalName);

  const exists = (name: string) => byName.has(name) || records.some((record) => record.name.endsWith(`.${name}`));
  const isUnreachable = (name: string) => unreachable.some((zone) => name === zone || name.endsWith(`.${zone}`));

  const answer = (queried: string, rrtype: string): DnsAnswer => {
    let name = queried;
    for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      if (isUnreachable(name)) throw new DnsError('ETIMEOUT', rrtype, queried);
      const atName = byName.get(name) ?? [];
      const cname = atName.find((record) => record.type === 'CNAME');
      if (cname !== undefined && rrtype !== 'CNAME') {
        name = targetName(cname.value);
        continue;
      }
      const matching = atName.filter((record) => record.type === rrtype);
      if (matching.length === 0) throw new DnsError(exists(name) ? 'ENODATA' : 'ENOTFOUND', rrtype, queried);
      return shape(rrtype, matching);
    }
    throw new DnsError('ESERVFAIL', rrtype, queried);
  };

  const resolve = async (name: string, rrtype: string): Promise<DnsAnswer> => {
    const question = { name: canonicalName(name), type: rrtype.toUpperCase() };
    try {
      const result = answer(question.name, question.type);
      options.onLookup?.({ ...question, answer: result });
      return result;
    } catch (error) {
      if (error instanceof DnsError) options.onLookup?.({ ...question, error: error.code });
      throw error;
    }
  };
  return resolve as LabResolver;
}

function shape(rrtype: string, records: readonly DnsRecord[]): DnsAnswer {
  switch (rrtype) {
    case 'TXT':
      return records.map((record) => splitTxt(record.value));
    case 'MX':
      return records.map((record) => {
        const mx = parseMxValue(record.value);
        return { exchange: mx?.exchange ?? '', priority: mx?.priority ?? 0 };
      });
    case 'CNAME':
      return records.map((record) => targetName(record.value));
    default:
      return records.map((record) => record.value.toLowerCase());
  }
}

function splitTxt(value: string): string[] {
  if (value === '') return [''];
  const strings: string[] = [];
  for (let start = 0; start < value.length; start += TXT_STRING_LENGTH) strings.push(value.slice(start, start + TXT_STRING_LENGTH));
  return strings;
}
