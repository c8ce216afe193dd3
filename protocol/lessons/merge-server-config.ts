/**
 * A lesson's server setup: changes to the sandbox configuration, merged over the defaults.
 * Kept apart from their schema (server-config.ts) so that the web app, which gets lessons
 * already validated at build time, merges them without loading zod.
 */
import type * as z from 'zod';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../sandbox-config.ts';
import { withoutUndefined } from '../without-undefined.ts';
import type { serverOverridesSchema } from './server-config.ts';

/** Changes to the sandbox configuration for one lesson. */
export type ServerOverrides = Readonly<z.output<typeof serverOverridesSchema>>;

/** The configuration a lesson's server runs with: `base` (the defaults) with the overrides applied. */
export function mergeServerConfig(overrides: ServerOverrides, base: SandboxConfig = DEFAULT_SANDBOX_CONFIG): SandboxConfig {
  return {
    ...base,
    ...withoutUndefined(overrides),
    behaviours: { ...base.behaviours, ...withoutUndefined(overrides.behaviours ?? {}) },
  };
}
