/**
 * Transcripts of a replay: text in the style of RFC 5321 appendix D (`C:`/`S:` per wire line)
 * and JSON lines for programs. Connection and TLS events, which have no wire line of their
 * own, appear as `-- … --` lines in the text form.
 */
import { elidedText } from '../session/message-window.ts';
import type { ReplayEvent } from './types.ts';

/** The text transcript lines for one event (a multi-line reply gives one `S:` per line). */
export function formatEventText(event: ReplayEvent): string[] {
  switch (event.type) {
    case 'socket.opened':
      return [`-- connected to ${event.server} --`];
    case 'client.line':
      return [`C: ${event.text}`];
    case 'client.elided':
      return [`-- ${elidedText(event)} --`];
    case 'server.reply':
      return event.reply.lines.map((line) => `S: ${line}`);
    case 'server.unreadable':
      return [`S: ${event.line}`, `-- not an SMTP reply: ${event.message} --`];
    case 'tls.established': {
      const simulated = event.tls.simulated ? ' (simulated)' : '';
      return [`-- TLS established: ${event.tls.protocol} ${event.tls.cipher}${simulated} --`];
    }
    case 'tls.failed':
      return [`-- TLS failed: ${event.reason} --`];
    case 'socket.closed':
      return [event.reason === null ? '-- connection closed --' : `-- connection closed: ${event.reason} --`];
  }
}

/** One JSON object (a single line, no newline) for one event. */
export function formatEventJson(event: ReplayEvent): string {
  switch (event.type) {
    case 'socket.opened':
      return JSON.stringify({ from: 'connection', event: 'opened', server: event.server });
    case 'client.line':
      return JSON.stringify({ from: 'client', text: event.text });
    case 'client.elided':
      return JSON.stringify({ from: 'client', elided: { lines: event.lines, bytes: event.bytes } });
    case 'server.reply':
      return JSON.stringify({ from: 'server', code: event.reply.code, lines: event.reply.lines });
    case 'server.unreadable':
      return JSON.stringify({ from: 'server', code: null, lines: [event.line], error: event.message });
    case 'tls.established':
      return JSON.stringify({ from: 'tls', event: 'established', ...event.tls });
    case 'tls.failed':
      return JSON.stringify({ from: 'tls', event: 'failed', reason: event.reason });
    case 'socket.closed':
      return JSON.stringify({ from: 'connection', event: 'closed', reason: event.reason });
  }
}

/** The whole text transcript, one line per wire line or event, ending with a newline. */
export function formatTranscriptText(events: readonly ReplayEvent[]): string {
  return events.flatMap(formatEventText).map((line) => `${line}\n`).join('');
}

/** The whole transcript as JSON lines: one object per event, each ending with a newline. */
export function formatTranscriptJson(events: readonly ReplayEvent[]): string {
  return events.map((event) => `${formatEventJson(event)}\n`).join('');
}
