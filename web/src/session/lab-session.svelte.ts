/**
 * The client session controller: the one object the app shell talks to. It owns the mode, the
 * connection (simulated server or live bridge), the session model fed with the wire events,
 * the mailbox, time travel and export, and exposes them as Svelte 5 reactive state.
 */
import { nextGroupSize, offersPipelining, splitTypedLines } from '../../../protocol/client/pacer.ts';
import { formatTranscriptText } from '../../../protocol/replay/format-transcript.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName, type SandboxConfig } from '../../../protocol/sandbox-config.ts';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';
import type { SessionSnapshot } from '../../../protocol/session/index.ts';
import { SANDBOX_TARGET_ID } from '../../../protocol/wire/sandbox-target.ts';
import type { LabMode, LabView, MailboxMessage } from './view-types.ts';
import type { ConnectionHooks, ConnectionOpener, ConnectionState, LabConnection, LiveTarget, MailboxUpdate } from './connection.ts';
import { browserStorage, storedPersonality, withPersonality, type PersonalityMemory } from './personality-choice.ts';
import { replayHash } from './replay-link.ts';
import { SessionRecorder } from './session-recorder.ts';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { labHostMailboxes } from '../../../protocol/world/lab-host.ts';
import { openSimulatedConnection, type SimulatedOpener, type SimulatedSetup } from './simulated-connection.ts';

export interface LabSessionOptions {
  readonly mode?: LabMode;
  /** Opens live connections; by default the WebSocket bridge, loaded on first use. */
  readonly openLive?: (target: string | null) => Promise<ConnectionOpener>;
  /** Opens simulated connections (tests may wrap it). */
  readonly openSimulated?: SimulatedOpener;
  /** Where the learner's personality pick is kept; by default this browser's localStorage. */
  readonly personalityMemory?: PersonalityMemory;
}

const defaultOpenLive = async (target: string | null): Promise<ConnectionOpener> => {
  // Loaded lazily: the bridge client and its validation are only needed in live mode.
  const { openLiveConnection } = await import('../live/live-connection.ts');
  return (hooks) => openLiveConnection(hooks, { target });
};

export class LabSession {
  #mode = $state.raw<LabMode>('simulated');
  #connectionState = $state.raw<ConnectionState>({ status: 'connecting', message: 'Starting…' });
  #liveView = $state.raw<LabView>(new SessionRecorder('simulated').currentView());
  #position = $state.raw<number | null>(null);
  #steps = $state.raw(0);
  #simulatedMessages = $state.raw<readonly MailboxMessage[]>([]);
  #liveMessages = $state.raw<readonly MailboxMessage[]>([]);
  /** How many messages the live mailbox holds (the list above is only its newest page). */
  #liveTotal = $state(0);
  #targets = $state.raw<readonly LiveTarget[]>([]);
  #target = $state.raw<string | null>(null);
  /** The personality the current recorder explains by. */
  #recordedAs: PersonalityName = 'smtp-server';
  /** The lab host mailboxes the current recorder suggests, or null (the personality's). */
  #recordedRecipients: readonly [string, string] | null = null;
  #notice = $state.raw<string | null>(null);
  #held = $state.raw<string | null>(null);
  /** The personality the learner picked for the simulated server. */
  #pickedPersonality = $state.raw<PersonalityName>(DEFAULT_SANDBOX_CONFIG.personality);
  /** The current simulated setup (a lesson's server, or the default sandbox). */
  #simulatedSetup = $state.raw<SimulatedSetup>({});

  readonly #openLive: (target: string | null) => Promise<ConnectionOpener>;
  readonly #openSimulated: SimulatedOpener;
  readonly #personalityMemory: PersonalityMemory;
  readonly #conversationEndListeners = new Set<(view: LabView) => void>();
  #recorder: SessionRecorder;
  #connection: LabConnection | null = null;
  /** Bumped on every new session, so late callbacks of an old connection are ignored. */
  #generation = 0;
  /** Lines waiting to be sent (a paste or a replay), and lines sent but not yet reported back. */
  #queue: string[] = [];
  #unreported = 0;
  #forceLineByLine = false;
  #refreshScheduled = false;

  constructor(options: LabSessionOptions = {}) {
    this.#openLive = options.openLive ?? defaultOpenLive;
    this.#openSimulated = options.openSimulated ?? openSimulatedConnection;
    this.#mode = options.mode ?? 'simulated';
    this.#personalityMemory = options.personalityMemory ?? storedPersonality(browserStorage());
    this.#pickedPersonality = this.#personalityMemory.load() ?? this.#pickedPersonality;
    this.#recorder = new SessionRecorder(this.#mode);
    this.newSession();
  }

  get mode(): LabMode {
    return this.#mode;
  }
  /** Where the SMTP connection stands, with a sentence for the learner. */
  get connection(): ConnectionState {
    return this.#connectionState;
  }
  /** The view at the live end of the conversation. */
  get liveView(): LabView {
    return this.#liveView;
  }
  /** The time-travel step shown, or null for the live end. */
  get position(): number | null {
    return this.#position;
  }
  /** How many steps the conversation has. */
  get steps(): number {
    return this.#steps;
  }
  /** What the panels draw: the live end, or the step time travel selected. */
  get view(): LabView {
    const position = this.#position;
    return position === null ? this.#liveView : this.#recorder.viewAt(position);
  }
  /** The mailbox of the current mode, newest first. */
  get messages(): readonly MailboxMessage[] {
    return this.#mode === 'live' ? this.#liveMessages : this.#simulatedMessages;
  }
  /** How many messages the mailbox of the current mode holds, beyond the listed page too. */
  get messageCount(): number {
    return this.#mode === 'live' ? Math.max(this.#liveTotal, this.#liveMessages.length) : this.#simulatedMessages.length;
  }
  /** Live servers offered by the bridge. */
  get targets(): readonly LiveTarget[] {
    return this.#targets;
  }
  get target(): string | null {
    return this.#target;
  }
  /**
   * The server whose own words the Explanation panel's notes may use: the one the model
   * explains by, except a live target of unknown kind (neither the sandbox nor a lab host):
   * there, no note rather than smtp-server's.
   */
  get notesServer(): PersonalityName | null {
    if (this.#mode === 'simulated') return this.#recordedAs;
    const target = this.#targets.find((candidate) => candidate.id === this.#target);
    if (target?.personality !== undefined) return target.personality;
    return target === undefined || target.id === SANDBOX_TARGET_ID ? this.#recordedAs : null;
  }
  /** A passing remark for the learner (a refused send, a rate limit), or null. */
  get notice(): string | null {
    return this.#notice;
  }
  /** What the learner typed after the connection closed, waiting for "send it in a new session". */
  get held(): string | null {
    return this.#held;
  }
  /** The live model's snapshot, read fresh (the console predicts against it). */
  get snapshot(): SessionSnapshot {
    return this.#recorder.actor.getSnapshot();
  }

  /** The personality the simulated server answers like: the lesson's, when it picks one, else the learner's. */
  get personality(): PersonalityName {
    const fromLesson = this.personalityFromLesson ? this.#simulatedSetup.config?.personality : undefined;
    return fromLesson ?? this.#pickedPersonality;
  }
  /** True while a lesson picks the personality: the learner's pick waits until it is closed. */
  get personalityFromLesson(): boolean {
    return this.#simulatedSetup.choosesPersonality === true;
  }

  /**
   * Picks the personality the simulated server answers like, and remembers it. In simulated
   * mode a new session starts with it; a lesson that picks its own keeps it (returns false).
   */
  setPersonality(name: PersonalityName): boolean {
    if (this.personalityFromLesson) return false;
    if (name === this.#pickedPersonality) return true;
    this.#pickedPersonality = name;
    this.#personalityMemory.save(name);
    if (this.#mode === 'simulated') this.newSession();
    return true;
  }

  /** Switches mode; a different mode starts a new session. */
  setMode(mode: LabMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    this.newSession();
  }

  /** Picks the live target; takes effect with a new session. */
  setTarget(target: string): void {
    if (target === this.#target) return;
    this.#target = target;
    if (this.#mode === 'live') this.newSession();
  }

  /**
   * Sets up the simulated server for the sessions started from now on (a lesson's server);
   * an empty setup is the default sandbox. Takes effect with the next new session.
   */
  setSimulatedSetup(setup: SimulatedSetup): void {
    this.#simulatedSetup = setup;
  }

  /**
   * Calls `listener` with the final view of every conversation that ends because a new one
   * starts (a new session, a mode switch, a live reconnect). Returns the unsubscribe function.
   */
  onConversationEnd(listener: (view: LabView) => void): () => void {
    this.#conversationEndListeners.add(listener);
    return () => this.#conversationEndListeners.delete(listener);
  }

  /** Ends the current conversation and connects again in the current mode. */
  newSession(): void {
    this.#generation += 1;
    const generation = this.#generation;
    this.#connection?.dispose();
    this.#connection = null;
    this.#queue = [];
    this.#unreported = 0;
    this.#forceLineByLine = false;
    this.#notice = null;
    this.#held = null;
    this.#startRecorder();
    const hooks = this.#hooks(generation);
    if (this.#mode === 'simulated') {
      this.#connection = this.#openSimulated(hooks, this.#setupWithPersonality(), () => this.snapshot);
      return;
    }
    this.#connectionState = { status: 'connecting', message: 'Connecting to the live server…' };
    this.#openLive(this.#target).then(
      (open) => {
        if (generation === this.#generation) this.#connection = open(hooks);
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        // The live code is loaded on first use; if even that fails, the server is down.
        this.#connectionState = {
          status: 'error',
          message: `The live server is not reachable (${(error as Error).message}). Start it with "npm start" (smtp-lab serve) and press New session, or use Simulated mode.`,
        };
      },
    );
  }

  /**
   * Sends what the learner typed or pasted. One line goes at once, even while replies are
   * outstanding (the learner may pipeline on purpose). Several lines go as a careful client
   * sends them: in groups when the server offers PIPELINING, otherwise one command per reply.
   * Text typed after the connection closed is held, for the learner to send in a new session.
   */
  sendText(text: string): void {
    this.#notice = null;
    const lines = splitTypedLines(text);
    if (this.#connection === null || this.#connectionState.status === 'closed') {
      this.#held = text;
      return;
    }
    if (lines.length === 1 && this.#queue.length === 0) {
      this.#write(lines);
      return;
    }
    this.#queue.push(...lines);
    this.#pump();
  }

  /** Starts a new session and sends the held text once the server has greeted. */
  sendHeldInNewSession(): void {
    const text = this.#held;
    this.newSession();
    if (text === null) return;
    this.#queue.push(...splitTypedLines(text));
    this.#pump();
  }

  /** Forgets the held text. */
  dropHeld(): void {
    this.#held = null;
  }

  /** Starts a simulated session and sends these client lines one reply at a time. */
  replay(lines: readonly string[]): void {
    this.#mode = 'simulated';
    this.newSession();
    this.#forceLineByLine = true;
    this.#queue.push(...lines);
    this.#pump();
  }

  /** Shows the conversation after `position` steps; null returns to the live end. */
  travelTo(position: number | null): void {
    this.#position = position === null || position >= this.#steps ? null : Math.max(0, position);
  }

  /** The conversation as an RFC 5321-style text transcript (`C:`/`S:` lines). */
  exportTranscript(): string {
    return formatTranscriptText(this.#recorder.events);
  }

  /** A link that replays the learner's lines in simulated mode. */
  replayLink(pageUrl: string): string {
    return `${pageUrl.replace(/#.*$/, '')}${replayHash(this.#recorder.clientLines())}`;
  }

  /** The client's lines so far, in wire order ("Compare servers" replays them). */
  clientLines(): string[] {
    return this.#recorder.clientLines();
  }

  /** The configuration simulated servers start from: the lesson's server, or the default sandbox. */
  get simulatedConfig(): SandboxConfig {
    return this.#simulatedSetup.config ?? DEFAULT_SANDBOX_CONFIG;
  }

  /** Every event so far (for export and tests). */
  get events(): readonly ReplayEvent[] {
    return this.#recorder.events;
  }

  deleteMessage(id: string): void {
    this.#connection?.deleteMessage(id);
  }

  deleteAllMessages(): void {
    this.#connection?.deleteAllMessages();
  }

  /** Closes the connection; the controller is unusable afterwards. */
  dispose(): void {
    this.#generation += 1;
    this.#connection?.dispose();
    this.#connection = null;
    this.#recorder.stop();
  }

  /** The simulated setup with the learner's personality, unless the setup picks its own. */
  #setupWithPersonality(): SimulatedSetup {
    const setup = this.#simulatedSetup;
    if (setup.choosesPersonality === true) return setup;
    return { ...setup, config: withPersonality(setup.config ?? DEFAULT_SANDBOX_CONFIG, this.#pickedPersonality) };
  }

  #startRecorder(): void {
    if (this.#recorder.steps > 0) {
      const ended = this.#recorder.currentView();
      for (const listener of this.#conversationEndListeners) listener(ended);
    }
    this.#recorder.stop();
    this.#recordedAs = this.#explainedAs();
    this.#recordedRecipients = this.#labHostRecipients();
    this.#recorder = new SessionRecorder(this.#mode, { personality: this.#recordedAs, ...(this.#recordedRecipients === null ? {} : { recipients: this.#recordedRecipients }) });
    this.#position = null;
    this.#refresh();
  }

  /**
   * The server the model explains and predicts by. A live server's kind is not known (an
   * allowed target could be anything): live sessions are explained as smtp-server, the
   * sandbox's server, except on a lab host, which says what it is. Simulated: the lesson's
   * personality, else the learner's pick (the server answers like it).
   */
  #explainedAs(): PersonalityName {
    if (this.#mode === 'simulated') return this.personality;
    return this.#targets.find((target) => target.id === this.#target)?.personality ?? 'smtp-server';
  }

  /** A live lab host's own mailboxes (it refuses the personality's lab defaults), or null: the personality's are right. */
  #labHostRecipients(): readonly [string, string] | null {
    if (this.#mode !== 'live') return null;
    const host = DEFAULT_HOSTS.find((candidate) => candidate.name === this.#target);
    return host === undefined ? null : labHostMailboxes(host);
  }

  #hooks(generation: number): ConnectionHooks {
    const current = (): boolean => generation === this.#generation;
    return {
      event: (event) => {
        if (current()) this.#record(event);
      },
      status: (state) => {
        if (current()) this.#connectionState = state;
      },
      mailbox: (update) => {
        if (current()) this.#updateMailbox(update);
      },
      targets: (targets) => {
        if (!current()) return;
        this.#targets = targets;
        if (this.#target === null || !targets.some((target) => target.id === this.#target)) this.#target = targets[0]?.id ?? null;
      },
      notice: (text) => {
        if (current()) this.#notice = text;
      },
    };
  }

  #record(event: ReplayEvent): void {
    // A live connection that reconnected opens a new SMTP session: a new conversation.
    if (event.type === 'socket.opened' && this.#recorder.steps > 0) {
      this.#queue = [];
      this.#unreported = 0;
      this.#startRecorder();
    } else if (event.type === 'socket.opened' && (this.#recordedAs !== this.#explainedAs() || this.#recordedRecipients?.join() !== this.#labHostRecipients()?.join())) {
      // The first connection's target list arrived after the recorder started: explain this lab host in its own words, suggest its own mailboxes.
      this.#startRecorder();
    }
    if (event.type === 'client.line' && this.#unreported > 0) this.#unreported -= 1;
    this.#recorder.record(event);
    this.#scheduleRefresh();
    if (this.#queue.length > 0) this.#pump();
  }

  #pump(): void {
    if (this.#unreported > 0 || this.#connection === null) return;
    const snapshot = this.#recorder.actor.getSnapshot();
    const size = nextGroupSize(this.#queue, snapshot, !this.#forceLineByLine && offersPipelining(snapshot));
    if (size === 0) return;
    this.#write(this.#queue.splice(0, size));
  }

  #write(lines: readonly string[]): void {
    const connection = this.#connection;
    if (connection === null) return;
    this.#unreported += lines.length;
    if (!connection.send(lines.map((line) => `${line}\r\n`).join(''))) {
      this.#unreported = 0;
      this.#queue = [];
    }
  }

  #updateMailbox(update: MailboxUpdate): void {
    const live = this.#mode === 'live';
    const messages = live ? this.#liveMessages : this.#simulatedMessages;
    const next =
      update.kind === 'replace'
        ? update.messages
        : update.kind === 'add'
          ? [update.message, ...messages.filter((message) => message.id !== update.message.id)]
          : update.kind === 'update'
            ? messages.map((message) => (message.id === update.message.id ? update.message : message))
            : messages.filter((message) => message.id !== update.id);
    if (live) {
      if (update.kind === 'replace') this.#liveTotal = update.total ?? next.length;
      else this.#liveTotal = Math.max(0, this.#liveTotal + next.length - messages.length);
      this.#liveMessages = next;
    } else this.#simulatedMessages = next;
  }

  /**
   * Coalesces view rebuilds: a pasted message reports hundreds of lines in one task, and a
   * command's reply from the simulator follows on the next task. The timer is armed from a
   * microtask, after the transport has queued its reply, so a command and its reply are
   * usually drawn in one render rather than two.
   */
  #scheduleRefresh(): void {
    if (this.#refreshScheduled) return;
    this.#refreshScheduled = true;
    queueMicrotask(() =>
      setTimeout(() => {
        this.#refreshScheduled = false;
        this.#refresh();
      }, 0),
    );
  }

  #refresh(): void {
    this.#liveView = this.#recorder.currentView();
    this.#steps = this.#recorder.steps;
  }
}
