/**
 * One conversation as the session controller records it: every wire event in order, the
 * session model fed with them, and the view of any earlier step (time travel), rebuilt by
 * replaying the first events into a fresh model and cached, since the past never changes.
 * The recording is bounded like the server's: each message keeps its first and last lines and
 * one `client.elided` for the rest (protocol/session/message-window.ts), so a long message
 * costs the recording, time travel and the export a fixed amount.
 */
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import { BoundedEventLog } from '../../../protocol/session/message-window.ts';
import {
  createSessionActor,
  isMessageLine,
  statePath,
  summarizeSession,
  type SessionActor,
  type SessionEvent,
  type SessionInput,
} from '../../../protocol/session/index.ts';
import type { LabMode, LabView } from './view-types.ts';

type Transition = LabView['lastTransition'];

/** Feeds events to a model and remembers the last change of state. */
class ModelRun {
  readonly actor: SessionActor;
  lastTransition: Transition = null;
  #state: string;

  constructor(server: SessionInput) {
    this.actor = createSessionActor(server);
    this.#state = statePath(this.actor.getSnapshot().value);
  }

  feed(event: SessionEvent): void {
    this.actor.send(event);
    // A message line in data mode changes nothing but the draft; skip the snapshot read.
    if (event.type === 'client.line' && this.#state === 'data' && event.text !== '.') return;
    const state = statePath(this.actor.getSnapshot().value);
    if (state !== this.#state) this.lastTransition = { from: this.#state, to: state };
    this.#state = state;
  }

  view(mode: LabMode): LabView {
    const snapshot = this.actor.getSnapshot();
    const summary = summarizeSession(snapshot);
    return {
      mode,
      snapshot,
      summary,
      transcript: [...this.actor.transcript],
      lastTransition: this.lastTransition,
      tlsActive: summary.tls !== null,
    };
  }
}

export class SessionRecorder {
  readonly mode: LabMode;
  /** Everything that happened, unreadable server lines included (for the export). */
  readonly #events: ReplayEvent[] = [];
  /** The events the session model understands: time travel steps through these. */
  readonly #modelEvents: SessionEvent[] = [];
  readonly #server: SessionInput;
  readonly #live: ModelRun;
  readonly #past = new Map<number, LabView>();
  readonly #bounded = new BoundedEventLog<ReplayEvent>(
    (event) => event.text,
    (elided) => ({ type: 'client.elided', ...elided }),
  );

  /** `server`: what the page knows of the server (its personality, a lab host's mailboxes); the model predicts, explains and suggests by it. */
  constructor(mode: LabMode, server: SessionInput = {}) {
    this.mode = mode;
    this.#server = server;
    this.#live = new ModelRun(server);
  }

  /** Records one wire event (message lines bounded per message) and feeds it to the model. */
  record(event: ReplayEvent): void {
    const kept: ReplayEvent[] = [];
    this.#bounded.keep(event, isMessageLine(event, this.#live.actor), kept);
    for (const item of kept) {
      this.#events.push(item);
      if (item.type !== 'server.unreadable') this.#modelEvents.push(item);
    }
    if (event.type !== 'server.unreadable') this.#live.feed(event);
  }

  /** All recorded events, in order. */
  get events(): readonly ReplayEvent[] {
    return this.#events;
  }

  /** How many steps time travel can show. */
  get steps(): number {
    return this.#modelEvents.length;
  }

  /** The running model (for the console's predictions). */
  get actor(): SessionActor {
    return this.#live.actor;
  }

  /** The view after every event so far. */
  currentView(): LabView {
    return this.#live.view(this.mode);
  }

  /** The view after the first `step` events (0 = before anything happened). */
  viewAt(step: number): LabView {
    const clamped = Math.max(0, Math.min(step, this.#modelEvents.length));
    const cached = this.#past.get(clamped);
    if (cached) return cached;
    const run = new ModelRun(this.#server);
    for (const event of this.#modelEvents.slice(0, clamped)) run.feed(event);
    const view = run.view(this.mode);
    run.actor.stop();
    this.#past.set(clamped, view);
    return view;
  }

  /** The client's lines in wire order (what a replay link carries). */
  clientLines(): string[] {
    return this.#events.flatMap((event) => (event.type === 'client.line' ? [event.text] : []));
  }

  stop(): void {
    this.#live.actor.stop();
  }
}
