/** The default lab world's zone with stand-in DKIM keys (checkZone reads TXT as text only). */
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import { defaultWorld } from '../../../protocol/world/default-world.ts';

export function defaultZone(): DnsRecord[] {
  return [...defaultWorld({ dkimPublicKeys: { 'example.com': 'MIIBcom', 'example.net': 'MIIBnet', 'example.org': 'MIIBorg' } }).records];
}

export const rec = (name: string, type: DnsRecord['type'], value: string, ttl = 300): DnsRecord => ({ name, type, ttl, value });
