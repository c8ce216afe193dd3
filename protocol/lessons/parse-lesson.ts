/**
 * Turns a lesson folder's files into a Lesson. Pure: hosts read the files (Vite's
 * import.meta.glob in the browser, the file system in Node) and pass the text in.
 */
import { parseScript } from '../replay/parse-script.ts';
import type { ScriptLine } from '../replay/types.ts';
import { parseFrontmatter, splitFrontmatter } from './frontmatter.ts';
import type { Lesson, LessonCheck, LessonSolution } from './types.ts';

export type LessonParseResult =
  | { readonly ok: true; readonly lesson: Lesson }
  | { readonly ok: false; readonly folder: string; readonly errors: readonly string[] };

const FOLDER = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/**
 * A line of solution.smtp that starts a new connection (for lessons about reconnecting).
 * It is a comment to `smtp-lab replay`, which plays the whole file in one connection.
 */
export const NEW_CONNECTION_MARKER = /^#\s*-+\s*new connection\s*-+\s*$/i;

/**
 * Parses one lesson: `folder` is its folder name ("01-client-and-server"), `indexMd` the text
 * of index.md, `solutionText` the text of solution.smtp, `check` the lesson's check module
 * function when it has a check.ts. Collects every problem instead of stopping at the first.
 */
export function parseLesson(folder: string, indexMd: string, solutionText: string, check: LessonCheck | null = null): LessonParseResult {
  const errors: string[] = [];
  const folderMatch = FOLDER.exec(folder);
  if (folderMatch === null) errors.push(`folder name "${folder}": expected a number prefix and an id, like 01-client-and-server`);

  const split = splitFrontmatter(indexMd);
  if (split === null) errors.push('index.md: no frontmatter (it starts with a line "---", YAML, then "---")');
  const frontmatter = split === null ? null : parseFrontmatter(split.yaml);
  if (frontmatter !== null && !frontmatter.ok) errors.push(...frontmatter.errors.map((error) => `index.md: ${error}`));
  if (split !== null && split.body.trim() === '') errors.push('index.md: the lesson text after the frontmatter is empty');

  const solution = parseSolution(solutionText);
  if (!solution.ok) errors.push(`solution.smtp: ${solution.error}`);

  if (folderMatch !== null && frontmatter?.ok && frontmatter.value.id !== folderMatch[2]) {
    errors.push(`index.md: id "${frontmatter.value.id}" must be the folder name without its number ("${folderMatch[2]}")`);
  }
  if (errors.length > 0 || folderMatch === null || split === null || !frontmatter?.ok || !solution.ok) {
    return { ok: false, folder, errors };
  }
  const { value } = frontmatter;
  return {
    ok: true,
    lesson: {
      id: value.id,
      folder,
      order: Number(folderMatch[1]),
      title: value.title,
      objective: value.objective,
      mode: value.mode,
      server: value.server,
      hints: value.hints,
      learned: value.learned,
      goal: value.goal,
      body: split.body,
      solution: solution.solution,
      check,
      ...(value.target === undefined ? {} : { target: value.target }),
      ...(value.solutionDns === undefined ? {} : { solutionDns: value.solutionDns }),
    },
  };
}

/** Splits the solution at new-connection markers and parses each part as a replay script. */
export function parseSolution(text: string): { ok: true; solution: LessonSolution } | { ok: false; error: string } {
  const parts: string[][] = [[]];
  const offsets: number[] = [0];
  text.split(/\r?\n/).forEach((line, index) => {
    if (NEW_CONNECTION_MARKER.test(line)) {
      parts.push([]);
      offsets.push(index + 1);
    } else {
      parts[parts.length - 1]?.push(line);
    }
  });
  const connections: (readonly ScriptLine[])[] = [];
  for (const [position, part] of parts.entries()) {
    const offset = offsets[position] ?? 0;
    const parsed = parseScript(part.join('\n'));
    if (!parsed.ok) return { ok: false, error: `line ${parsed.sourceLine + offset}: ${parsed.message}` };
    if (parsed.lines.length === 0) return { ok: false, error: `connection ${position + 1} has no lines to send` };
    // Line numbers count from the top of the whole file, so errors and the console agree.
    connections.push(parsed.lines.map((line) => ({ ...line, sourceLine: line.sourceLine + offset })));
  }
  return { ok: true, solution: { text, connections } };
}
