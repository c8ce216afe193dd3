/**
 * The schema of a lesson's server setup: changes to the sandbox configuration, validated at
 * the boundary (lesson frontmatter is authored by hand); merge-server-config.ts applies them.
 */
import * as z from 'zod';

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
