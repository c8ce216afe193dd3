/**
 * Every route of the JSON API in one table: method, path, who may call it, and its handler
 * (one handler file per resource). create-http-handler.ts matches a request against it and
 * runs the checks before the handler; the README's API section lists the same routes (a test
 * keeps the two equal).
 */
import type { SoloInfo } from '../../protocol/wire/classroom-contract.ts';
import type { Classroom } from '../classroom/create-classroom.ts';
import type { MessageStore } from '../storage/message-store.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { JourneyReader } from '../world/journey/journey-reader.ts';
import type { HostSettingsStore } from '../world/host-settings-store.ts';
import type { ZoneStore } from '../world/zone-store.ts';
import type { ApiRoute } from './api-route.ts';
import { journeyHandler } from './journey-handlers.ts';
import { messageHandlers } from './message-handlers.ts';
import { queueHandler, type QueueSource } from './queue-handlers.ts';
import { sendJson } from './respond.ts';
import { sessionHandlers } from './session-handlers.ts';
import { worldHandlers } from './world-handlers.ts';

/** Answered before any classroom check: it is for monitors, which carry no cookie. */
export const HEALTH_PATH = '/api/health';

export interface ApiRouteSources {
  readonly messages: MessageStore;
  /** Without it the /api/sessions routes do not exist (404). */
  readonly sessions?: SessionStore | undefined;
  /** The lab world's zones; without it the /api/world routes do not exist (404). */
  readonly zones?: ZoneStore | undefined;
  /** The lab hosts' switches, per namespace; the /api/world routes exist with both. */
  readonly hostSettings?: HostSettingsStore | undefined;
  /** Reads a message's way through the lab world; without it /api/messages/:id/journey does not exist (404). */
  readonly journeys?: JourneyReader | undefined;
  /** The lab world's outbound queue; without it GET /api/world/queue does not exist (404). */
  readonly queue?: QueueSource | undefined;
  /** Classroom mode: its routes; without it `/api/classroom` answers that this server runs no class. */
  readonly classroom?: Pick<Classroom, 'handlers'> | undefined;
}

export function apiRoutes({ messages, sessions, zones, hostSettings, journeys, queue, classroom }: ApiRouteSources): ApiRoute[] {
  const mail = messageHandlers(messages);
  const routes: ApiRoute[] = [
    { method: 'GET', path: HEALTH_PATH, access: 'anonymous', handler: ({ res }) => sendJson(res, 200, { status: 'ok' }) },
    { method: 'GET', path: '/api/messages', access: 'operator', handler: mail.list },
    { method: 'DELETE', path: '/api/messages', access: 'operator', handler: mail.deleteAll },
    { method: 'GET', path: '/api/messages/:id', access: 'operator', handler: mail.get },
    { method: 'DELETE', path: '/api/messages/:id', access: 'operator', handler: mail.delete },
    { method: 'GET', path: '/api/messages/:id/raw', access: 'operator', handler: mail.raw },
    { method: 'GET', path: '/api/messages/:id/html', access: 'operator', handler: mail.html },
    { method: 'GET', path: '/api/messages/:id/attachments/:index', access: 'operator', handler: mail.attachment },
  ];
  if (journeys !== undefined) {
    routes.push({ method: 'GET', path: '/api/messages/:id/journey', access: 'operator', handler: journeyHandler(journeys) });
  }
  if (sessions !== undefined) {
    const transcripts = sessionHandlers(sessions);
    routes.push(
      { method: 'GET', path: '/api/sessions', access: 'operator', handler: transcripts.list },
      { method: 'GET', path: '/api/sessions/:id', access: 'operator', handler: transcripts.get },
    );
  }
  if (zones !== undefined && hostSettings !== undefined) {
    // Each learner edits their own world: the same access as their mailbox.
    const world = worldHandlers(zones, hostSettings);
    routes.push(
      { method: 'GET', path: '/api/world/dns', access: 'operator', handler: world.dns },
      { method: 'PUT', path: '/api/world/dns', access: 'operator', handler: world.replaceDns },
      { method: 'GET', path: '/api/world/hosts', access: 'operator', handler: world.hosts },
      { method: 'PUT', path: '/api/world/hosts', access: 'operator', handler: world.replaceHosts },
      { method: 'POST', path: '/api/world/reset', access: 'operator', handler: world.reset },
    );
  }
  if (queue !== undefined) routes.push({ method: 'GET', path: '/api/world/queue', access: 'operator', handler: queueHandler(queue) });
  if (classroom === undefined) {
    // Every page load asks which page to show; outside classroom mode the answer is "solo", not a 404.
    routes.push({ method: 'GET', path: '/api/classroom', access: 'anonymous', handler: ({ res }) => sendJson(res, 200, { mode: 'solo' } satisfies SoloInfo) });
    return routes;
  }
  const { anonymous, student, instructor, world } = classroom.handlers;
  routes.push(
    { method: 'GET', path: '/api/classroom', access: 'anonymous', handler: anonymous.info },
    { method: 'POST', path: '/api/instructor/setup', access: 'anonymous', handler: anonymous.setUp },
    { method: 'POST', path: '/api/instructor/login', access: 'anonymous', handler: anonymous.signIn },
    { method: 'POST', path: '/api/instructor/logout', access: 'anonymous', handler: anonymous.signOut },
    { method: 'POST', path: '/api/class/join', access: 'anonymous', handler: anonymous.join },
    { method: 'GET', path: '/api/me', access: 'student', handler: student.me },
    { method: 'GET', path: '/api/progress', access: 'student', handler: student.progress },
    { method: 'PUT', path: '/api/progress/:lessonId', access: 'student', handler: student.reportProgress },
    { method: 'GET', path: '/api/classroom/overview', access: 'instructor', handler: instructor.overview },
    { method: 'POST', path: '/api/classroom/join-code', access: 'instructor', handler: instructor.rotateJoinCode },
    { method: 'GET', path: '/api/classroom/roster', access: 'instructor', handler: instructor.roster },
    { method: 'GET', path: '/api/classroom/progress', access: 'instructor', handler: instructor.progress },
    { method: 'GET', path: '/api/classroom/progress.csv', access: 'instructor', handler: instructor.progressCsv },
    { method: 'PUT', path: '/api/classroom/lessons', access: 'instructor', handler: instructor.setOpenLessons },
    { method: 'GET', path: '/api/classroom/behaviours', access: 'instructor', handler: instructor.behaviours },
    { method: 'PUT', path: '/api/classroom/behaviours', access: 'instructor', handler: instructor.changeBehaviours },
    { method: 'GET', path: '/api/classroom/notices', access: 'instructor', handler: instructor.notices },
    { method: 'POST', path: '/api/classroom/notices', access: 'instructor', handler: instructor.sendNotice },
    { method: 'GET', path: '/api/classroom/students/:id/sessions', access: 'instructor', handler: instructor.studentSessions },
    { method: 'GET', path: '/api/classroom/students/:id/sessions/:sessionId', access: 'instructor', handler: instructor.studentSession },
    { method: 'DELETE', path: '/api/classroom/students/:id', access: 'instructor', handler: instructor.removeStudent },
  );
  if (world !== undefined) {
    // The class's starting world: what students without edits of their own have and reset to.
    routes.push(
      { method: 'GET', path: '/api/classroom/world/dns', access: 'instructor', handler: world.dns },
      { method: 'PUT', path: '/api/classroom/world/dns', access: 'instructor', handler: world.replaceDns },
      { method: 'POST', path: '/api/classroom/world/reset', access: 'instructor', handler: world.reset },
      { method: 'POST', path: '/api/classroom/world/push', access: 'instructor', handler: world.push },
    );
  }
  return routes;
}
