/**
 * `reply` and `rejected`: a server reply seen in the transcript. Both are "event" conditions:
 * they can say where they were met, which is what `sequence` needs.
 */
import type { AnsweredKind, ReplySpec } from '../goal-types.ts';
import type { Exchange } from '../exchanges.ts';
import type { Verdict } from './verdict.ts';

type RejectedSpec = Omit<ReplySpec, 'class'> & { readonly class?: 4 | 5 };

/** An event condition, normalized: a reply spec and whether it must be a rejection. */
export interface ReplyMatcher {
  readonly spec: ReplySpec;
  readonly rejection: boolean;
}

export function replyMatcher(spec: ReplySpec): ReplyMatcher {
  return { spec, rejection: false };
}

export function rejectedMatcher(spec: RejectedSpec): ReplyMatcher {
  return { spec, rejection: true };
}

/** True when the exchange is a reply the matcher describes. */
export function matchesExchange(matcher: ReplyMatcher, exchange: Exchange): boolean {
  const { spec } = matcher;
  if (matcher.rejection && exchange.code < 400) return false;
  if (spec.to !== undefined && exchange.to !== spec.to) return false;
  if (spec.code !== undefined && exchange.code !== spec.code) return false;
  if (spec.class !== undefined && Math.floor(exchange.code / 100) !== spec.class) return false;
  if (spec.enhanced !== undefined && exchange.enhanced !== spec.enhanced) return false;
  if (spec.sent !== undefined && (exchange.sent === null || !new RegExp(spec.sent, 'i').test(exchange.sent))) return false;
  return true;
}

/** The index of the first matching exchange at or after `from`, or -1. */
export function findExchange(matcher: ReplyMatcher, exchanges: readonly Exchange[], from = 0): number {
  for (let position = from; position < exchanges.length; position++) {
    const exchange = exchanges[position];
    if (exchange !== undefined && matchesExchange(matcher, exchange)) return position;
  }
  return -1;
}

/** The verdict for a reply seen anywhere in the transcript. */
export function evaluateReply(matcher: ReplyMatcher, exchanges: readonly Exchange[]): Verdict {
  const { label, notYet } = describeReply(matcher);
  return { passed: findExchange(matcher, exchanges) !== -1, label, notYet };
}

/** "The server answers RCPT TO with 550 (5.1.1)" / "the server has not … yet". */
export function describeReply(matcher: ReplyMatcher): { label: string; notYet: string } {
  const { spec } = matcher;
  const target = targetOf(spec);
  const enhanced = spec.enhanced === undefined ? '' : ` (${spec.enhanced})`;
  if (matcher.rejection) {
    const what = spec.code !== undefined ? `${spec.code}` : spec.class !== undefined ? `a ${spec.class}xx code` : 'a 4xx or 5xx code';
    return {
      label: `The server refuses ${target} with ${what}${enhanced}`,
      notYet: `the server has not refused ${target} with ${what}${enhanced} yet`,
    };
  }
  const what = spec.code !== undefined ? `${spec.code}` : spec.class !== undefined ? `a ${spec.class}xx reply` : 'a reply';
  return {
    label: `The server answers ${target} with ${what}${enhanced}`,
    notYet: `the server has not answered ${target} with ${what}${enhanced} yet`,
  };
}

const TARGET_NAMES: Readonly<Partial<Record<AnsweredKind, string>>> = {
  MAIL: 'MAIL FROM',
  RCPT: 'RCPT TO',
  'END-OF-DATA': 'the end of data (the line with a single .)',
  'AUTH-RESPONSE': 'an AUTH answer',
  GREETING: 'the new connection',
  UNKNOWN: 'a line that is no SMTP command',
};

function targetOf(spec: ReplySpec): string {
  const named = spec.to === undefined ? null : (TARGET_NAMES[spec.to] ?? spec.to);
  if (spec.sent !== undefined) return `${named ?? 'a line'} matching /${spec.sent}/`;
  return named ?? 'a command';
}
