/**
 * Validates the goal language (goal-types.ts). A condition is an object with exactly one
 * primitive key plus an optional `label`; the value under the key is checked by that
 * primitive's own zod schema. The dispatch is done by hand rather than with a zod union so
 * that an author sees "goal.all[2].reply.code: …" instead of union noise.
 */
import * as z from 'zod';
import type { Condition, EventCondition } from './goal-types.ts';

const ANSWERED_KINDS = [
  'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'EXPN', 'HELP', 'AUTH',
  'STARTTLS', 'BDAT', 'END-OF-DATA', 'AUTH-RESPONSE', 'GREETING', 'UNKNOWN',
] as const;

/** A string that compiles as a JavaScript regular expression. */
const regex = z.string().min(1).refine(compiles, { message: 'not a valid regular expression' });

const count = z.union([
  z.number().int().nonnegative(),
  z.strictObject({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
    .refine((bounds) => bounds.min !== undefined || bounds.max !== undefined, { message: 'give min, max or both' }),
]);

const replyFields = {
  to: z.enum(ANSWERED_KINDS).optional(),
  code: z.number().int().min(200).max(599).optional(),
  enhanced: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'an enhanced status code such as 5.1.1').optional(),
  sent: regex.optional(),
};

const replySpec = z.strictObject({ ...replyFields, class: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional() });
const rejectedSpec = z.strictObject({ ...replyFields, class: z.union([z.literal(4), z.literal(5)]).optional() })
  .refine((spec) => spec.code === undefined || spec.code >= 400, { message: 'a rejection has a 4xx or 5xx code' });

const conditionList = z.array(z.lazy(() => conditionSchema)).min(1);

/** The schema of the value under each key. */
const PRIMITIVE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  all: conditionList,
  any: conditionList,
  not: z.lazy(() => conditionSchema),
  sequence: z.array(z.lazy(() => eventConditionSchema)).min(2),
  earlierConnection: z.lazy(() => conditionSchema),
  reply: replySpec,
  rejected: rejectedSpec,
  state: z.string().regex(/^[a-zA-Z]+(\.[a-zA-Z]+)*$/, 'a state path such as identified or identified.transaction'),
  identity: z.strictObject({ verb: z.enum(['EHLO', 'HELO']).optional(), domain: regex.optional() }),
  extension: z.union([
    z.strictObject({ advertised: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/, 'an upper-case ESMTP keyword') }),
    z.strictObject({ used: z.enum(['PIPELINING', 'SIZE', 'STARTTLS', 'AUTH', '8BITMIME', 'SMTPUTF8']) }),
  ]),
  tls: z.boolean(),
  auth: z.strictObject({ user: z.string().min(1).optional(), mechanism: z.string().min(1).optional() }),
  message: z.strictObject({
    sender: z.string().optional(),
    recipients: count.optional(),
    headers: z.array(z.strictObject({ name: z.string().regex(/^[!-9;-~]+$/, 'a header field name'), matches: regex.optional() })).min(1).optional(),
    body: regex.optional(),
  }),
  messages: count,
};

/** The keys a condition may have (besides `label`). */
export const CONDITION_KEYS: readonly string[] = Object.keys(PRIMITIVE_SCHEMAS);

const EVENT_KEYS = new Set(['reply', 'rejected']);

/** One condition of a goal, with its value checked by the primitive's schema. */
export const conditionSchema: z.ZodType<Condition, unknown> = conditionWith(CONDITION_KEYS);

/** A condition allowed inside `sequence`: one met by a single transcript event. */
export const eventConditionSchema: z.ZodType<EventCondition, unknown> = conditionWith([...EVENT_KEYS]);

function conditionWith<T>(allowed: readonly string[]): z.ZodType<T, unknown> {
  return z.unknown().transform((value, context) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      context.addIssue({ code: 'custom', message: `a condition is an object with one of: ${allowed.join(', ')}` });
      return z.NEVER;
    }
    const record = value as Record<string, unknown>;
    if ('label' in record && (typeof record.label !== 'string' || record.label === '')) {
      context.addIssue({ code: 'custom', message: 'label is a non-empty string', path: ['label'] });
    }
    const keys = Object.keys(record).filter((key) => key !== 'label');
    const [key] = keys;
    if (keys.length !== 1 || key === undefined || !allowed.includes(key)) {
      const found = keys.length === 0 ? 'none' : keys.join(', ');
      context.addIssue({ code: 'custom', message: `a condition has exactly one of: ${allowed.join(', ')} (found: ${found})` });
      return z.NEVER;
    }
    const parsed = (PRIMITIVE_SCHEMAS[key] as z.ZodType).safeParse(record[key]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
      }
      return z.NEVER;
    }
    return { ...record, [key]: parsed.data } as T;
  });
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
