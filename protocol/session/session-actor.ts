/** A running session model for hosts: the actor, its transcript, and cheap data-mode batching. */
import { createActor, type Actor } from 'xstate';
import type { SessionEvent } from './events.ts';
import type { SessionInput } from './initial-context.ts';
import { MessageWindow } from './message-window.ts';
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
 * machine step per line. Each message is bounded on the way in (message-window.ts): the first
 * lines go to the machine as they come, the last ones when the message ends, and the machine
 * gets one `client.elided` for the lines in between, so a long message costs the model and
 * its transcript a fixed amount, whatever its size.
 * `input.personality` names the server when the host knows it (default smtp-server).
 */
export function createSessionActor(input: SessionInput = {}): SessionActor {
  const actor = createActor(sessionMachine, { input });
  const log = new TranscriptLog();
  actor.on('*', (event) => log.apply(event));
  actor.start();
  let buffered: string[] = [];
  let flushScheduled = false;
  const window = new MessageWindow<string>((text) => text);

  const flush = (): void => {
    if (buffered.length === 0) return;
    const texts = buffered;
    buffered = [];
    actor.send({ type: 'client.dataLines', texts });
  };
  /** The end of a message (or of data mode): what the window left out, then the lines it held. */
  const endMessage = (): void => {
    if (!window.holding) return;
    const { elided, tail } = window.end();
    if (elided !== null) {
      flush();
      actor.send({ type: 'client.elided', ...elided });
    }
    buffered.push(...tail);
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
      const inData = actor.getSnapshot().value === 'data';
      if (event.type === 'client.line' && inData) {
        if (event.text === '.') {
          endMessage();
          buffered.push(event.text);
          // The lone `.` ends data mode: the batch must reach the machine before the next line.
          flush();
          return;
        }
        const kept = window.push(event.text);
        if (kept !== null) buffered.push(kept);
        scheduleFlush();
        return;
      }
      if (event.type === 'client.elided' && inData) {
        window.addElided(event);
        return;
      }
      endMessage();
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

/**
 * True if the model reads this event, now, as a line of message data (not the `.` that ends
 * it): what a host asks before feeding the event, to keep its recorded copy bounded.
 */
export function isMessageLine(event: { readonly type: string; readonly text?: string }, session: SessionActor): boolean {
  // The raw actor's state: reading it does not hand buffered lines to the machine.
  return event.type === 'client.line' && event.text !== '.' && session.actor.getSnapshot().value === 'data';
}
