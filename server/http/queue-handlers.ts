/** The lab world's outbound queue as the learner sees it: what waits, when it is tried next, and why. */
import type { WaitingPage } from '../world/outbound/outbound-queue.ts';
import type { ApiHandler } from './api-route.ts';
import { sendJson } from './respond.ts';

/** The queue's read side the API needs (the relay's outbound queue in the live process). */
export interface QueueSource {
  waiting(namespace: string): Promise<WaitingPage>;
}

/**
 * GET /api/world/queue: lab times as ISO strings, so the page can show them as they are. The
 * list is bounded; `total` and `truncated` say how many wait in all and whether some are not listed.
 */
export function queueHandler(queue: QueueSource): ApiHandler {
  return async ({ res, namespace }) => {
    const page = await queue.waiting(namespace);
    const messages = page.messages.map((row) => ({
      id: row.id,
      queueId: row.queueId,
      from: row.from,
      to: row.recipient,
      state: row.state,
      attempts: row.attempts,
      nextAttempt: new Date(row.nextAttemptAt).toISOString(),
      lastReply: row.lastReply,
    }));
    sendJson(res, 200, { messages, total: page.total, truncated: page.total > messages.length });
  };
}
