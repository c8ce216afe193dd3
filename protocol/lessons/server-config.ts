/**
 * A lesson's server setup: changes to the sandbox configuration, validated at the boundary
 * (lesson frontmatter is authored by hand) and merged over the defaults.
 */
import * as z from 'zod';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig, type ServerBehaviours } from '../sandbox-config.ts';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

const behavioursSchema = z.strictObject({
  requireAuth: z.boolean().optional(),
  greylist: z.boolean().optional(),
  refuseRelay: z.boolean().optional(),
  localDomains: z.array(z.string().min(1)).optional(),
  unknownMailboxes: z.array(z.string().min(1)).optional(),
  closeAfterCommands: nonNegativeInt.optional(),
  replyDelayMs: nonNegativeInt.max(10_000).optional(),
});

/** The `server:` field of a lesson: any SandboxConfig field, behaviours field by field. */
export const serverOverridesSchema = z.strictObject({
  hostname: z.string().min(1).optional(),
  banner: z.string().optional(),
  maxMessageSize: positiveInt.optional(),
  maxRecipients: positiveInt.optional(),
  maxCommandLength: z.number().int().min(512).optional(),
  authMethods: z.array(z.enum(['PLAIN', 'LOGIN'])).min(1).optional(),
  accounts: z.array(z.strictObject({ username: z.string().min(1), password: z.string().min(1) })).min(1).optional(),
  allowInsecureAuth: z.boolean().optional(),
  enhancedStatusCodes: z.boolean().optional(),
  behaviours: behavioursSchema.optional(),
});

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
