/**
 * The lesson engine: lessons as data (index.md frontmatter + markdown + solution.smtp, and a
 * check.ts only where data cannot say it), a small goal language checked against the session
 * model, and a headless player that proves a solution meets its goal.
 */
export type {
  CheckVerdict,
  ConditionResult,
  ConnectionRecord,
  Lesson,
  LessonCheck,
  LessonCheckContext,
  LessonMode,
  LessonResult,
  LessonSolution,
} from './types.ts';
export type { AnsweredKind, Condition, CountSpec, EventCondition, HeaderSpec, MessageSpec, ReplySpec, UsableExtension } from './goal-types.ts';
export { conditionSchema, CONDITION_KEYS } from './goal-schema.ts';
export { frontmatterSchema, parseFrontmatter, splitFrontmatter, type LessonFrontmatter } from './frontmatter.ts';
export { serverOverridesSchema } from './server-config.ts';
export { mergeServerConfig, type ServerOverrides } from './merge-server-config.ts';
export { parseLesson, parseSolution, NEW_CONNECTION_MARKER, type LessonParseResult } from './parse-lesson.ts';
export { buildCourse, sourcesFromFiles, type Course, type LessonSource } from './course.ts';
export { evaluateGoal } from './evaluate-goal.ts';
export { evaluateLesson, lessonContext } from './evaluate-lesson.ts';
export { playLessonScript, type LessonPlay, type PlayOptions } from './play-script.ts';
export { readHeaderFields, type HeaderField } from '../mail/header-fields.ts';
export { withSolutionDns } from './solution-dns.ts';
