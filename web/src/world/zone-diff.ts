/** What a change to the zone removes and adds, record by record (a preset's preview). */
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';

export interface ZoneDiff {
  readonly removed: readonly DnsRecord[];
  readonly added: readonly DnsRecord[];
}

const key = (record: DnsRecord) => `${record.name.toLowerCase()}\u0000${record.type}\u0000${record.ttl}\u0000${record.value}`;

/** The records only in `before` and those only in `after` (order kept; an edit is one of each). */
export function diffZones(before: readonly DnsRecord[], after: readonly DnsRecord[]): ZoneDiff {
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return { removed: before.filter((record) => !afterKeys.has(key(record))), added: after.filter((record) => !beforeKeys.has(key(record))) };
}

/** A record as one zone-file-like line: `example.net. 300 MX 10 mx.example.net.` */
export function recordLine(record: DnsRecord): string {
  return `${record.name}. ${record.ttl} ${record.type} ${record.value}`;
}
