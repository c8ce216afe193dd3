/** A lesson's DNS step (`solutionDns`) applied to a zone: each record replaces those of its name and type. */
import { canonicalName, type DnsRecord } from '../world/dns-record.ts';

export function withSolutionDns(zone: readonly DnsRecord[], records: readonly DnsRecord[]): DnsRecord[] {
  const key = (record: DnsRecord) => `${canonicalName(record.name)} ${record.type}`;
  const replaced = new Set(records.map(key));
  return [...zone.filter((record) => !replaced.has(key(record))), ...records];
}
