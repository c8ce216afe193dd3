/**
 * Diagnostics for the line being typed, before it is sent: grammar errors and warnings from
 * the command parser, the reply a conforming server would likely give in this state (or, for a
 * line outside the grammar, the session's server's own reply in its words: Postfix's 459 to
 * ETRN, its 221 to a header line after a refused DATA), dot-stuffing in the message, base64 in
 * an AUTH exchange. The learner may still send the line.
 */
import { parseAuthResponse, parseCommand, VERBS, type CommandSyntaxError } from '../../../protocol/commands/index.ts';
import { AFTER_REFUSED_DATA, dataWasRefused, predictCommand, predictUnreadLine, type SessionSnapshot } from '../../../protocol/session/index.ts';
import { PERSONALITIES } from '../../../protocol/simulator/personalities/index.ts';
import { serverName } from '../session/personality-choice.ts';
import type { InputMode } from './input-mode.ts';
import { quickFixLine } from './quick-fix.ts';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface LineDiagnostic {
  readonly severity: DiagnosticSeverity;
  /** Half-open column range [start, end) in the line (0-based, UTF-16 code units). */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** A corrected line for a quick fix, with its title. */
  readonly fix: { readonly title: string; readonly line: string } | null;
}

/** Diagnoses one line as the server would read it in `mode`. Empty lines get none. */
export function diagnoseLine(line: string, mode: InputMode, snapshot: SessionSnapshot): LineDiagnostic[] {
  if (mode === 'data') return diagnoseDataLine(line);
  if (mode === 'auth-response') return diagnoseAuthResponse(line);
  if (line.trim() === '') return [];
  const parsed = parseCommand(line);
  if (!parsed.ok) {
    const { error } = parsed;
    // "MA" on its way to "MAIL": no red squiggle while the verb is still being typed.
    if (error.code === 'unknown-command' && isVerbPrefix(line)) return [];
    // A server with its own answer to this line (Postfix: 459 to ETRN, 221 to "Subject: hi") says so in its words.
    const ownAnswer = mode === 'command' ? serverAnswer(line, error, snapshot) : null;
    if (ownAnswer !== null) return [ownAnswer];
    const fixed = quickFixLine(error, line);
    const afterData = mode === 'command' && dataWasRefused(snapshot) ? `\n${AFTER_REFUSED_DATA}` : '';
    return [
      {
        severity: 'error',
        ...visibleRange(error.range, line),
        message: `${error.message}\n${error.fix}${afterData}`,
        fix: fixed === null ? null : { title: `Change to: ${fixed}`, line: fixed },
      },
    ];
  }
  const diagnostics: LineDiagnostic[] = parsed.warnings.map((warning) => {
    const fixed = quickFixLine(warning, line);
    return {
      severity: 'warning',
      ...visibleRange(warning.range, line),
      message: `${warning.message}\n${warning.fix}`,
      fix: fixed === null ? null : { title: `Change to: ${fixed}`, line: fixed },
    };
  });
  if (mode === 'command') {
    const prediction = predictCommand(snapshot, parsed);
    if (prediction.outcome === 'reject') {
      const code = prediction.code === null ? '' : ` (likely ${prediction.code})`;
      diagnostics.push({
        severity: 'warning',
        start: 0,
        end: line.length,
        message: `The server will probably refuse this${code}. ${prediction.reason} You can still send it to see the real reply.`,
        fix: null,
      });
    }
  }
  return diagnostics;
}

/** The session's server's own answer to a line the grammar cannot read, as a diagnostic; null when it has none. */
function serverAnswer(line: string, error: CommandSyntaxError, snapshot: SessionSnapshot): LineDiagnostic | null {
  const prediction = predictUnreadLine(snapshot, line, error);
  if (prediction.reply === undefined) return null;
  const server = serverName(PERSONALITIES[snapshot.context.personality]);
  const hangUp = prediction.closes === true ? ' and close the connection' : '';
  return {
    severity: prediction.closes === true ? 'error' : 'warning',
    start: 0,
    end: line.length,
    message: `${server} will answer "${prediction.reply}"${hangUp}. ${prediction.reason} You can still send it to see the real reply.`,
    fix: null,
  };
}

/** RFC 5321 §4.5.2: the server removes one leading dot from every message line; smtp-server only from "..". */
function diagnoseDataLine(line: string): LineDiagnostic[] {
  if (line === '.') {
    return [info(0, 1, 'A line with only "." ends the message. The server then answers with its verdict.')];
  }
  if (line.startsWith('..')) {
    return [info(0, 2, `Dot-stuffed: the server removes the first dot, so the message will contain "${line.slice(1)}" (RFC 5321 §4.5.2).`)];
  }
  if (line.startsWith('.')) {
    return [
      {
        severity: 'warning',
        start: 0,
        end: 1,
        message: `A message line that starts with "." must be sent with one more dot (dot-stuffing, RFC 5321 §4.5.2). As typed, RFC 5321 says the server stores "${line.slice(1)}"; smtp-server (this lab's server) keeps "${line}".`,
        fix: { title: `Dot-stuff: send .${line}`, line: `.${line}` },
      },
    ];
  }
  return [];
}

function diagnoseAuthResponse(line: string): LineDiagnostic[] {
  const response = parseAuthResponse(line);
  if (response.kind === 'cancel') return [info(0, line.length, '"*" cancels the login; the server answers 501.')];
  if (response.kind === 'base64') {
    const shown = response.decoded.replace(/\0/g, '\\0');
    return [info(0, line.length, `Base64 for "${shown}". Base64 is an encoding, not encryption: anyone who sees this line can read it.`)];
  }
  return [{ severity: 'error', ...visibleRange(response.error.range, line), message: `${response.error.message}\n${response.error.fix}`, fix: null }];
}

function isVerbPrefix(line: string): boolean {
  const typed = line.toUpperCase();
  return /^[A-Z]+$/.test(typed) && VERBS.some((verb) => verb.startsWith(typed));
}

function info(start: number, end: number, message: string): LineDiagnostic {
  return { severity: 'info', start, end, message, fix: null };
}

/** An empty range (e.g. a missing argument at the end) is widened to one visible column. */
function visibleRange(range: { start: number; end: number }, line: string): { start: number; end: number } {
  if (range.end > range.start) return { start: range.start, end: range.end };
  const start = Math.max(0, Math.min(range.start, line.length - 1));
  return { start, end: Math.max(start + 1, line.length === 0 ? 0 : start + 1) };
}
