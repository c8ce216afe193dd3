/** parseLesson, the goal schema's messages, solutions over several connections, course building. */
import { describe, expect, it } from 'vitest';
import {
  buildCourse,
  conditionSchema,
  mergeServerConfig,
  parseLesson,
  parseSolution,
  sourcesFromFiles,
} from '../../../protocol/lessons/index.ts';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';

const INDEX = `---
id: sample
title: A sample
objective: Do one thing.
mode: either
server:
  maxMessageSize: 2000
  behaviours: { greylist: true }
hints:
  - Gentle.
  - Explicit.
learned: What the sample teaches, in a sentence.
goal:
  all:
    - reply: { to: EHLO, code: 250 }
    - message: { recipients: { min: 2 } }
---
# A sample

Text.
`;

function issuesOf(condition: unknown): string[] {
  const parsed = conditionSchema.safeParse(condition);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('parseLesson', () => {
  it('reads frontmatter, body and solution', () => {
    const parsed = parseLesson('07-sample', INDEX, 'EHLO a.example\nQUIT\n');
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const { lesson } = parsed;
    expect(lesson).toMatchObject({ id: 'sample', order: 7, mode: 'either', hints: ['Gentle.', 'Explicit.'], check: null });
    expect(lesson.server).toEqual({ maxMessageSize: 2000, behaviours: { greylist: true } });
    expect(lesson.body).toBe('# A sample\n\nText.\n');
    expect(lesson.solution.connections.map((lines) => lines.map((line) => line.text))).toEqual([['EHLO a.example', 'QUIT']]);
  });

  it('collects every problem with its place', () => {
    const broken = INDEX.replace('id: sample', 'id: other').replace('  - Explicit.\n', '').replace('code: 250', 'code: 999');
    const parsed = parseLesson('sample', broken, '+ NOOP\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'folder name "sample": expected a number prefix and an id, like 01-client-and-server',
      'index.md: hints: at least two hints, from gentle to explicit',
      'index.md: goal.all.0.reply.code: Too big: expected number to be <=599',
      'solution.smtp: line 1: a "+ " line is sent together with the line before it, but there is no line before it',
    ]);
  });

  it('requires the id to be the folder name without its number', () => {
    const parsed = parseLesson('03-something-else', INDEX, 'QUIT\n');
    expect(parsed.ok ? [] : parsed.errors).toEqual(['index.md: id "sample" must be the folder name without its number ("something-else")']);
  });

  it('refuses a file without frontmatter and unknown frontmatter fields', () => {
    const none = parseLesson('01-sample', '# Just text\n', 'QUIT\n');
    expect(none.ok ? [] : none.errors).toEqual(['index.md: no frontmatter (it starts with a line "---", YAML, then "---")']);
    const extra = parseLesson('01-sample', INDEX.replace('mode: either', 'mode: either\ncolour: blue'), 'QUIT\n');
    expect(extra.ok ? [] : extra.errors).toEqual(['index.md: (frontmatter): Unrecognized key: "colour"']);
  });
});

describe('the goal schema', () => {
  it('names the primitive and the path of a mistake', () => {
    expect(issuesOf({ all: [{ reply: { to: 'EHLO' } }, { tls: true, auth: {} }] })).toEqual([
      'all.1: a condition has exactly one of: all, any, not, sequence, earlierConnection, reply, rejected, state, identity, extension, tls, auth, message, messages (found: tls, auth)',
    ]);
    expect(issuesOf({ replies: {} })[0]).toMatch(/found: replies/);
    expect(issuesOf({ message: { body: '(' } })).toEqual(['message.body: not a valid regular expression']);
    expect(issuesOf({ reply: { enhanced: '5.1' } })).toEqual(['reply.enhanced: an enhanced status code such as 5.1.1']);
    expect(issuesOf({ label: '', tls: true })).toEqual(['label: label is a non-empty string']);
  });

  it('accepts every primitive in its documented form', () => {
    const goal = {
      all: [
        { reply: { to: 'END-OF-DATA', code: 250, class: 2, enhanced: '2.6.0', sent: '^\\.$' } },
        { rejected: { to: 'RCPT', class: 5 } },
        { state: 'identified.idle' },
        { identity: { verb: 'EHLO', domain: '\\.example$' } },
        { extension: { advertised: 'PIPELINING' } },
        { extension: { used: 'SIZE' } },
        { tls: true },
        { auth: { user: 'student', mechanism: 'PLAIN' } },
        { message: { sender: '', recipients: { min: 1, max: 3 }, headers: [{ name: 'Message-ID', matches: '@' }], body: 'x' } },
        { messages: 2 },
        { any: [{ not: { tls: false } }] },
        { sequence: [{ reply: { to: 'MAIL' } }, { rejected: { code: 451 }, label: 'Greylisted' }] },
        { earlierConnection: { rejected: { code: 421 } } },
      ],
    };
    expect(issuesOf(goal)).toEqual([]);
  });
});

describe('parseSolution', () => {
  it('splits connections at the marker and keeps file line numbers', () => {
    const parsed = parseSolution('NOOP\n# --- new connection ---\n# comment\nEHLO a.example\n');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.solution.connections.map((lines) => lines.map((line) => [line.text, line.sourceLine]))).toEqual([
      [['NOOP', 1]],
      [['EHLO a.example', 4]],
    ]);
  });

  it('refuses an empty connection', () => {
    expect(parseSolution('NOOP\n# --- new connection ---\n')).toEqual({ ok: false, error: 'connection 2 has no lines to send' });
  });
});

describe('mergeServerConfig', () => {
  it('applies overrides over the defaults, behaviours field by field', () => {
    const config = mergeServerConfig({ maxMessageSize: 1000, behaviours: { greylist: true } });
    expect(config.maxMessageSize).toBe(1000);
    expect(config.hostname).toBe(DEFAULT_SANDBOX_CONFIG.hostname);
    expect(config.behaviours).toEqual({ ...DEFAULT_SANDBOX_CONFIG.behaviours, greylist: true });
    expect(mergeServerConfig({})).toEqual(DEFAULT_SANDBOX_CONFIG);
  });

  it("gives a lesson that picks a personality that personality's lab host name, unless the lesson names one", () => {
    expect(mergeServerConfig({ personality: 'postfix' })).toMatchObject({ personality: 'postfix', hostname: 'mx.lab.test' });
    expect(mergeServerConfig({ personality: 'postfix', hostname: 'mail.example.com' }).hostname).toBe('mail.example.com');
    expect(mergeServerConfig({ personality: 'smtp-server' }).hostname).toBe(DEFAULT_SANDBOX_CONFIG.hostname);
  });
});

describe('buildCourse and sourcesFromFiles', () => {
  it('orders lessons by number and reports duplicates and broken folders', () => {
    const files = {
      '/lessons/02-sample/index.md': INDEX,
      '/lessons/02-sample/solution.smtp': 'QUIT\n',
      '/lessons/01-first/index.md': INDEX.replace('id: sample', 'id: first'),
      '/lessons/01-first/solution.smtp': 'QUIT\n',
      '/lessons/02-again/index.md': INDEX.replace('id: sample', 'id: again'),
      '/lessons/02-again/solution.smtp': 'QUIT\n',
      '/lessons/03-no-solution/index.md': INDEX.replace('id: sample', 'id: no-solution'),
    };
    const course = buildCourse(sourcesFromFiles(files));
    expect(course.lessons.map((lesson) => lesson.folder)).toEqual(['01-first', '02-again', '02-sample']);
    expect(course.problems).toEqual([
      { folder: '03-no-solution', errors: ['solution.smtp is missing'] },
      { folder: '(course)', errors: ['"2" is used by more than one lesson'] },
    ]);
  });
});
