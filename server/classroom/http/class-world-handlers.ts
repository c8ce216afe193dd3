/**
 * The instructor's control of the class's lab world: the starting zone every student without
 * edits of their own has (and that a student's reset brings back), set with the same check as a
 * learner's zone, back to the default world, or pushed over every student's own edits. Every
 * route of these is declared `access: 'instructor'` (api-routes.ts).
 */
import type { ClassWorld, ClassWorldPush } from '../../../protocol/wire/class-world-contract.ts';
import type { ApiHandler } from '../../http/api-route.ts';
import { sendJson } from '../../http/respond.ts';
import { zoneFromBody } from '../../http/world-handlers.ts';
import type { ZoneStore } from '../../world/zone-store.ts';
import type { ClassService } from '../class-service.ts';
import { studentNamespace } from '../classroom-types.ts';

export type ClassWorldHandlers = Readonly<Record<'dns' | 'replaceDns' | 'reset' | 'push', ApiHandler>>;

export function classWorldHandlers(zones: ZoneStore, service: Pick<ClassService, 'students'>): ClassWorldHandlers {
  const namespaces = async () => (await service.students.active()).map((student) => studentNamespace(student.id));
  const classWorld = async (): Promise<ClassWorld> => {
    const start = await zones.startingZone();
    const students = await namespaces();
    return {
      records: [...start.records],
      custom: start.custom,
      changedAt: start.changedAt === null ? null : new Date(start.changedAt).toISOString(),
      studentsWithOwnZone: await zones.countOwnZones(students),
      students: students.length,
    };
  };
  return {
    dns: async ({ res }) => sendJson(res, 200, await classWorld()),
    replaceDns: async ({ req, res }) => {
      const records = await zoneFromBody(req, res);
      if (records === null) return;
      // Students who edited their zone keep it: the reply says how many, the push replaces theirs.
      await zones.setStartingZone(records);
      sendJson(res, 200, await classWorld());
    },
    reset: async ({ res }) => {
      await zones.resetStartingZone();
      sendJson(res, 200, await classWorld());
    },
    push: async ({ res }) => {
      const replaced = await zones.resetAll(await namespaces());
      sendJson(res, 200, { ...(await classWorld()), replaced } satisfies ClassWorldPush);
    },
  };
}
