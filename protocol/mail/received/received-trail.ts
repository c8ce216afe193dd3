/**
 * A message's Received trail as hops. Each server prepends its Received field (RFC 5321 §4.4),
 * so the field at the bottom of the header is the first hop and the top one the last; the
 * reader turns them around, measures the time between hops and says what looks wrong.
 */
import { readHeaderFields } from '../header-fields.ts';
import { parseReceived, type ReceivedStamp } from './parse-received.ts';

/** A gap between hops from which a learner should look for a cause (a queue, a retry, greylisting). */
export const BIG_GAP_MS = 60_000;

export type TrailProblemCode = 'no-date' | 'unreadable-date' | 'date-backwards' | 'no-by';

export interface TrailProblem {
  readonly code: TrailProblemCode;
  readonly message: string;
}

export interface TrailHop {
  /** 1 for the first hop (the bottom field). */
  readonly number: number;
  readonly stamp: ReceivedStamp;
  /** Milliseconds since the previous hop, or null for the first hop or when a date is missing. */
  readonly gapMs: number | null;
  readonly problems: readonly TrailProblem[];
}

export interface ReceivedTrail {
  readonly hops: readonly TrailHop[];
  /** From the first hop to the last, when both dates are readable. */
  readonly totalMs: number | null;
}

/** "1 min 5 s", "2 h 3 min", "0 s": a gap as a learner reads it. */
export function formatGap(milliseconds: number): string {
  const sign = milliseconds < 0 ? '−' : '';
  let seconds = Math.round(Math.abs(milliseconds) / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = [[days, 'd'], [hours, 'h'], [minutes, 'min'], [seconds, 's']] as const;
  const shown = parts.filter(([value]) => value > 0).slice(0, 2).map(([value, unit]) => `${value} ${unit}`);
  return `${sign}${shown.length === 0 ? '0 s' : shown.join(' ')}`;
}

function problemsOf(stamp: ReceivedStamp, gapMs: number | null): TrailProblem[] {
  const problems: TrailProblem[] = [];
  if (stamp.by === null) problems.push({ code: 'no-by', message: 'No "by": the field does not say which server wrote it.' });
  if (stamp.dateText === null) problems.push({ code: 'no-date', message: 'No date after a ";": RFC 5321 §4.4 requires one.' });
  else if (stamp.dateProblem !== null) problems.push({ code: 'unreadable-date', message: `The date cannot be read: ${stamp.dateProblem}.` });
  if (gapMs !== null && gapMs < 0) {
    problems.push({
      code: 'date-backwards',
      message: `This hop is dated ${formatGap(-gapMs)} before the previous one: a server's clock is wrong, or a field was forged.`,
    });
  }
  return problems;
}

/** Reads the Received fields of a header section (or a whole message: reading stops at the body). */
export function readReceivedTrail(headerText: string): ReceivedTrail {
  const fields = readHeaderFields(headerText.replace(/^(?:[ \t]*\r?\n)+/, ''));
  const stamps = fields.filter((field) => field.name.toLowerCase() === 'received').map((field) => parseReceived(field.value)).reverse();
  const hops = stamps.map((stamp, index): TrailHop => {
    const previous = stamps[index - 1]?.time ?? null;
    const gapMs = previous === null || stamp.time === null ? null : stamp.time - previous;
    return { number: index + 1, stamp, gapMs, problems: problemsOf(stamp, gapMs) };
  });
  const first = stamps[0]?.time ?? null;
  const last = stamps.at(-1)?.time ?? null;
  return { hops, totalMs: first === null || last === null || stamps.length < 2 ? null : last - first };
}
