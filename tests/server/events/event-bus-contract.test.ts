// The contract both buses keep, one body run against each: the publisher hears its own events
// once, in order; a failing subscriber harms no other; a shortened summary keeps its ids.
import { describe, expect, it } from 'vitest';
import type { ClassEvent } from '../../../server/events/class-event.ts';
import { EventRefusedError } from '../../../server/events/event-payload.ts';
import { BUS_KINDS, mail, record, useFreshDatabase, waitFor } from './bus-harness.ts';

for (const kind of BUS_KINDS) {
  describe.skipIf(kind.unavailable)(`EventBus contract [${kind.name}]`, () => {
    useFreshDatabase(kind);

    it('delivers each event to each subscriber once, in publishing order, the publisher included', async () => {
      const bus = await kind.open();
      const first = record(bus);
      const second = record(bus);
      const sent = Array.from({ length: 20 }, (_, i) => mail('student:s1', i + 1));
      for (const event of sent) await bus.publish(event);
      const marker: ClassEvent = { type: 'lessons.changed' };
      await bus.publish(marker);
      // One publisher's events arrive in order: once the marker is in, all before it are.
      await waitFor('the marker', () => first.length > 20 && second.length > 20);
      expect(first).toEqual([...sent, marker]);
      expect(second).toEqual([...sent, marker]);
    });

    it('runs subscribers after publish returns, not inside it', async () => {
      const bus = await kind.open();
      const seen = record(bus);
      const publishing = bus.publish({ type: 'behaviours.changed' });
      expect(seen).toEqual([]);
      await publishing;
      await waitFor('the event', () => seen.length === 1);
    });

    it('keeps delivering to the others when a subscriber throws or rejects, and reports both', async () => {
      const errors: Error[] = [];
      const bus = await kind.open({ onError: (error) => errors.push(error) });
      bus.subscribe(() => {
        throw new Error('subscriber broke');
      });
      bus.subscribe(async () => {
        throw new Error('subscriber rejected');
      });
      const seen = record(bus);
      await bus.publish({ type: 'student.changed', studentId: 's1' });
      await bus.publish({ type: 'student.removed', studentId: 's1' });
      await waitFor('both events and four reports', () => seen.length === 2 && errors.length === 4);
      expect(seen.map((event) => event.type)).toEqual(['student.changed', 'student.removed']);
      expect(errors.map((error) => error.message).sort()).toEqual(['subscriber broke', 'subscriber broke', 'subscriber rejected', 'subscriber rejected']);
    });

    it('stops calling a subscriber once it unsubscribes', async () => {
      const bus = await kind.open();
      const kept = record(bus);
      const dropped: ClassEvent[] = [];
      const unsubscribe = bus.subscribe((event) => void dropped.push(event));
      await bus.publish(mail('instructor', 1));
      await waitFor('the first event', () => dropped.length === 1);
      unsubscribe();
      await bus.publish(mail('instructor', 2));
      await waitFor('the second event', () => kept.length === 2);
      expect(dropped).toEqual([mail('instructor', 1)]);
    });

    it('refuses what is not a class event, and says so', async () => {
      const bus = await kind.open();
      await expect(bus.publish({ type: 'student.changed', studentId: '' })).rejects.toThrow(EventRefusedError);
      await expect(bus.publish({ type: 'nonsense' } as unknown as ClassEvent)).rejects.toThrow(EventRefusedError);
    });

    it('delivers an oversized presence summary shortened, with its ids whole', async () => {
      const bus = await kind.open({ processId: 'proc-1' });
      const seen = record(bus);
      const sessions = Array.from({ length: 40 }, (_, i) => ({
        sessionId: `session-${i}`,
        target: 'sandbox',
        startedAt: '2026-12-07T20:00:00.000Z',
        state: 'identified.idle',
        label: 'é'.repeat(3000),
      }));
      await bus.publish({ type: 'student.presence', process: bus.processId, studentId: 'student-1', connections: 3, sessions, omittedSessions: 0, watched: false });
      await waitFor('the presence event', () => seen.length === 1);
      const [event] = seen;
      if (event?.type !== 'student.presence') throw new Error(`not a presence event: ${JSON.stringify(event)}`);
      expect(event).toMatchObject({ process: 'proc-1', studentId: 'student-1', connections: 3 });
      expect(event.sessions.length).toBeGreaterThan(0);
      expect(event.sessions.length + event.omittedSessions).toBe(40);
      expect(event.sessions[0]!.sessionId).toBe('session-0');
    });

    it('names itself among the processes that are up, and refuses to publish once closed', async () => {
      const bus = await kind.open({ processId: 'proc-1' });
      expect(await bus.processes()).toEqual(['proc-1']);
      await bus.close();
      await expect(bus.publish({ type: 'lessons.changed' })).rejects.toThrow(/closed/);
    });
  });
}
