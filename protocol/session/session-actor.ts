/** A running session model for hosts: the actor, its transcript, and cheap data-mode batching. */
import { createActor, type Actor } from 'xstate';
import type { SessionEvent } from './events.ts';
import { sessionMachine } from './session-machine.ts';
import type { SessionSnapshot } from './summary.ts';
import { TranscriptLog } from './transcript.ts';
import type { TranscriptEntry } from './types.ts';

export interface SessionActor {
  /** The underlying XState actor (for inspection or the visualizer). */
  readonly actor: Actor<typeof sessionMachine>;
  /** Feeds one event from the wire. */
  send(event: SessionEvent): void;
  getSnapshot(): SessionSnapshot;
  /** The annotated transcript so far, in wire order. */
  readonly transcript: readonly TranscriptEntry[];
  /** Calls the listener with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void;
  stop(): void;
}

/**
 * Starts a session model. Message lines in data mode, up to the `.` that ends the message,
 * are collected and handed to the machine as one `client.dataLines` event (at the `.`, the
 * next other event, a read, or a microtask), because a long message would otherwise cost one
 * machine step per line.
 */
export function createSessionActor(): SessionActor {
  const actor = createActor(sessionMachine);
  const log = new TranscriptLog();
  actor.on('*', (event) => log.apply(event));
  actor.start();
  let buffered: string[] = [];
  let flushScheduled = false;

  const flush = (): void => {
    if (buffered.length === 0) return;
    const texts = buffered;
    buffered = [];
    actor.send({ type: 'client.dataLines', texts });
  };
  // One pending microtask at most, however many messages a synchronous caller feeds.
  const scheduleFlush = (): void => {
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(() => {
      flushScheduled = false;
      flush();
    });
  };

  return {
    actor,
    send(event) {
      if (event.type === 'client.line' && actor.getSnapshot().value === 'data') {
        buffered.push(event.text);
        // The lone `.` ends data mode: the batch must reach the machine before the next line.
        if (event.text === '.') flush();
        else scheduleFlush();
        return;
      }
      flush();
      actor.send(event);
    },
    getSnapshot() {
      flush();
      return actor.getSnapshot();
    },
    get transcript() {
      flush();
      return log.entries;
    },
    subscribe(listener) {
      const subscription = actor.subscribe(listener);
      return () => subscription.unsubscribe();
    },
    stop() {
      flush();
      actor.stop();
    },
  };
}
