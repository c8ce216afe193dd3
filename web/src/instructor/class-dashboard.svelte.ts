/**
 * The instructor's live view of the class: the overview (join code, lessons, behaviours),
 * the roster kept current by `class.student` pushes, the progress grid, the notices sent,
 * and the student being watched. Every change goes through the REST API; the dashboard's
 * WebSocket (`/ws?as=instructor`) only brings news, and reconnects by itself after a restart.
 */
import type { ServerMessage } from '../../../protocol/wire/contract.ts';
import type { ClassOverview, NoticeDraft, NoticeJson, OpenLessons, ProgressGrid, RosterEntry } from '../../../protocol/wire/classroom-contract.ts';
import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';
import type { ApiResult, ClassroomApi } from '../classroom/classroom-api.ts';
import { BridgeSocket, bridgeUrl, type BridgeSocketOptions } from '../live/bridge-socket.ts';
import { WatchedSessions, type WatchedSession } from './watched-sessions.ts';

/** Progress details are fetched again at most this often while students work. */
const PROGRESS_REFRESH_MS = 1500;

export interface ClassDashboardOptions extends BridgeSocketOptions {
  /** The bridge URL; by default `/ws?as=instructor` on this page's host. */
  readonly url?: string;
}

export class ClassDashboard {
  #overview = $state.raw<ClassOverview | null>(null);
  #roster = $state.raw<readonly RosterEntry[]>([]);
  #progress = $state.raw<ProgressGrid | null>(null);
  /** Newest first. */
  #notices = $state.raw<readonly NoticeJson[]>([]);
  #connected = $state.raw(false);
  #connection = $state.raw('Connecting to the class…');
  #watchedId = $state.raw<string | null>(null);
  #watched = $state.raw<readonly WatchedSession[]>([]);
  #loadError = $state.raw<string | null>(null);

  readonly #api: ClassroomApi;
  readonly #options: ClassDashboardOptions;
  #socket: BridgeSocket | null = null;
  #watch: WatchedSessions | null = null;
  #welcomes = 0;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: ClassroomApi, options: ClassDashboardOptions = {}) {
    this.#api = api;
    this.#options = options;
  }

  get overview(): ClassOverview | null {
    return this.#overview;
  }
  /** One row per student, in joining order. */
  get roster(): readonly RosterEntry[] {
    return this.#roster;
  }
  get progress(): ProgressGrid | null {
    return this.#progress;
  }
  get notices(): readonly NoticeJson[] {
    return this.#notices;
  }
  get connected(): boolean {
    return this.#connected;
  }
  /** The connection's state in a sentence. */
  get connection(): string {
    return this.#connection;
  }
  get watchedId(): string | null {
    return this.#watchedId;
  }
  /** The watched student's sessions, newest first. */
  get watched(): readonly WatchedSession[] {
    return this.#watched;
  }
  /** Why the dashboard could not load, or null. */
  get loadError(): string | null {
    return this.#loadError;
  }

  /** Loads everything, then follows the class live. */
  async start(): Promise<void> {
    await this.reload();
    this.#connect();
  }

  /** Fetches the overview, roster, progress and notices again. */
  async reload(): Promise<void> {
    const [overview, roster, progress, notices] = await Promise.all([
      this.#api.overview(),
      this.#api.roster(),
      this.#api.progress(),
      this.#api.notices(),
    ]);
    const failed = [overview, roster, progress, notices].find((result) => !result.ok);
    this.#loadError = failed !== undefined && !failed.ok ? failed.message : null;
    if (overview.ok) this.#overview = overview.value;
    if (roster.ok) this.#roster = sortRoster(roster.value.students);
    if (progress.ok) this.#progress = progress.value;
    if (notices.ok) this.#notices = [...notices.value.notices].sort((a, b) => b.id - a.id);
  }

  entryOf(studentId: string): RosterEntry | null {
    return this.#roster.find((entry) => entry.student.id === studentId) ?? null;
  }

  /** Follows one student's live sessions (read-only); replaces the one watched before. */
  watch(studentId: string): void {
    if (this.#watchedId === studentId) return;
    this.unwatch();
    this.#watchedId = studentId;
    this.#watch = new WatchedSessions(studentId);
    this.#watched = [];
    this.#socket?.send({ type: 'watch', studentId });
  }

  unwatch(): void {
    const id = this.#watchedId;
    if (id === null) return;
    this.#socket?.send({ type: 'unwatch', studentId: id });
    this.#watch?.dispose();
    this.#watch = null;
    this.#watchedId = null;
    this.#watched = [];
  }

  async rotateJoinCode(): Promise<ApiResult<unknown>> {
    const result = await this.#api.rotateJoinCode();
    if (result.ok && this.#overview !== null) this.#overview = { ...this.#overview, ...result.value };
    return result;
  }

  async setOpenLessons(openLessons: OpenLessons): Promise<ApiResult<unknown>> {
    const result = await this.#api.setOpenLessons(openLessons);
    if (result.ok && this.#overview !== null) this.#overview = { ...this.#overview, openLessons: result.value.openLessons };
    return result;
  }

  async changeBehaviours(change: Partial<ClassBehaviours>): Promise<ApiResult<unknown>> {
    const result = await this.#api.changeBehaviours(change);
    if (result.ok && this.#overview !== null) this.#overview = { ...this.#overview, behaviours: result.value.behaviours };
    return result;
  }

  async sendNotice(draft: NoticeDraft): Promise<ApiResult<unknown>> {
    const result = await this.#api.sendNotice(draft);
    if (result.ok) this.#addNotice(result.value.notice);
    return result;
  }

  async removeStudent(studentId: string, purge: boolean): Promise<ApiResult<unknown>> {
    const result = await this.#api.removeStudent(studentId, purge);
    if (result.ok) this.#dropStudent(studentId);
    return result;
  }

  dispose(): void {
    clearTimeout(this.#progressTimer);
    this.#watch?.dispose();
    this.#socket?.dispose();
    this.#socket = null;
  }

  #connect(): void {
    this.#socket = new BridgeSocket(
      this.#options.url ?? `${bridgeUrl(window.location)}?as=instructor`,
      {
        onMessage: (message) => this.#receive(message),
        onStatus: (status, detail) => {
          this.#connected = status === 'open';
          this.#connection = status === 'open' ? 'Live: the dashboard follows the class.' : detail;
        },
      },
      this.#options,
    );
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.#welcomes += 1;
        if (this.#welcomes > 1) {
          // Back after a restart: catch up, and watch again.
          void this.reload();
          if (this.#watchedId !== null) this.#socket?.send({ type: 'watch', studentId: this.#watchedId });
        }
        return;
      case 'class.student':
        this.#roster = sortRoster([...this.#roster.filter((entry) => entry.student.id !== message.entry.student.id), message.entry]);
        this.#scheduleProgress();
        return;
      case 'class.student.removed':
        this.#dropStudent(message.studentId);
        return;
      case 'class.notice':
        this.#addNotice(message.notice);
        return;
      case 'class.settings':
        if (this.#overview !== null) this.#overview = { ...this.#overview, openLessons: message.openLessons };
        return;
      case 'watch.snapshot':
        if (this.#watch === null || message.studentId !== this.#watchedId) return;
        this.#watch.applySnapshot(message.sessions);
        this.#watched = this.#watch.list();
        return;
      case 'watch.message':
        if (this.#watch === null || message.studentId !== this.#watchedId) return;
        if (this.#watch.applyMessage(message.message)) this.#watched = this.#watch.list();
        return;
      default:
        return;
    }
  }

  #addNotice(notice: NoticeJson): void {
    if (this.#notices.some((known) => known.id === notice.id)) return;
    this.#notices = [notice, ...this.#notices].sort((a, b) => b.id - a.id);
  }

  #dropStudent(studentId: string): void {
    this.#roster = this.#roster.filter((entry) => entry.student.id !== studentId);
    if (this.#watchedId === studentId) this.unwatch();
    this.#scheduleProgress();
  }

  #scheduleProgress(): void {
    if (this.#progressTimer !== undefined) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = undefined;
      void this.#api.progress().then((result) => {
        if (result.ok) this.#progress = result.value;
      });
    }, PROGRESS_REFRESH_MS);
  }
}

function sortRoster(entries: readonly RosterEntry[]): RosterEntry[] {
  return [...entries].sort((a, b) => a.student.joinedAt.localeCompare(b.student.joinedAt) || a.student.id.localeCompare(b.student.id));
}
