import { describe, expect, it } from 'vitest';
import type { ClassEvent, PresenceEvent } from '../../../server/events/class-event.ts';
import { decodeEvent, encodeEvent, EventRefusedError, MAX_EVENT_BYTES, SUMMARY_TEXT_CHARS } from '../../../server/events/event-payload.ts';

const session = (n: number, label = 'Identified: ready for a mail transaction') => ({
  sessionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  target: 'sandbox',
  startedAt: '2026-12-07T20:00:00.000Z',
  state: 'identified.idle',
  label,
});

const presence = (sessions: PresenceEvent['sessions']): PresenceEvent => ({
  type: 'student.presence',
  process: 'process-a',
  studentId: 'Yq3bF0xkL2aa',
  connections: 2,
  sessions,
  omittedSessions: 0,
  watched: false,
});

describe('class event payloads', () => {
  it('round-trips every kind of event unchanged', () => {
    const events: ClassEvent[] = [
      { type: 'student.changed', studentId: 's1' },
      { type: 'student.removed', studentId: 's1' },
      presence([session(1)]),
      { type: 'presence.requested', process: 'process-b' },
      { type: 'notice.added', noticeId: 7, studentId: null },
      { type: 'progress.recorded', studentId: 's1', lessonId: 'first-message' },
      { type: 'lessons.changed' },
      { type: 'behaviours.changed' },
      { type: 'transcript.recorded', namespace: 'student:s1', sessionId: session(1).sessionId, seq: 42 },
      { type: 'mail.delivered', namespace: 'student:s1', messageId: 3 },
    ];
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual({ ok: true, event });
  });

  it('refuses to send what is not a class event', () => {
    expect(() => encodeEvent({ type: 'student.changed', studentId: '' })).toThrow(EventRefusedError);
    expect(() => encodeEvent({ type: 'student.changed', studentId: 'x'.repeat(101) })).toThrow(EventRefusedError);
    expect(() => encodeEvent({ type: 'mail.delivered', namespace: 'student:s1', messageId: 1.5 })).toThrow(EventRefusedError);
  });

  it('reports, never throws on, a payload that is not JSON or not a class event', () => {
    expect(decodeEvent('garbage')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    expect(decodeEvent('{"type":"student.changed"}')).toMatchObject({ ok: false, reason: expect.stringContaining('not a class event') });
    expect(decodeEvent('{"type":"student.changed","studentId":"s1","extra":1}')).toMatchObject({ ok: false });
    expect(decodeEvent('null')).toMatchObject({ ok: false });
  });

  it('keeps a presence summary that fits as it is', () => {
    const event = presence(Array.from({ length: 5 }, (_, i) => session(i)));
    expect(JSON.parse(encodeEvent(event))).toEqual(event);
  });

  it('shortens a presence summary over the limit: texts cut, then sessions left out and counted, ids kept', () => {
    const long = 'Ä'.repeat(2000); // two bytes each in UTF-8
    const sessions = Array.from({ length: 60 }, (_, i) => session(i, long));
    const text = encodeEvent(presence(sessions));
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const decoded = decodeEvent(text);
    if (!decoded.ok || decoded.event.type !== 'student.presence') throw new Error(`not a presence event: ${text.slice(0, 100)}`);
    const sent = decoded.event;
    expect(sent).toMatchObject({ process: 'process-a', studentId: 'Yq3bF0xkL2aa', connections: 2 });
    expect(sent.sessions.length).toBeGreaterThan(0);
    expect(sent.sessions.length + sent.omittedSessions).toBe(60);
    // The first sessions are kept, in order, with their ids whole.
    expect(sent.sessions.map((kept) => kept.sessionId)).toEqual(sessions.slice(0, sent.sessions.length).map((each) => each.sessionId));
    expect(sent.sessions[0]!.label).toHaveLength(SUMMARY_TEXT_CHARS);
    expect(sent.sessions[0]!.label.endsWith('…')).toBe(true);
  });

  it('adds to the sessions a process already left out', () => {
    const sessions = Array.from({ length: 60 }, (_, i) => session(i, 'x'.repeat(500)));
    const decoded = decodeEvent(encodeEvent({ ...presence(sessions), omittedSessions: 10 }));
    if (!decoded.ok || decoded.event.type !== 'student.presence') throw new Error('not a presence event');
    expect(decoded.event.sessions.length + decoded.event.omittedSessions).toBe(70);
  });
});
