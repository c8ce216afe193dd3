/** The class-wide server behaviours: defaults, the instructor's changes checked, and what the sandbox gets. */
import { z } from 'zod';
import type { ClassBehaviours } from './classroom-types.ts';

/** RFC 5321 §4.5.3.1.7 asks for 64k; a class may go lower to meet 552 sooner, but not absurdly low. */
export const MIN_CLASS_MESSAGE_SIZE = 1024;
export const MAX_CLOSE_AFTER_COMMANDS = 1000;
export const MAX_REPLY_DELAY_MS = 10_000;

/** Everything off, and the SIZE limit the server was started with. */
export function defaultBehaviours(maxMessageSize: number): ClassBehaviours {
  return { requireAuth: false, greylist: false, closeAfterCommands: 0, replyDelayMs: 0, maxMessageSize };
}

/** A change from the instructor: any subset of the fields; the SIZE limit never above the server's own. */
export function behavioursChangeSchema(maxMessageSize: number) {
  return z.strictObject({
    requireAuth: z.boolean().optional(),
    greylist: z.boolean().optional(),
    closeAfterCommands: z.number().int().min(0).max(MAX_CLOSE_AFTER_COMMANDS).optional(),
    replyDelayMs: z.number().int().min(0).max(MAX_REPLY_DELAY_MS).optional(),
    maxMessageSize: z.number().int().min(MIN_CLASS_MESSAGE_SIZE).max(maxMessageSize).optional(),
  });
}

/** The stored behaviours, or the defaults when nothing (or something unreadable) is stored. */
export function storedBehaviours(stored: unknown, maxMessageSize: number): ClassBehaviours {
  const defaults = defaultBehaviours(maxMessageSize);
  const parsed = behavioursChangeSchema(maxMessageSize).safeParse(stored);
  return parsed.success ? { ...defaults, ...stripUndefined(parsed.data) } : defaults;
}

/** `{ a: undefined }` must not overwrite a default when spread. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
