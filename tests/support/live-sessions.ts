/** A bridge's live sessions as the classroom hub reads them (`HubSources.liveSessions`), from a list a test holds. */
import type { HubSession } from '../../server/classroom/live-hub.ts';

export function liveSessionsFrom(sessions: readonly HubSession[]): (namespace?: string) => readonly HubSession[] {
  return (namespace) => sessions.filter((session) => namespace === undefined || session.namespace === namespace);
}
