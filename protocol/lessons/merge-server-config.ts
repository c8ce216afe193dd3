/**
 * A lesson's server setup: changes to the sandbox configuration, merged over the defaults.
 * Kept apart from their schema (server-config.ts) so that the web app, which gets lessons
 * already validated at build time, merges them without loading zod.
 */
import type * as z from 'zod';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../sandbox-config.ts';
import { PERSONALITIES } from '../simulator/personalities/index.ts';
import { withoutUndefined } from '../without-undefined.ts';
import type { serverOverridesSchema } from './server-config.ts';

/** Changes to the sandbox configuration for one lesson. */
export type ServerOverrides = Readonly<z.output<typeof serverOverridesSchema>>;

/**
 * The configuration a lesson's server runs with: `base` (the defaults) with the overrides
 * applied. A lesson that picks a personality but no host name gets that personality's lab
 * host name, so its greeting reads like the lab's server of that kind (mx.lab.test).
 */
export function mergeServerConfig(overrides: ServerOverrides, base: SandboxConfig = DEFAULT_SANDBOX_CONFIG): SandboxConfig {
  const { personality } = overrides;
  const hostname = personality === undefined ? {} : { hostname: PERSONALITIES[personality].labHostname };
  return {
    ...base,
    ...hostname,
    ...withoutUndefined(overrides),
    behaviours: { ...base.behaviours, ...withoutUndefined(overrides.behaviours ?? {}) },
  };
}
