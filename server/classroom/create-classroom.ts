/**
 * The classroom in one object, for the composition root: the class service on the shared
 * database, the live hub for the bridge, class mail for the sandbox, the API handlers (the
 * route table in server/http/api-routes.ts gives them paths and access) and the checks every
 * request passes first: cross-origin writes and the per-student rate.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClassBehaviours } from '../../protocol/sandbox-config.ts';
import type { CatalogLesson } from '../../protocol/wire/classroom-contract.ts';
import type { EventBus } from '../events/event-bus.ts';
import { isOriginAllowed, type OriginPolicy } from '../bridge/upgrade-guard.ts';
import type { HostAllowList } from '../http/host-allow-list.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
import type { ZoneStore } from '../world/zone-store.ts';
import { createAttemptLimits } from './attempt-limits.ts';
import { ClassService } from './class-service.ts';
import type { ClassroomStartInfo } from './classroom-banner.ts';
import { INSTRUCTOR_NAMESPACE, type Identity } from './classroom-types.ts';
import { loadCatalog } from './course-catalog.ts';
import { followBehaviours } from './follow-behaviours.ts';
import { sendError } from '../http/respond.ts';
import { classWorldHandlers, type ClassWorldHandlers } from './http/class-world-handlers.ts';
import { instructorHandlers, type InstructorHandlers } from './http/instructor-handlers.ts';
import { publicHandlers, type PublicHandlers } from './http/public-handlers.ts';
import { studentHandlers, type StudentHandlers } from './http/student-handlers.ts';
import { LiveHub, type HubSources } from './live-hub.ts';
import { KeyedRateLimiter } from './rate-limiter.ts';

/** API requests per student: 20 a second, bursts of 60 (a page load makes a handful). */
export const STUDENT_REQUESTS_PER_SECOND = 20;
export const STUDENT_REQUEST_BURST = 60;
/** Open WebSocket connections (tabs) per student. */
export const MAX_CONNECTIONS_PER_STUDENT = 8;

export interface ClassroomOptions {
  /** The shared database, its classroom tables in place (openDatabase or openPostgres made them). */
  readonly db: SqlDatabase;
  /**
   * How this process hears the class's changes and tells the others (LocalEventBus for one
   * process, PostgresEventBus for several on one database); the caller opens and closes it.
   */
  readonly events: EventBus;
  readonly classDomain: string;
  /** The server's SIZE limit (the class may lower it). */
  readonly maxMessageSize: number;
  /** The server's own names, whose pages may change things (the same list as the Host check). */
  readonly allowedHosts: HostAllowList;
  /** Origins allowed besides the server's own names (the operator's --allowed-origin list). */
  readonly allowedOrigins: readonly string[];
  readonly transcripts: Pick<SessionStore, 'list' | 'get' | 'eventPage' | 'lastEvents' | 'flush'>;
  /** The bridge's live sessions and recorded events (the bridge is built after the classroom). */
  readonly sources: HubSources;
  /** Every URL the web app answers at; known once the HTTP listener is up (empty before). */
  readonly webUrls?: () => readonly string[];
  /** Deletes a namespace's mail and transcripts. */
  readonly purgeNamespace: (namespace: string) => Promise<void>;
  /** The lab world's zones: with them the instructor sets the class's starting world. */
  readonly zones?: ZoneStore;
  readonly catalog?: readonly CatalogLesson[];
  readonly maxConnectionsPerStudent?: number;
  /** Where a live push that failed (the database) is reported; the classroom keeps running. */
  readonly onError?: (error: unknown) => void;
}

export interface Classroom {
  readonly service: ClassService;
  readonly hub: LiveHub;
  /** What the classroom's API routes run, by who may call them. */
  readonly handlers: {
    readonly anonymous: PublicHandlers;
    readonly student: StudentHandlers;
    readonly instructor: InstructorHandlers;
    /** The instructor's control of the class's lab world; absent without the lab world's zones. */
    readonly world?: ClassWorldHandlers;
  };
  /** Who sent a request, from its cookies. */
  identify(req: IncomingMessage): Promise<Identity>;
  /** The namespace of the mailbox and transcript API (null: 401). */
  namespaceOf(identity: Identity): string | null;
  /**
   * The namespace of a WebSocket: `/ws?as=instructor` is the dashboard's (the instructor's
   * namespace, signed in or refused); plain `/ws` is the console's, the student's own first.
   */
  wsNamespaceOf(req: IncomingMessage): Promise<string | null>;
  /**
   * Checks before any API route's access check: cross-origin writes refused (403), the
   * student's request rate (429 with Retry-After). False when it answered.
   */
  guard(req: IncomingMessage, res: ServerResponse, identity: Identity): boolean;
  /** The bridge's session limit counts per student (a class may share one NAT address), else per address. */
  sessionLimitKey(namespace: string, clientAddress: string): string;
  /** What to print at start; makes a fresh setup secret while no password is set. */
  startInfo(httpUrl: string): Promise<ClassroomStartInfo>;
  /** Calls `apply` with the class's behaviours whenever any process changes them (for the sandbox); returns the stop. */
  followBehaviours(apply: (behaviours: ClassBehaviours) => void): () => void;
  /** Stops following the class's events (before the caller closes the bus). */
  close(): void;
}

/** Builds the classroom on an open database (made a join code on its first start). */
export async function createClassroom(options: ClassroomOptions): Promise<Classroom> {
  const service = await ClassService.open({
    db: options.db,
    classDomain: options.classDomain,
    catalog: options.catalog ?? loadCatalog(),
    maxMessageSize: options.maxMessageSize,
    events: options.events,
    onError: options.onError,
  });
  // The hub reads other processes' watched sessions from the transcripts every process writes.
  const hub = new LiveHub(service, { ...options.sources, transcripts: options.transcripts }, options.maxConnectionsPerStudent ?? MAX_CONNECTIONS_PER_STUDENT, options.onError);
  const perStudent = new KeyedRateLimiter(STUDENT_REQUESTS_PER_SECOND, STUDENT_REQUEST_BURST);
  const originPolicy: OriginPolicy = { allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins, allowMissingOrigin: true };
  const handlers = {
    anonymous: publicHandlers({ service, limits: createAttemptLimits(options.db) }),
    student: studentHandlers(service),
    instructor: instructorHandlers({
      service,
      hub,
      transcripts: options.transcripts,
      purgeNamespace: options.purgeNamespace,
      maxMessageSize: options.maxMessageSize,
      webUrls: options.webUrls ?? (() => []),
    }),
    ...(options.zones ? { world: classWorldHandlers(options.zones, service) } : {}),
  };

  const stops: (() => void)[] = [];
  return {
    service,
    hub,
    handlers,
    followBehaviours(apply) {
      const stop = followBehaviours(service, apply, options.onError ?? (() => undefined));
      stops.push(stop);
      return stop;
    },
    close() {
      hub.close();
      for (const stop of stops.splice(0)) stop();
    },
    identify: (req) => service.identify(req),
    sessionLimitKey: (namespace, clientAddress) => (namespace.startsWith('student:') ? namespace : clientAddress),
    startInfo: async (httpUrl) => ({
      instructorUrl: new URL('instructor', httpUrl).href,
      joinUrl: new URL(`join/${await service.joinCode()}`, httpUrl).href,
      classDomain: service.classDomain,
      setupSecret: await service.auth.issueSetupSecret(),
    }),
    namespaceOf: (identity) => service.namespaceOf(identity),
    async wsNamespaceOf(req) {
      const identity = await service.identify(req);
      const wantsInstructor = new URL(req.url ?? '/', 'http://placeholder').searchParams.get('as') === 'instructor';
      if (wantsInstructor) return identity.instructor ? INSTRUCTOR_NAMESPACE : null;
      return service.namespaceOf(identity);
    },
    guard(req, res, identity) {
      const unsafe = req.method !== 'GET' && req.method !== 'HEAD';
      if (unsafe && !isOriginAllowed(req.headers.origin, req.socket.localPort, originPolicy)) {
        sendError(res, 403, 'forbidden', `Requests from ${req.headers.origin ?? 'another site'} may not change anything here.`);
        return false;
      }
      if (identity.student !== null) {
        const decision = perStudent.take(identity.student.id);
        if (!decision.ok) {
          sendError(res, 429, 'rate_limited', `Slow down: too many requests; try again in ${decision.retryAfterSeconds} s.`, {
            'Retry-After': String(decision.retryAfterSeconds),
          });
          return false;
        }
      }
      return true;
    },
  };
}
