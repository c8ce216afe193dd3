/** Shared by the mail-auth tests: the default world's keys in a throwaway data dir, zones built from it, and messages. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { DnsRecord } from '../../../../protocol/world/dns-record.ts';
import { defaultWorld } from '../../../../protocol/world/default-world.ts';
import { dkimPublicKeys, loadOrCreateDkimKeys, type DkimKeys } from '../../../../server/world/dkim-keys.ts';

export async function makeKeys(): Promise<{ keys: DkimKeys; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-mail-auth-'));
  const keys = await loadOrCreateDkimKeys(dir);
  return { keys, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One set of keys for the whole file, removed after it; read `keys` inside tests and hooks, not at load time. */
export function keysPerFile(): { readonly keys: DkimKeys } {
  const current = {} as { keys: DkimKeys; cleanup?: () => void };
  beforeAll(async () => {
    Object.assign(current, await makeKeys());
  });
  afterAll(() => current.cleanup?.());
  return current;
}

export interface ZoneChange {
  /** Records removed first: every record at these name+type pairs ("example.com TXT"). */
  readonly drop?: readonly string[];
  readonly add?: readonly DnsRecord[];
}

/** The names whose DNS the default world makes time out, plus any a test adds. */
export function worldUnreachable(extra: readonly string[] = []): string[] {
  return [...defaultWorld({ dkimPublicKeys: { 'example.com': '', 'example.net': '', 'example.org': '' } }).unreachable, ...extra];
}

export function worldZone(keys: DkimKeys, change: ZoneChange = {}): DnsRecord[] {
  const dropped = new Set(change.drop ?? []);
  const base = defaultWorld({ dkimPublicKeys: dkimPublicKeys(keys) }).records.filter((record) => !dropped.has(`${record.name} ${record.type}`));
  return [...base, ...(change.add ?? [])];
}

export const txt = (name: string, value: string): DnsRecord => ({ name, type: 'TXT', ttl: 300, value });

export function message(from: string, { subject = 'Lunch on Friday?', body = 'Shall we meet at noon?\r\n' } = {}): string {
  return [
    `From: ${from}`,
    'To: Bob <bob@example.net>',
    `Subject: ${subject}`,
    'Date: Mon, 06 May 2024 10:00:00 +0000',
    `Message-ID: <journey-1@${from.split('@').pop()?.replace('>', '')}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');
}
