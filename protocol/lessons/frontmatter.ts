/** The YAML frontmatter of a lesson's index.md: split off the body and validated with zod. */
import * as z from 'zod';
import { parse as parseYaml } from 'yaml';
import { dnsRecordSchema } from '../world/dns-record.ts';
import { conditionSchema } from './goal-schema.ts';
import { serverOverridesSchema } from './server-config.ts';

const sentence = z.string().trim().min(1);

export const frontmatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  title: sentence,
  objective: sentence.refine((text) => !text.includes('\n'), { message: 'one sentence on one line' }),
  mode: z.enum(['simulated', 'live', 'either']),
  server: serverOverridesSchema.default({}),
  hints: z.array(sentence).min(2, 'at least two hints, from gentle to explicit'),
  learned: sentence,
  goal: conditionSchema,
  /** A lab MX host the live console talks to (the learner plays the sending server); live mode only. */
  target: z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, 'a lab host name, such as mx.example.net').optional(),
  /**
   * Records the learner sets in the DNS tab before the solution's second connection (each
   * replaces the zone's records of its name and type); the lab replay applies them.
   */
  solutionDns: z.array(dnsRecordSchema).min(1).optional(),
}).refine((lesson) => lesson.target === undefined || lesson.mode === 'live', { message: 'a lesson with a `target` runs in live mode: set `mode: live`', path: ['target'] })
  .refine((lesson) => lesson.solutionDns === undefined || lesson.target !== undefined, { message: '`solutionDns` edits the lab world: the lesson needs a `target`', path: ['solutionDns'] });

export type LessonFrontmatter = z.infer<typeof frontmatterSchema>;

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Splits `---`-fenced YAML from the markdown body; null when the file has no frontmatter. */
export function splitFrontmatter(text: string): { readonly yaml: string; readonly body: string } | null {
  const match = FRONTMATTER.exec(text);
  if (match === null) return null;
  return { yaml: match[1] ?? '', body: (match[2] ?? '').replace(/^\s*\n/, '') };
}

/** Parses and validates frontmatter YAML; errors are "path: message" lines. */
export function parseFrontmatter(yaml: string): { ok: true; value: LessonFrontmatter } | { ok: false; errors: string[] } {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch (error) {
    return { ok: false, errors: [`frontmatter is not valid YAML: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = frontmatterSchema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(frontmatter)'}: ${issue.message}`),
  };
}
