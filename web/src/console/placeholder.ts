/**
 * What the empty console says, for what the next line means to the server. In command mode
 * its example is the first thing the session's server accepts now (next-moves.ts: a recipient
 * Postfix serves on Postfix, not example.org).
 */
import { statePath, type SessionSnapshot } from '../../../protocol/session/index.ts';
import { nextMoves } from '../visualizer/statechart/next-moves.ts';
import type { InputMode } from './input-mode.ts';

const PLACEHOLDERS: Readonly<Record<Exclude<InputMode, 'command'>, string>> = {
  data: 'Message lines — a line with just . ends the message',
  'auth-response': 'Your base64 answer to the server, or * to cancel',
  closed: 'Type a line to send it in a new session',
};

export function placeholderFor(mode: InputMode, snapshot: SessionSnapshot): string {
  if (mode !== 'command') return PLACEHOLDERS[mode];
  const example = nextMoves(statePath(snapshot.value), snapshot.context)[0]?.moves[0]?.line;
  return example === undefined ? 'Type an SMTP command and press Enter' : `Type an SMTP command and press Enter, e.g. ${example}`;
}
