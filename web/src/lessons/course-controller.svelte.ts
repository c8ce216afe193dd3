/**
 * The course beside the console: which lesson is open, its server, its verdict after every
 * reply, hints, the solution player, and the learner's progress (kept by a CourseProgressStore).
 * The app shell feeds it the live view; it drives the session only through LessonHost.
 */
import {
  evaluateLesson,
  lessonContext,
  mergeServerConfig,
  withSolutionDns,
  type ConnectionRecord,
  type Course,
  type Lesson,
  type LessonResult,
} from '../../../protocol/lessons/index.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { GreylistMemory } from '../../../protocol/simulator/index.ts';
import type { LiveTarget } from '../session/connection.ts';
import type { SimulatedSetup } from '../session/simulated-connection.ts';
import type { LabMode, LabView } from '../session/view-types.ts';
import { WorldApi } from '../world/world-api.ts';
import { landingLesson } from './landing-lesson.ts';
import { hasServerSetup, modeNotice, requiredMode } from './lesson-setup.ts';
import { LESSONS_WRITTEN_FOR, personalityMismatch } from './personality-fit.ts';
import {
  emptyProgress,
  isDone,
  lessonStatus,
  markCompleted,
  progressToJson,
  updateLesson,
  type CourseProgress,
  type LessonStatus,
  type ProgressReading,
} from './progress.ts';
import type { CourseProgressStore } from './progress-store.ts';
import { playSolution, type SolutionHost, type SolutionStep } from './solution-player.ts';

/** What the course needs from the session controller (LabSession has it). */
export interface LessonHost extends SolutionHost {
  readonly mode: LabMode;
  /** The personality the simulated server answers like now (the lesson's, or the learner's pick). */
  readonly personality: PersonalityName;
  /** Changes the learner's pick; in simulated mode a new session starts with it. */
  setPersonality(name: PersonalityName): boolean;
  /** The view at the live end (the goal is checked on it before the solution's final QUIT). */
  readonly liveView: LabView;
  setMode(mode: LabMode): void;
  /** The live target picked now, and picking one (a lesson on a lab host picks its host). */
  readonly target: string | null;
  readonly targets: readonly LiveTarget[];
  setTarget(target: string): void;
  setSimulatedSetup(setup: SimulatedSetup): void;
  onConversationEnd(listener: (view: LabView) => void): () => void;
}

export interface CourseControllerOptions {
  /** The pause before each solution line (ms). */
  readonly solutionDelayMs?: number;
  /** The learner's lab world, where a lab lesson's solution makes its DNS step. */
  readonly world?: Pick<WorldApi, 'zone' | 'save'>;
  /** How long a lab lesson's solution waits before reconnecting (ms): past greylisting's 5 lab minutes. */
  readonly labPauseMs?: number;
  /** The clock, for completion times. */
  readonly now?: () => Date;
}

export class CourseController {
  readonly course: Course;
  #progress = $state.raw<CourseProgress>(emptyProgress());
  #lessonId = $state.raw<string | null>(null);
  #result = $state.raw<LessonResult | null>(null);
  /** The result at the moment the goal was first met in this attempt. */
  #passedResult = $state.raw<LessonResult | null>(null);
  #step = $state.raw<SolutionStep | null>(null);
  #playing = $state.raw(false);
  #notice = $state.raw<string | null>(null);
  #storeError = $state.raw<string | null>(null);
  /** The lessons a classroom's instructor opened; null: all of them. */
  #openLessons = $state.raw<readonly string[] | null>(null);

  readonly #host: LessonHost;
  readonly #store: CourseProgressStore;
  readonly #solutionDelayMs: number;
  readonly #world: Pick<WorldApi, 'zone' | 'save'>;
  readonly #labPauseMs: number;
  readonly #now: () => Date;
  readonly #unsubscribe: () => void;
  /** Connections the learner closed during this attempt (for `earlierConnection` goals). */
  #earlier: ConnectionRecord[] = [];
  #player: AbortController | null = null;
  /** Whether the solution was played in this attempt: a completion then counts as "with the solution". */
  #solutionPlayed = false;

  constructor(course: Course, host: LessonHost, store: CourseProgressStore, options: CourseControllerOptions = {}) {
    this.course = course;
    this.#host = host;
    this.#store = store;
    this.#solutionDelayMs = options.solutionDelayMs ?? 450;
    this.#world = options.world ?? new WorldApi();
    // 5 lab minutes at the app's default lab clock (one lab minute per real second), and one more.
    this.#labPauseMs = options.labPauseMs ?? 6000;
    this.#now = options.now ?? (() => new Date());
    this.#unsubscribe = host.onConversationEnd((view) => {
      if (this.#lessonId !== null) this.#earlier.push({ summary: view.summary, transcript: view.transcript });
    });
  }

  get progress(): CourseProgress {
    return this.#progress;
  }
  /** The open lesson, or null before the first one is opened. */
  get lesson(): Lesson | null {
    return this.course.lessons.find((lesson) => lesson.id === this.#lessonId) ?? null;
  }
  /** The next lesson after the open one, in course order, that the learner may open. */
  get nextLesson(): Lesson | null {
    const index = this.course.lessons.findIndex((lesson) => lesson.id === this.#lessonId);
    return index === -1 ? null : (this.course.lessons.slice(index + 1).find((lesson) => this.isOpen(lesson.id)) ?? null);
  }
  /** The latest verdict on the session (while the goal is not met), or the one that met it. */
  get result(): LessonResult | null {
    return this.#passedResult ?? this.#result;
  }
  /** True once the goal was met in this attempt. */
  get passed(): boolean {
    return this.#passedResult !== null;
  }
  /** True when the open lesson's completion so far came with the solution. */
  get completedWithSolution(): boolean {
    return this.#lessonId !== null && this.statusOf(this.#lessonId) === 'done-with-solution';
  }
  /** How many of the open lesson's hints are revealed. */
  get hintsShown(): number {
    const id = this.#lessonId;
    return id === null ? 0 : (this.#progress.lessons[id]?.hintsUsed ?? 0);
  }
  get playing(): boolean {
    return this.#playing;
  }
  /** Where the solution player is, while it plays. */
  get solutionStep(): SolutionStep | null {
    return this.#step;
  }
  /** A remark about the lesson's mode or the solution, or null. */
  get notice(): string | null {
    return this.#notice;
  }
  /**
   * The learner's picked server when the open lesson was written for smtp-server and sets no
   * personality of its own (the lesson panel says so), else null. Live mode is smtp-server.
   */
  get personalityMismatch(): PersonalityName | null {
    const lesson = this.lesson;
    if (lesson === null || this.#host.mode !== 'simulated') return null;
    return personalityMismatch(lesson, this.#host.personality);
  }

  /** Switches the picker to the server the open lesson was written for: a new session, a fresh attempt. */
  useLessonsServer(): void {
    if (this.#lessonId === null) return;
    this.stopSolution();
    this.#host.setPersonality(LESSONS_WRITTEN_FOR);
    this.#resetAttempt();
  }

  /** Where the progress is kept, in words, when the store says (null: this browser). */
  get storeAbout(): string | null {
    return this.#store.about ?? null;
  }
  /** Set when progress could not be saved. */
  get storeError(): string | null {
    return this.#storeError;
  }

  /** Whether the learner may open lesson `id` (in a classroom, the instructor decides). */
  isOpen(id: string): boolean {
    const open = this.#openLessons;
    return open === null || open.includes(id);
  }

  /** Limits the lessons the learner may open (a classroom's open lessons); null opens all. */
  setOpenLessons(ids: readonly string[] | null): void {
    this.#openLessons = ids;
  }

  statusOf(id: string): LessonStatus {
    return lessonStatus(this.#progress, id);
  }

  /** How many lessons are done. */
  get doneCount(): number {
    return this.course.lessons.filter((lesson) => isDone(this.statusOf(lesson.id))).length;
  }

  /**
   * Loads the progress. With `openCurrent`, opens the lesson `requested` names (a lesson id,
   * e.g. from the page's URL) when it is one the learner may open, otherwise the lesson they
   * land on: the current one while unfinished, else the next unfinished one.
   */
  async start(options: { openCurrent: boolean; requested?: string | null }): Promise<void> {
    const loaded = await this.#store.load().catch(() => emptyProgress());
    this.#progress = loaded;
    if (!options.openCurrent) return;
    const open = this.course.lessons.filter((lesson) => this.isOpen(lesson.id));
    const target = open.find((lesson) => lesson.id === options.requested) ?? landingLesson(open, loaded);
    if (target !== null) this.open(target.id);
  }

  /** Opens a lesson: its server in a new session, a fresh attempt. */
  open(id: string): void {
    const lesson = this.course.lessons.find((candidate) => candidate.id === id);
    if (lesson === undefined) return;
    if (!this.isOpen(id)) {
      this.#notice = 'Your instructor has not opened this lesson yet.';
      return;
    }
    this.stopSolution();
    this.#lessonId = id;
    this.#notice = null;
    this.#host.setSimulatedSetup({
      config: mergeServerConfig(lesson.server),
      greylist: new GreylistMemory(),
      choosesPersonality: lesson.server.personality !== undefined,
      // A lesson that sets up its own server plays that server alone; the others are the sandbox, which relays.
      relay: !hasServerSetup(lesson),
    });
    const mode = requiredMode(lesson);
    // A lesson on a lab host talks to that host, and the next lesson goes back to the sandbox;
    // in live mode, picking the target starts the new session.
    // (The bridge lists the sandbox first.)
    const target = lesson.target ?? (this.#onLabHost() ? (this.#host.targets[0]?.id ?? null) : null);
    const retarget = target !== null && target !== this.#host.target;
    if (retarget) this.#host.setTarget(target);
    if (mode !== null && mode !== this.#host.mode) {
      this.#notice = modeNotice(lesson);
      this.#host.setMode(mode);
    } else if (!(retarget && this.#host.mode === 'live')) {
      this.#host.newSession();
    }
    this.#resetAttempt();
    this.#save(updateLesson({ ...this.#progress, current: id }, id, (entry) => entry, this.#now()));
  }

  /** True when the live target picked now is a lab host. */
  #onLabHost(): boolean {
    return this.#host.targets.some((candidate) => candidate.id === this.#host.target && candidate.labFrom !== undefined);
  }

  /** Opens the next lesson in course order. */
  openNext(): void {
    const next = this.nextLesson;
    if (next !== null) this.open(next.id);
  }

  /** Starts the open lesson again: a new session, nothing met yet. */
  restart(): void {
    if (this.#lessonId === null) return;
    this.stopSolution();
    this.#host.newSession();
    this.#resetAttempt();
  }

  /** Reveals the next hint (revealed hints count as used and stay revealed). */
  revealHint(): void {
    const lesson = this.lesson;
    if (lesson === null || this.hintsShown >= lesson.hints.length) return;
    this.#save(updateLesson(this.#progress, lesson.id, (entry) => ({ ...entry, hintsUsed: entry.hintsUsed + 1 }), this.#now()));
  }

  /**
   * Switches mode if the open lesson allows it; otherwise keeps the mode, says why, and
   * returns false.
   */
  requestMode(mode: LabMode): boolean {
    const lesson = this.lesson;
    const required = lesson === null ? null : requiredMode(lesson);
    if (lesson !== null && required !== null && mode !== required) {
      this.#notice = modeNotice(lesson);
      return false;
    }
    this.#notice = null;
    this.stopSolution();
    this.#host.setMode(mode);
    return true;
  }

  /** Checks the live view against the open lesson; call it on every transcript change. */
  observe(view: LabView): void {
    const lesson = this.lesson;
    if (lesson === null) return;
    const result = evaluateLesson(lesson, lessonContext(view.snapshot, view.transcript, this.#earlier));
    this.#result = result;
    if (!result.passed || this.#passedResult !== null) return;
    this.#passedResult = result;
    const now = this.#now().toISOString();
    const withSolution = this.#solutionPlayed;
    this.#save(updateLesson(this.#progress, lesson.id, (entry) => markCompleted(entry, now, withSolution), this.#now()));
  }

  /**
   * Plays the open lesson's solution into a new session, line by line; stoppable. The learner
   * confirms first (the UI asks): a completion in this attempt counts as "with the solution".
   * The final QUIT is left out when the goal is met without it, so the connection stays open.
   */
  async playSolution(): Promise<void> {
    const lesson = this.lesson;
    if (lesson === null || this.#playing) return;
    const player = new AbortController();
    this.#player = player;
    this.#playing = true;
    this.#solutionPlayed = true;
    this.#notice = null;
    this.#save(updateLesson(this.#progress, lesson.id, (entry) => ({ ...entry, solutionShown: true }), this.#now()));
    this.#host.newSession();
    const end = await playSolution(lesson.solution.connections, this.#host, {
      delayMs: this.#solutionDelayMs,
      signal: player.signal,
      onstep: (step) => (this.#step = step),
      leaveOpen: () => this.#goalMetNow(lesson),
      ...(lesson.target === undefined ? {} : { beforeReconnect: (connection: number) => this.#betweenLabConnections(lesson, connection, player.signal) }),
    });
    if (this.#player !== player) return;
    this.#player = null;
    this.#playing = false;
    this.#step = null;
    if (end === 'stuck') this.#notice = 'The solution stopped: the server did not answer in time. Start over to try again.';
  }

  /**
   * A lab lesson's solution between connections, as the learner would: the lesson's DNS step
   * before the second one (through the DNS API), then a wait past greylisting's 5 lab minutes.
   */
  async #betweenLabConnections(lesson: Lesson, connection: number, signal: AbortSignal): Promise<void> {
    if (connection === 2 && lesson.solutionDns !== undefined) {
      const zone = await this.#world.zone();
      const saved = zone.ok ? await this.#world.save(withSolutionDns(zone.records, lesson.solutionDns)) : zone;
      if (!saved.ok) this.#notice = `The solution could not make its DNS step: ${saved.message}`;
    }
    this.#step = null;
    this.#notice ??= `Waiting ${Math.round(this.#labPauseMs / 1000)} s (over 5 lab minutes) before connecting again, as a sending server would.`;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#labPauseMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops the solution player before its next line. */
  stopSolution(): void {
    this.#player?.abort();
    this.#player = null;
    this.#playing = false;
    this.#step = null;
  }

  /** The progress as JSON, for download. */
  exportProgress(): string {
    return progressToJson(this.#progress);
  }

  /**
   * Replaces the progress with an exported file's (lessons this course does not have are
   * skipped and named in the notes); a file that cannot be read changes nothing.
   */
  async importProgress(text: string): Promise<ProgressReading> {
    // The schema (and zod) loads only when a learner imports a file.
    const { parseProgress } = await import('./progress-schema.ts');
    const parsed = parseProgress(text, new Set(this.course.lessons.map((lesson) => lesson.id)));
    if (parsed.ok) this.#save({ ...parsed.progress, current: this.#lessonId ?? parsed.progress.current });
    return parsed;
  }

  dispose(): void {
    this.stopSolution();
    this.#unsubscribe();
  }

  /** Whether the lesson's goal is met by the conversation so far (checked, not waiting for observe). */
  #goalMetNow(lesson: Lesson): boolean {
    if (this.#passedResult !== null) return true;
    return evaluateLesson(lesson, lessonContext(this.#host.snapshot, this.#host.liveView.transcript, this.#earlier)).passed;
  }

  #resetAttempt(): void {
    this.#solutionPlayed = false;
    this.#earlier = [];
    this.#result = null;
    this.#passedResult = null;
  }

  #save(progress: CourseProgress): void {
    this.#progress = progress;
    this.#store.save(progress).then(
      () => (this.#storeError = null),
      () => (this.#storeError = this.#store.failureMessage ?? 'Your progress could not be saved in this browser. Export it to keep a copy.'),
    );
  }
}
