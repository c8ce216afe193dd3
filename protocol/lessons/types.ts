/** Lessons as data, what a check looks at, and what it reports. */
import type { ScriptLine } from '../replay/types.ts';
import type { SessionSummary } from '../session/summary.ts';
import type { TranscriptEntry } from '../session/types.ts';
import type { DnsRecord } from '../world/dns-record.ts';
import type { Condition } from './goal-types.ts';
import type { ServerOverrides } from './merge-server-config.ts';

/** Where a lesson can be done: the in-browser simulator, the real sandbox, or both. */
export type LessonMode = 'simulated' | 'live' | 'either';

/** One connection's worth of session: the summary and the annotated transcript. */
export interface ConnectionRecord {
  readonly summary: SessionSummary;
  readonly transcript: readonly TranscriptEntry[];
}

/**
 * What a check sees: the current connection, plus the connections the learner already closed
 * during this attempt at the lesson (oldest first), for lessons about reconnecting.
 */
export interface LessonCheckContext extends ConnectionRecord {
  readonly earlier: readonly ConnectionRecord[];
}

/** What one condition (or a check module) says about the session. */
export interface ConditionResult {
  readonly passed: boolean;
  /** The requirement in words, for a checklist: "The server accepts a message". */
  readonly label: string;
  /** For the learner: the label when passed, otherwise "Not yet: …". */
  readonly message: string;
  /** The conditions inside a combinator (all, any, not, sequence, earlierConnection). */
  readonly children: readonly ConditionResult[];
}

/** A lesson's verdict on the session: the goal's result tree and the first thing to do. */
export interface LessonResult {
  readonly passed: boolean;
  /** The goal, and the check module's verdict when the lesson has one. */
  readonly conditions: readonly ConditionResult[];
  /** The first "Not yet: …" message, or null once everything passed. */
  readonly nextStep: string | null;
}

/** What a check module's function returns (the engine turns it into a ConditionResult). */
export interface CheckVerdict {
  readonly passed: boolean;
  readonly label: string;
  /** Shown as "Not yet: …" while it fails; the label is used when absent. */
  readonly notYet?: string;
}

/** A lesson's `check.ts` exports `check`: a function of the check context. */
export type LessonCheck = (context: LessonCheckContext) => CheckVerdict;

/** The solution: the script text, and its lines split into connections. */
export interface LessonSolution {
  readonly text: string;
  /** One list of script lines per connection (most lessons need one). */
  readonly connections: readonly (readonly ScriptLine[])[];
}

export interface Lesson {
  /** Stable id: the folder name without its number prefix ("client-and-server"). */
  readonly id: string;
  /** The folder name ("01-client-and-server"); sorting by it gives the course order. */
  readonly folder: string;
  /** The number prefix of the folder. */
  readonly order: number;
  readonly title: string;
  /** One sentence, shown while the learner types. */
  readonly objective: string;
  readonly mode: LessonMode;
  /** Sandbox configuration changes for this lesson (merge with mergeServerConfig). */
  readonly server: ServerOverrides;
  /** From gentle to explicit. */
  readonly hints: readonly string[];
  /** Shown on success: what the lesson just taught. */
  readonly learned: string;
  readonly goal: Condition;
  /** The lesson text in markdown (no frontmatter). */
  readonly body: string;
  readonly solution: LessonSolution;
  /** The lesson's check module, when data cannot express its goal. */
  readonly check: LessonCheck | null;
  /** A lab MX host the live console talks to (a live target id, e.g. "mx.example.net"). */
  readonly target?: string;
  /** The DNS-tab records the solution sets before its second connection. */
  readonly solutionDns?: readonly DnsRecord[];
}
