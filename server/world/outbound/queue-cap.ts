/**
 * The cap on a learner's waiting outbound rows. Each row holds its own raw copy, so without a
 * cap one learner could fill the disk through the queue. At the cap the sandbox refuses further
 * relayed recipients at RCPT with 452 4.3.1 ("mail system full", RFC 3463 §3.4; 452 is RFC 5321
 * §4.2.2's "insufficient system storage", a transient refusal), and the client may try again
 * later; mail for the sandbox's own mailboxes and the capture go on as before.
 */
import type { BehaviourReply } from '../../../protocol/simulator/server-behaviours.ts';

/** Waiting rows (one per relayed recipient) a namespace may have: twice the 1,000-message benchmark burst. */
export const DEFAULT_MAX_QUEUED = 2000;

export function queueFullReply(recipient: string, cap: number): BehaviourReply {
  return {
    code: 452,
    text:
      `4.3.1 <${recipient}>: the lab's outbound queue for your world is full (${cap} recipients are waiting to be relayed). ` +
      'Try again once some are delivered or bounced; mail for the sandbox\'s own mailboxes is still taken.',
  };
}

/** The queue could not be counted (the database stayed locked): a temporary refusal, never a crash. */
export function queueUncheckedReply(recipient: string): BehaviourReply {
  return { code: 451, text: `4.3.0 <${recipient}>: the lab's outbound queue could not be checked just now (the database is busy). Try again shortly.` };
}
