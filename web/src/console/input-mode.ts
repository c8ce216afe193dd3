/** What the next line the learner types means to the server, read from the session model. */
import { statePath, type SessionSnapshot } from '../../../protocol/session/index.ts';

/**
 * - `command`: an SMTP command line.
 * - `data`: a line of the message (after 354, until a line with only ".").
 * - `auth-response`: the base64 answer to a 334 challenge (RFC 4954 §4).
 * - `closed`: nothing can be sent; the connection is over or not open yet.
 */
export type InputMode = 'command' | 'data' | 'auth-response' | 'closed';

/** The input mode for a snapshot of the session model. */
export function inputModeOf(snapshot: SessionSnapshot): InputMode {
  const state = statePath(snapshot.value);
  if (state === 'data') return 'data';
  if (state === 'authenticating.awaitingResponse') return 'auth-response';
  if (state === 'closed' || state === 'disconnected') return 'closed';
  return 'command';
}
