/**
 * Evaluates a goal (goal-types.ts) against a session: each condition becomes a result with
 * pass/fail, a label for a checklist and a learner message. Pure and cheap enough to run on
 * every reply.
 */
import { exchangesOf } from './exchanges.ts';
import type { Condition, EventCondition } from './goal-types.ts';
import { evaluateAdvertised, evaluateUsed } from './primitives/extension.ts';
import { evaluateMessage, evaluateMessageCount } from './primitives/message.ts';
import { describeReply, evaluateReply, findExchange, rejectedMatcher, replyMatcher, type ReplyMatcher } from './primitives/reply.ts';
import { evaluateAuth, evaluateIdentity, evaluateState, evaluateTls } from './primitives/session-state.ts';
import { lowerFirst, type Verdict } from './primitives/verdict.ts';
import type { ConditionResult, LessonCheckContext } from './types.ts';

/** Evaluates one condition (usually a lesson's whole goal) in the context. */
export function evaluateGoal(goal: Condition, context: LessonCheckContext): ConditionResult {
  return withLabel(goal, evaluateBody(goal, context));
}

/** Turns a verdict (from a primitive or a check module) into a result. */
export function resultOf(verdict: Verdict, children: readonly ConditionResult[] = []): ConditionResult {
  return {
    passed: verdict.passed,
    label: verdict.label,
    message: verdict.passed ? verdict.label : `Not yet: ${verdict.notYet}.`,
    children,
  };
}

/** An author's `label` replaces the generated words. */
function withLabel(condition: Condition, result: ConditionResult): ConditionResult {
  const { label } = condition;
  if (label === undefined) return result;
  return { ...result, label, message: result.passed ? label : `Not yet: ${lowerFirst(label)}.` };
}

function evaluateBody(condition: Condition, context: LessonCheckContext): ConditionResult {
  const { summary, transcript } = context;
  if ('all' in condition) return evaluateAll(condition.all.map((child) => evaluateGoal(child, context)));
  if ('any' in condition) return evaluateAny(condition.any.map((child) => evaluateGoal(child, context)));
  if ('not' in condition) return evaluateNot(evaluateGoal(condition.not, context));
  if ('sequence' in condition) return evaluateSequence(condition.sequence, context);
  if ('earlierConnection' in condition) return evaluateEarlier(condition.earlierConnection, context);
  if ('reply' in condition) return resultOf(evaluateReply(replyMatcher(condition.reply), exchangesOf(transcript)));
  if ('rejected' in condition) return resultOf(evaluateReply(rejectedMatcher(condition.rejected), exchangesOf(transcript)));
  if ('state' in condition) return resultOf(evaluateState(condition.state, summary));
  if ('identity' in condition) return resultOf(evaluateIdentity(condition.identity, summary));
  if ('tls' in condition) return resultOf(evaluateTls(condition.tls, summary));
  if ('auth' in condition) return resultOf(evaluateAuth(condition.auth, summary));
  if ('message' in condition) return resultOf(evaluateMessage(condition.message, summary.messages));
  if ('messages' in condition) return resultOf(evaluateMessageCount(condition.messages, summary.messages));
  const { extension } = condition;
  return resultOf('advertised' in extension ? evaluateAdvertised(extension.advertised, transcript) : evaluateUsed(extension.used, transcript));
}

function evaluateAll(children: readonly ConditionResult[]): ConditionResult {
  const failed = children.find((child) => !child.passed);
  return {
    passed: failed === undefined,
    label: children.map((child, index) => (index === 0 ? child.label : lowerFirst(child.label))).join('; '),
    message: failed?.message ?? 'All done.',
    children,
  };
}

function evaluateAny(children: readonly ConditionResult[]): ConditionResult {
  const passed = children.find((child) => child.passed);
  const label = `One of: ${children.map((child) => lowerFirst(child.label)).join('; or ')}`;
  return { passed: passed !== undefined, label, message: passed?.message ?? `Not yet: ${lowerFirst(label)}.`, children };
}

function evaluateNot(child: ConditionResult): ConditionResult {
  const label = `Avoid this: ${lowerFirst(child.label)}`;
  return { passed: !child.passed, label, message: child.passed ? `Not yet: this should not happen: ${lowerFirst(child.label)}.` : label, children: [child] };
}

/** The event conditions are met one after the other, in this order, in the transcript. */
function evaluateSequence(steps: readonly EventCondition[], context: LessonCheckContext): ConditionResult {
  const exchanges = exchangesOf(context.transcript);
  let from = 0;
  const children = steps.map((step) => {
    const matcher = matcherOf(step);
    const words = describeReply(matcher);
    const found = from > exchanges.length ? -1 : findExchange(matcher, exchanges, from);
    from = found === -1 ? exchanges.length + 1 : found + 1;
    return withLabel(step, resultOf({ passed: found !== -1, label: words.label, notYet: words.notYet }));
  });
  const failed = children.find((child) => !child.passed);
  return {
    passed: failed === undefined,
    label: `In this order: ${children.map((child) => lowerFirst(child.label)).join(', then ')}`,
    message: failed === undefined ? 'All steps done, in order.' : withOrder(failed.message, children.indexOf(failed)),
    children,
  };
}

function withOrder(message: string, position: number): string {
  return position === 0 ? message : `${message.replace(/\.$/, '')} (after the step before it).`;
}

function matcherOf(step: EventCondition): ReplyMatcher {
  return 'reply' in step ? replyMatcher(step.reply) : rejectedMatcher(step.rejected);
}

/** The condition held in one of the connections the learner already closed. */
function evaluateEarlier(condition: Condition, context: LessonCheckContext): ConditionResult {
  const results = context.earlier.map((connection) => evaluateGoal(condition, { ...connection, earlier: [] }));
  const child = results.find((result) => result.passed) ?? evaluateGoal(condition, { ...context, earlier: [] });
  const label = `In an earlier connection: ${lowerFirst(child.label)}`;
  const passed = results.some((result) => result.passed);
  return {
    passed,
    label,
    message: passed ? label : `Not yet: in an earlier connection, ${lowerFirst(child.label)}; then reconnect.`,
    children: [child],
  };
}
