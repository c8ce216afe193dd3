/**
 * The progress grid as CSV (RFC 4180) for a spreadsheet: one row per student, one column per
 * lesson. Student names are typed by students, so every cell is escaped twice over: quoted
 * when it holds a comma, quote or line break, and prefixed with `'` when it starts with a
 * character a spreadsheet would read as a formula (= + - @, tab, CR: OWASP's CSV injection list).
 */
import type { LessonProgressJson, StudentJson } from './classroom-types.ts';
import type { CatalogLesson } from '../../protocol/wire/classroom-contract.ts';

/** One cell, escaped. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows of cells as CSV text: CRLF line ends, and a UTF-8 BOM so spreadsheets read accents right. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The class's progress grid: per lesson "completed", "completed with the solution" (the
 * student played the solution in the attempt that met the goal), "started" (a record, not
 * completed) or empty. "Lessons completed" counts both kinds; "With the solution" the second.
 */
export function progressCsv(
  lessons: readonly CatalogLesson[],
  students: readonly StudentJson[],
  progress: ReadonlyMap<string, readonly LessonProgressJson[]>,
): string {
  const header = ['Name', 'Class address', 'Joined', 'Current lesson', 'Lessons completed', 'With the solution', 'Attempts', 'Hints used',
    ...lessons.map((lesson) => `${String(lesson.order).padStart(2, '0')} ${lesson.title}`)];
  const rows = students.map((student) => {
    const records = new Map((progress.get(student.id) ?? []).map((record) => [record.lessonId, record]));
    const all = [...records.values()];
    return [
      student.displayName,
      student.address,
      student.joinedAt,
      student.currentLesson ?? '',
      all.filter((record) => record.completedAt !== null).length,
      all.filter((record) => record.completedAt !== null && record.completedWithSolution).length,
      all.reduce((sum, record) => sum + record.attempts, 0),
      all.reduce((sum, record) => sum + record.hintsUsed, 0),
      ...lessons.map((lesson) => {
        const record = records.get(lesson.id);
        if (record === undefined) return '';
        if (record.completedAt === null) return 'started';
        return record.completedWithSolution ? 'completed with the solution' : 'completed';
      }),
    ];
  });
  return toCsv([header, ...rows]);
}
