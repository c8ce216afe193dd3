/**
 * The class's starting lab world as the instructor's API answers it (GET/PUT
 * /api/classroom/world/dns, POST /api/classroom/world/reset and /push): the zone a student
 * without edits of their own has, whether it is the built-in default world, and how many
 * students edited their own zone (a new starting zone does not reach them unless pushed).
 */
import { z } from 'zod';
import { dnsRecordSchema } from '../world/dns-record.ts';

export const classWorldSchema = z.object({
  records: z.array(dnsRecordSchema),
  /** False: the built-in default world; true: a starting zone the instructor set. */
  custom: z.boolean(),
  /** When the instructor last set it (ISO 8601); null for the default world. */
  changedAt: z.string().nullable(),
  /** Students in the class who edited their own zone and keep it. */
  studentsWithOwnZone: z.number().int(),
  /** Students in the class. */
  students: z.number().int(),
});
export type ClassWorld = z.infer<typeof classWorldSchema>;

/** The answer to POST /api/classroom/world/push: the class's world, and how many students' edits were replaced. */
export const classWorldPushSchema = classWorldSchema.extend({ replaced: z.number().int() });
export type ClassWorldPush = z.infer<typeof classWorldPushSchema>;
