/**
 * A lesson's server setup: changes to the sandbox configuration, merged over the defaults.
 * Kept apart from their schema (server-config.ts) so that the web app, which gets lessons
 * already validated at build time, merges them without loading zod.
 */
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig, type ServerBehaviours } from '../sandbox-config.ts';

/** Changes to the sandbox configuration for one lesson. */
export interface ServerOverrides extends Partial<Omit<SandboxConfig, 'behaviours'>> {
  readonly behaviours?: Partial<ServerBehaviours>;
}

/** The configuration a lesson's server runs with: `base` (the defaults) with the overrides applied. */
export function mergeServerConfig(overrides: ServerOverrides, base: SandboxConfig = DEFAULT_SANDBOX_CONFIG): SandboxConfig {
  return {
    ...base,
    ...withoutUndefined(overrides),
    behaviours: { ...base.behaviours, ...withoutUndefined(overrides.behaviours ?? {}) },
  };
}

/** Drops keys whose value is undefined, so they cannot erase a default. */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
