/**
 * The app's lab internet for lesson replays, put together as start-app does: DKIM keys in a
 * temp data dir, the default world's zone per namespace in SQLite, one loopback listener per
 * lab MX (startLabNetwork) checking SPF/DKIM/DMARC with inspectAtMx. The lab clock is
 * injected, so a learner's wait between connections is a step of the clock, not a sleep.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSolutionDns, type Lesson } from '../../protocol/lessons/index.ts';
import type { TransportFactory } from '../../protocol/transport.ts';
import { DEFAULT_HOSTS, defaultWorld } from '../../protocol/world/default-world.ts';
import { MessageStore } from '../../server/storage/message-store.ts';
import { openDatabase } from '../../server/storage/open-database.ts';
import { SqliteDatabase } from '../../server/storage/sql/sqlite-database.ts';
import { transportOverSocket } from '../../server/transport/tcp-transport.ts';
import { dkimPublicKeys, loadOrCreateDkimKeys } from '../../server/world/dkim-keys.ts';
import { OUTSIDE_LAB_IP } from '../../server/world/lab-network/lab-connections.ts';
import { startLabNetwork } from '../../server/world/lab-network/start-lab-network.ts';
import { inspectAtMx } from '../../server/world/mail-auth/inspect-at-mx.ts';
import { ZoneStore } from '../../server/world/zone-store.ts';

/** How long the learner waits between two connections: past greylisting's 5 lab minutes. */
export const LEARNER_PAUSE_MS = 6 * 60_000;

export interface LabWorldForLessons {
  readonly messages: MessageStore;
  readonly zones: ZoneStore;
  /**
   * What a learner in `namespace` does in a lesson: each connection goes to the lesson's
   * target as 203.0.113.99; before the next one they wait a while, and before the second they
   * make the lesson's DNS step.
   */
  learnerConnections(lesson: Pick<Lesson, 'target' | 'solutionDns'>, namespace: string): TransportFactory;
  close(): Promise<void>;
}

export async function startLabWorldForLessons(): Promise<LabWorldForLessons> {
  const dataDir = await mkdtemp(join(tmpdir(), 'smtp-lab-lessons-'));
  const world = defaultWorld({ dkimPublicKeys: dkimPublicKeys(await loadOrCreateDkimKeys(dataDir)) });
  const db = openDatabase(':memory:');
  const sql = new SqliteDatabase(db);
  const messages = new MessageStore(sql);
  const zones = new ZoneStore(sql, world.records);
  let labNow = Date.UTC(2026, 0, 5, 9, 0, 0);
  const errors: Error[] = [];
  const network = await startLabNetwork({
    hosts: DEFAULT_HOSTS,
    store: messages,
    now: () => labNow,
    outsideNamespace: 'outside',
    inspect: inspectAtMx({ zoneOf: (namespace) => zones.records(namespace), unreachable: world.unreachable }),
    // As in the app: mail from a sender domain with a null MX in the learner's zone is refused (RFC 7505 §4.2).
    zoneOf: (namespace) => zones.records(namespace),
    onError: (error) => errors.push(error),
  });
  return {
    messages,
    zones,
    learnerConnections(lesson, namespace) {
      const target = lesson.target;
      if (target === undefined) throw new Error('the lesson names no lab host');
      let opened = 0;
      return async (handlers) => {
        if (opened > 0) labNow += LEARNER_PAUSE_MS;
        if (opened === 1 && lesson.solutionDns) await zones.replace(namespace, withSolutionDns(await zones.records(namespace), lesson.solutionDns));
        opened += 1;
        const socket = await network.connect({ fromIp: OUTSIDE_LAB_IP, toHost: target, namespace });
        return transportOverSocket(socket, target)(handlers);
      };
    },
    async close() {
      await network.close();
      // Each delivered copy is parsed after its 250 (lab-delivery.ts): let those finish before the database goes.
      for (let tries = 0; tries < 250 && messages.nextUnparsed() !== null; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
      db.close();
      await rm(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new AggregateError(errors, 'the lab network reported errors');
    },
  };
}
