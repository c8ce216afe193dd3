/**
 * Views of the annotated transcript that the goal primitives read: each server reply with
 * what it answered, the commands the client sent, and whether any was pipelined.
 */
import { parseCommand } from '../commands/index.ts';
import type { Command } from '../commands/types.ts';
import type { TranscriptEntry } from '../session/types.ts';
import type { AnsweredKind } from './goal-types.ts';

/** A server reply and the client line it answered. */
export interface Exchange {
  /** The reply's transcript index (its position in time). */
  readonly index: number;
  readonly code: number;
  /** The RFC 3463 code as written ("5.1.1"), or null. */
  readonly enhanced: string | null;
  readonly to: AnsweredKind | null;
  /** The client line it answered, or null (the greeting, an unexpected reply). */
  readonly sent: string | null;
  /** The reply's text lines (after the code). */
  readonly texts: readonly string[];
}

/** Every reply in the transcript, in order, with what it answered. */
export function exchangesOf(transcript: readonly TranscriptEntry[]): Exchange[] {
  const exchanges: Exchange[] = [];
  for (const entry of transcript) {
    if (entry.from !== 'server' || entry.reply === null) continue;
    const answered = entry.answers === null ? null : (transcript[entry.answers] ?? null);
    exchanges.push({
      index: entry.index,
      code: entry.reply.code,
      enhanced: entry.reply.enhanced?.text ?? null,
      to: answered === null ? (exchanges.length === 0 ? 'GREETING' : null) : answeredKind(answered),
      sent: answered?.text ?? null,
      texts: entry.reply.texts,
    });
  }
  return exchanges;
}

/** What a client line was to the server, as the session model classified it. */
function answeredKind(entry: TranscriptEntry): AnsweredKind {
  if (entry.role === 'end-of-data') return 'END-OF-DATA';
  if (entry.role === 'auth-response') return 'AUTH-RESPONSE';
  const parsed = parseCommand(entry.text);
  if (parsed.ok) return parsed.command.verb;
  return parsed.error.verb ?? 'UNKNOWN';
}

/** Every command line the client sent that the grammar could read, whatever the reply. */
export function sentCommands(transcript: readonly TranscriptEntry[]): Command[] {
  const commands: Command[] = [];
  for (const entry of transcript) {
    if (entry.from !== 'client' || entry.role !== 'command') continue;
    const parsed = parseCommand(entry.text);
    if (parsed.ok) commands.push(parsed.command);
  }
  return commands;
}

/**
 * True when some command was pipelined (RFC 2920): sent while an earlier line still waited
 * for its reply, i.e. that earlier line's reply comes after it in the transcript.
 */
export function hasPipelinedCommand(transcript: readonly TranscriptEntry[]): boolean {
  let latestAwaitedReply = -1;
  for (const entry of transcript) {
    if (entry.from !== 'client') continue;
    if (entry.role === 'command' && entry.index < latestAwaitedReply) return true;
    if (entry.answeredBy !== null) latestAwaitedReply = Math.max(latestAwaitedReply, entry.answeredBy);
  }
  return false;
}
