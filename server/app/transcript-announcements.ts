/**
 * Each written batch of transcript lines of a student watched from another process is announced
 * on the class event bus (`transcript.recorded`: ids and a seq, never the lines), so that
 * instructor reads the lines from the shared table. Nobody else's are: a class's lines are
 * many, its watched students few. Announcing never holds up the session that wrote them; at
 * shutdown the announcements under way finish before the bus closes.
 */
import type { EventBus } from '../events/event-bus.ts';
import type { RecordedEvents } from '../storage/session-store.ts';

export interface TranscriptAnnouncements {
  /** SessionStore's `onRecorded`. */
  readonly onRecorded: (recorded: readonly RecordedEvents[]) => void;
  /** Resolves once every announcement begun so far has been sent or has failed (and been reported). */
  settled(): Promise<void>;
}

export function announceTranscripts(
  events: Pick<EventBus, 'publish'>,
  watchedElsewhere: (namespace: string) => boolean,
  onError: (error: unknown) => void,
): TranscriptAnnouncements {
  const underWay = new Set<Promise<void>>();
  return {
    onRecorded(recorded) {
      for (const { namespace, sessionId, seq } of recorded) {
        if (!watchedElsewhere(namespace)) continue;
        const sent: Promise<void> = events
          .publish({ type: 'transcript.recorded', namespace, sessionId, seq })
          .catch(onError)
          .finally(() => underWay.delete(sent));
        underWay.add(sent);
      }
    },
    async settled() {
      await Promise.all(underWay);
    },
  };
}
