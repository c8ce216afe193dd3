/**
 * A student's side of the class while the learner app runs: who they are, the lessons the
 * instructor opened, the instructor's notices (with toasts for new ones), and whether the
 * instructor removed them. Kept current over its own WebSocket to the bridge, separate from
 * the console's, so notices arrive in simulated mode too and the student shows as online.
 */
import { BridgeSocket, bridgeUrl, type BridgeSocketOptions } from '../live/bridge-socket.ts';
import { CLOSE_REMOVED_FROM_CLASS } from '../../../protocol/wire/classroom-contract.ts';
import type { ServerMessage } from '../../../protocol/wire/contract.ts';
import type { NoticeJson, OpenLessons, StudentJson, StudentMe } from '../../../protocol/wire/classroom-contract.ts';
import type { ClassroomApi } from './classroom-api.ts';
import { progressFromServer, ServerProgressStore } from './server-progress-store.ts';


/** How long a toast stays before it hides itself (the notices list keeps it). */
export const TOAST_MS = 20_000;

export interface StudentClassroomOptions extends BridgeSocketOptions {
  /** The bridge URL; by default `/ws` on this page's host. */
  readonly url?: string;
  readonly toastMs?: number;
}

export class StudentClassroom {
  readonly student: StudentJson;
  readonly classDomain: string;
  readonly progressStore: ServerProgressStore;
  #openLessons = $state.raw<OpenLessons>(null);
  /** Newest first. */
  #notices = $state.raw<readonly NoticeJson[]>([]);
  #toasts = $state.raw<readonly NoticeJson[]>([]);
  #removed = $state.raw<string | null>(null);
  #connected = $state.raw(false);

  readonly #api: ClassroomApi;
  readonly #options: StudentClassroomOptions;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #socket: BridgeSocket | null = null;
  #welcomes = 0;

  constructor(api: ClassroomApi, me: StudentMe, options: StudentClassroomOptions = {}) {
    this.#api = api;
    this.#options = options;
    this.student = me.student;
    this.classDomain = me.classDomain;
    this.progressStore = new ServerProgressStore(api, progressFromServer(me.progress, me.student.currentLesson));
    this.#openLessons = me.openLessons;
    this.#notices = sortNewestFirst(me.notices);
  }

  /** The lessons the instructor opened; null: all. */
  get openLessons(): OpenLessons {
    return this.#openLessons;
  }
  /** Every notice for this student, newest first. */
  get notices(): readonly NoticeJson[] {
    return this.#notices;
  }
  /** Notices that arrived while the page was open and are not dismissed yet. */
  get toasts(): readonly NoticeJson[] {
    return this.#toasts;
  }
  /** Why the student is no longer in the class, or null while they are. */
  get removed(): string | null {
    return this.#removed;
  }
  /** True while the class connection is up. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Opens the class connection (reconnecting by itself after a server restart). */
  connect(): void {
    if (this.#socket !== null) return;
    this.#socket = new BridgeSocket(
      this.#options.url ?? bridgeUrl(window.location),
      {
        onMessage: (message) => this.#receive(message),
        onStatus: (status) => (this.#connected = status === 'open'),
      },
      {
        ...this.#options,
        shouldReconnect: (event) => {
          if (event.code !== CLOSE_REMOVED_FROM_CLASS) return true;
          this.#removed = event.reason || 'The instructor removed you from the class.';
          return false;
        },
      },
    );
  }

  dismissToast(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.#toasts = this.#toasts.filter((notice) => notice.id !== id);
  }

  dispose(): void {
    this.#socket?.dispose();
    this.#socket = null;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        // After a reconnect, catch up on what was said while the connection was down.
        this.#welcomes += 1;
        if (this.#welcomes > 1) void this.#catchUp();
        return;
      case 'class.notice':
        this.#addNotices([message.notice]);
        return;
      case 'class.settings':
        this.#openLessons = message.openLessons;
        return;
      default:
        return;
    }
  }

  async #catchUp(): Promise<void> {
    const me = await this.#api.me();
    if (!me.ok) {
      if (me.status === 401) this.#removed = 'This browser is no longer in the class.';
      return;
    }
    this.#openLessons = me.value.openLessons;
    this.#addNotices(me.value.notices);
  }

  #addNotices(notices: readonly NoticeJson[]): void {
    const known = new Set(this.#notices.map((notice) => notice.id));
    const fresh = notices.filter((notice) => !known.has(notice.id));
    if (fresh.length === 0) return;
    this.#notices = sortNewestFirst([...fresh, ...this.#notices]);
    this.#toasts = [...this.#toasts, ...sortNewestFirst(fresh).reverse()];
    for (const notice of fresh) {
      this.#timers.set(
        notice.id,
        setTimeout(() => this.dismissToast(notice.id), this.#options.toastMs ?? TOAST_MS),
      );
    }
  }
}

function sortNewestFirst(notices: readonly NoticeJson[]): NoticeJson[] {
  return [...notices].sort((a, b) => b.id - a.id);
}
