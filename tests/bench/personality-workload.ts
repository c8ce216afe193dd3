/**
 * The client side of the personality benchmark: whole SMTP sessions as client lines, which
 * every personality answers without hanging up early. Recipients are the lab Postfix's local
 * users (alice, bob @lab.test), which smtp-server also accepts, so each server takes every
 * message instead of refusing DATA and reading the body as commands.
 */
import { SHORT_BODY, TYPICAL_BODY, transaction, type WorkloadKind } from './session-workload.ts';

/**
 * Transactions per session: few enough that no server reaches an error limit (each one costs
 * one error reply; Postfix hangs up at its 20th), as real sessions carry a handful of messages.
 */
const TRANSACTIONS_PER_SESSION = 4;

/** The lab Postfix's local users: every personality takes mail for them. */
const LAB_RECIPIENTS = ['alice@lab.test', 'bob@lab.test'] as const;

/** One session: greeting exchange, an AUTH attempt (refused where there is no AUTH), mail, QUIT. */
function session(first: number, body: readonly string[]): string[] {
  const lines = ['EHLO client.example.com', 'AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA=='];
  for (let index = first; index < first + TRANSACTIONS_PER_SESSION; index += 1) lines.push(...transaction(index, body, LAB_RECIPIENTS));
  lines.push('QUIT');
  return lines;
}

export interface ClientWorkload {
  /** Client lines of each session, without line ends. */
  readonly sessions: readonly (readonly string[])[];
  readonly lines: number;
  /** Messages each server should accept: one per transaction. */
  readonly messages: number;
}

/** Sessions adding up to at least `minLines` client lines. */
export function buildClientWorkload(minLines: number, kind: WorkloadKind): ClientWorkload {
  const body = kind === 'typical' ? TYPICAL_BODY : SHORT_BODY;
  const sessions: string[][] = [];
  let lines = 0;
  while (lines < minLines) {
    const next = session(sessions.length * TRANSACTIONS_PER_SESSION, body);
    sessions.push(next);
    lines += next.length;
  }
  return { sessions, lines, messages: sessions.length * TRANSACTIONS_PER_SESSION };
}
