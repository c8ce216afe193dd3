/**
 * Zones for the resolver and routing tests, written as plain records and put through the one
 * zone check (checkZone), so a test's data is a zone the app would accept.
 */
import { checkZone, type DnsRecord } from '../../../protocol/world/dns-record.ts';

/** A record as a learner would write it, with a TTL of 300. */
export const r = (name: string, type: string, value: string) => ({ name, type, ttl: 300, value });

/** The records, checked; a record the check refuses fails the test with the problems. */
export function zone(records: readonly unknown[]): DnsRecord[] {
  const check = checkZone(records);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return [...check.records];
}
