/**
 * Facts the sequence diagram shows about transcript entries, and the grouping of message
 * data lines into one collapsible block.
 */
import { storedBySmtpServer } from '../../../../protocol/session/dot-stuffing.ts';
import type { TranscriptEntry } from '../../../../protocol/session/index.ts';

export type TranscriptItem =
  | { readonly kind: 'entry'; readonly entry: TranscriptEntry }
  | { readonly kind: 'data'; readonly entries: readonly TranscriptEntry[] };

const DATA_ROLES = new Set(['message-data', 'chunk-data', 'elided']);

/** Consecutive message lines become one data block; everything else stays one item per entry. */
export function groupTranscript(entries: readonly TranscriptEntry[]): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  for (const entry of entries) {
    const last = items.at(-1);
    if (DATA_ROLES.has(entry.role)) {
      if (last?.kind === 'data') items[items.length - 1] = { kind: 'data', entries: [...last.entries, entry] };
      else items.push({ kind: 'data', entries: [entry] });
    } else {
      items.push({ kind: 'entry', entry });
    }
  }
  return items;
}

/** The wire lines of an entry: one per reply line, or the single client/connection line. */
export function wireLines(entry: TranscriptEntry): readonly string[] {
  return entry.reply !== null ? entry.reply.lines : entry.text.split('\r\n');
}

/** True for a 4xx or 5xx reply: the server refused what it answers. */
export function isRejection(entry: TranscriptEntry): boolean {
  return entry.reply !== null && entry.reply.code >= 400;
}

/**
 * For a message line that starts with a dot, what smtp-server stores and whether the line was
 * dot-stuffed: "..x" is stored as ".x" (RFC 5321 §4.5.2 and smtp-server agree); ".x" is kept
 * as ".x" by smtp-server, though the RFC says "x". Null for any other line.
 */
export function unstuffed(entry: TranscriptEntry): { readonly stored: string; readonly stuffed: boolean } | null {
  if (entry.role !== 'message-data' || !entry.text.startsWith('.')) return null;
  return { stored: storedBySmtpServer(entry.text), stuffed: entry.text.startsWith('..') };
}

/** A short name for the line a reply answers: its verb, or what the line was. */
export function answeredName(entries: readonly TranscriptEntry[], entry: TranscriptEntry): string | null {
  if (entry.answers === null) return null;
  const answered = entries[entry.answers];
  if (answered === undefined || answered.index !== entry.answers) return `line ${entry.answers + 1}`;
  if (answered.role === 'end-of-data') return 'end of data';
  if (answered.role === 'auth-response') return 'AUTH answer';
  const verb = answered.text.trim().split(/[\s:]/)[0]?.toUpperCase() ?? '';
  return verb === '' ? `line ${entry.answers + 1}` : verb;
}
