/**
 * New mail reaches the learner's open pages on whichever process holds them: the process that
 * parsed it announces `mail.delivered` on the class event bus (in memory for one process,
 * LISTEN/NOTIFY on a shared PostgreSQL), and every process whose bridge has a connection in
 * that namespace reads the summary and pushes `message.captured`. One path, the parser's own
 * process included.
 */
import type { Bridge } from '../bridge/attach-bridge.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { MessageStore } from '../storage/message-store.ts';
import type { CaptureWriter } from './capture-writer.ts';

export function pushMailAcrossProcesses(options: {
  readonly capture: Pick<CaptureWriter, 'onParsed'>;
  readonly events: EventBus;
  readonly bridge: Pick<Bridge, 'notifyMessage' | 'hasConnectionsIn'>;
  readonly messages: Pick<MessageStore, 'summary'>;
  readonly onError: (error: unknown) => void;
}): () => void {
  const { capture, events, bridge, messages, onError } = options;
  // Announced once parsed, so the summary every page reads is complete (hasHtml, attachments…).
  capture.onParsed((namespace, summary) => {
    events.publish({ type: 'mail.delivered', namespace, messageId: summary.id }).catch(onError);
  });
  return events.subscribe(async (event) => {
    if (event.type !== 'mail.delivered' || !bridge.hasConnectionsIn(event.namespace)) return;
    const summary = await messages.summary(event.namespace, event.messageId);
    // Evicted or deleted meanwhile: nothing to show.
    if (summary !== null) bridge.notifyMessage(event.namespace, summary);
  });
}
