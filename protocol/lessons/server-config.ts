/**
 * The schema of a lesson's server setup: any setting of the sandbox configuration, the
 * behaviours field by field, checked as the configuration itself is checked (lesson
 * frontmatter is authored by hand); merge-server-config.ts applies them.
 */
import { sandboxConfigSchema, serverBehavioursSchema } from '../sandbox-config-schema.ts';

/** The `server:` field of a lesson. */
export const serverOverridesSchema = sandboxConfigSchema.partial().extend({
  behaviours: serverBehavioursSchema.partial().readonly().optional(),
});
