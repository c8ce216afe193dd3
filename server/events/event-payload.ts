/**
 * A class event as text on the wire, both ways. Encoding checks the event against the schema
 * and keeps it under PostgreSQL's NOTIFY limit: a presence summary too long is shortened (long
 * texts cut, then sessions left out and counted), never its ids. Decoding checks whatever
 * arrived, since anyone connected to the database may NOTIFY on the channel.
 */
import { classEventSchema, type ClassEvent, type PresenceEvent } from './class-event.ts';

/** A NOTIFY payload must be shorter than 8000 bytes (PostgreSQL's default build). */
export const MAX_EVENT_BYTES = 7999;
/** A session's target, state and label are cut to this many characters when the summary is too long. */
export const SUMMARY_TEXT_CHARS = 80;

/** Refused before sending: not a class event, or too long even without its summary. */
export class EventRefusedError extends Error {}

export type Decoded = { readonly ok: true; readonly event: ClassEvent } | { readonly ok: false; readonly reason: string };

export function encodeEvent(event: ClassEvent): string {
  const parsed = classEventSchema.safeParse(event);
  if (!parsed.success) throw new EventRefusedError(`Not a class event (${parsed.error.issues[0]?.message ?? 'invalid'}): ${preview(JSON.stringify(event) ?? '')}`);
  const text = JSON.stringify(parsed.data);
  if (bytes(text) <= MAX_EVENT_BYTES) return text;
  if (parsed.data.type === 'student.presence') return shortenedPresence(parsed.data);
  throw new EventRefusedError(`A ${parsed.data.type} event of ${bytes(text)} bytes is over the ${MAX_EVENT_BYTES}-byte limit`);
}

export function decodeEvent(text: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `not JSON: ${preview(text)}` };
  }
  const parsed = classEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `not a class event (${parsed.error.issues[0]?.message ?? 'invalid'}): ${preview(text)}` };
  return { ok: true, event: parsed.data };
}

/** Texts cut first; then as many sessions as fit, in order, and the rest counted. */
function shortenedPresence(event: PresenceEvent): string {
  const sessions = event.sessions.map((session) => ({
    ...session,
    target: cut(session.target),
    state: cut(session.state),
    label: cut(session.label),
  }));
  const omittedBefore = event.omittedSessions;
  // The frame with no sessions, its count as long as it can get: what is left is for the sessions.
  const frame = bytes(JSON.stringify({ ...event, sessions: [], omittedSessions: omittedBefore + sessions.length }));
  if (frame > MAX_EVENT_BYTES) throw new EventRefusedError(`A student.presence event is over the ${MAX_EVENT_BYTES}-byte limit even without its sessions`);
  const kept: typeof sessions = [];
  let used = frame;
  for (const session of sessions) {
    const size = bytes(JSON.stringify(session)) + (kept.length > 0 ? 1 : 0);
    if (used + size > MAX_EVENT_BYTES) break;
    used += size;
    kept.push(session);
  }
  return JSON.stringify({ ...event, sessions: kept, omittedSessions: omittedBefore + sessions.length - kept.length });
}

function cut(text: string): string {
  return text.length <= SUMMARY_TEXT_CHARS ? text : `${text.slice(0, SUMMARY_TEXT_CHARS - 1)}…`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
