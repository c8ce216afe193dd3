/** The class-wide server behaviours: defaults, the instructor's changes checked, and what the sandbox gets. */
import { z } from 'zod';
import { MAX_REPLY_DELAY_MS, classBehavioursSchema } from '../../protocol/sandbox-config-schema.ts';
import { DEFAULT_BEHAVIOURS, type ClassBehaviours } from '../../protocol/sandbox-config.ts';
import { withoutUndefined } from '../../protocol/without-undefined.ts';

export { MAX_REPLY_DELAY_MS };
/** RFC 5321 §4.5.3.1.7 asks for 64k; a class may go lower to meet 552 sooner, but not absurdly low. */
export const MIN_CLASS_MESSAGE_SIZE = 1024;
export const MAX_CLOSE_AFTER_COMMANDS = 1000;

/** The sandbox's default behaviours, and the SIZE limit the server was started with. */
export function defaultBehaviours(maxMessageSize: number): ClassBehaviours {
  const { requireAuth, greylist, closeAfterCommands, replyDelayMs } = DEFAULT_BEHAVIOURS;
  return { requireAuth, greylist, closeAfterCommands, replyDelayMs, maxMessageSize };
}

/** A change from the instructor: any subset of the fields; the SIZE limit never above the server's own. */
export function behavioursChangeSchema(maxMessageSize: number) {
  const { shape } = classBehavioursSchema;
  return classBehavioursSchema
    .extend({
      closeAfterCommands: shape.closeAfterCommands.max(MAX_CLOSE_AFTER_COMMANDS),
      // The class range replaces the schema's "any positive size", so 0 gets one refusal, not two.
      maxMessageSize: z.number().int().min(MIN_CLASS_MESSAGE_SIZE).max(maxMessageSize),
    })
    .partial();
}

/** The stored behaviours, or the defaults when nothing (or something unreadable) is stored. */
export function storedBehaviours(stored: unknown, maxMessageSize: number): ClassBehaviours {
  const defaults = defaultBehaviours(maxMessageSize);
  const parsed = behavioursChangeSchema(maxMessageSize).safeParse(stored);
  return parsed.success ? { ...defaults, ...withoutUndefined(parsed.data) } : defaults;
}
