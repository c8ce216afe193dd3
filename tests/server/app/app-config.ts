/** A ServerConfig for in-process tests and benchmarks: free ports, a fresh data directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerConfig, type FlagValues } from '../../../server/config/load-server-config.ts';
import type { ServerConfig } from '../../../server/config/server-config.ts';

/** The real defaults, with ports 0 and a temporary data dir unless `flags` says otherwise. */
export function testConfig(flags: FlagValues = {}): ServerConfig {
  return loadServerConfig(
    { 'http-port': '0', 'smtp-port': '0', 'data-dir': mkdtempSync(join(tmpdir(), 'smtp-lab-app-')), ...flags },
    {},
  );
}
