import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../../server/events/class-event.ts';
import { RemotePresence } from '../../../server/classroom/remote-presence.ts';

const session = (sessionId: string) => ({ sessionId, target: 'sandbox', startedAt: '2026-01-01T00:00:00.000Z', state: 'greeted', label: 'Greeted' });

function presence(process: string, studentId: string, connections: number, sessions: string[] = []): PresenceEvent {
  return { type: 'student.presence', process, studentId, connections, sessions: sessions.map(session), omittedSessions: 0, watched: false };
}

describe('RemotePresence', () => {
  it('adds up a student’s tabs and sessions over the processes, each process’s latest replacing its earlier', () => {
    const remote = new RemotePresence();
    expect(remote.isEmpty).toBe(true);
    remote.set(presence('a', 'ana', 1, ['s1']));
    remote.set(presence('b', 'ana', 2, ['s2']));
    remote.set(presence('a', 'ana', 3, ['s3']));
    expect(remote.connections('ana')).toBe(5);
    expect(remote.sessions('ana').map((s) => s.sessionId)).toEqual(['s3', 's2']);
    expect(remote.connections('bo')).toBe(0);
    expect(remote.sessions('bo')).toEqual([]);
  });

  it('forgets a student a process has no more of, and a process with nobody left', () => {
    const remote = new RemotePresence();
    remote.set(presence('a', 'ana', 1));
    remote.set(presence('a', 'ana', 0));
    expect(remote.isEmpty).toBe(true);
    // A session without a tab still counts (it is closing).
    remote.set(presence('a', 'ana', 0, ['s1']));
    expect(remote.isEmpty).toBe(false);
    expect(remote.sessions('ana')).toHaveLength(1);
  });

  it('drops the processes that are gone, naming the students whose rows change', () => {
    const remote = new RemotePresence();
    remote.set(presence('a', 'ana', 1));
    remote.set(presence('b', 'bo', 1));
    remote.set(presence('c', 'ana', 1));
    expect(remote.retainOnly(['a', 'here'])).toEqual(['bo', 'ana']);
    expect(remote.connections('ana')).toBe(1);
    expect(remote.connections('bo')).toBe(0);
    expect(remote.retainOnly(['a'])).toEqual([]);
  });

  it('forgets one student everywhere, and everything at once', () => {
    const remote = new RemotePresence();
    remote.set(presence('a', 'ana', 1));
    remote.set(presence('b', 'ana', 1));
    remote.set(presence('b', 'bo', 1));
    remote.forgetStudent('ana');
    expect(remote.connections('ana')).toBe(0);
    expect(remote.connections('bo')).toBe(1);
    remote.clear();
    expect(remote.isEmpty).toBe(true);
  });
});
