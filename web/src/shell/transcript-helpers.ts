/** Small derivations of the view the shell hands to the panels. */
import type { TranscriptEntry } from '../../../protocol/session/index.ts';
import type { LabView } from '../session/view-types.ts';
import { latestExplainedRejection } from '../visualizer/transcript/grammar-diagnosis.ts';

/** Index of the transcript entry from which the connection is encrypted, or null. */
export function tlsStartIndex(transcript: readonly TranscriptEntry[]): number | null {
  return transcript.find((entry) => entry.from === 'connection' && entry.text.startsWith('TLS established'))?.index ?? null;
}

/**
 * The entry the explanation panel shows: the selected one; else a line the server just refused
 * with 500/501 that the grammar can explain (its diagnosis says more than the reply); else the
 * latest line.
 */
export function explainedEntry(transcript: readonly TranscriptEntry[], selected: number | null): TranscriptEntry | null {
  if (selected !== null) return transcript[selected] ?? null;
  const refused = latestExplainedRejection(transcript);
  return (refused === null ? undefined : transcript[refused]) ?? transcript.at(-1) ?? null;
}

/** The message text the envelope panel compares with the envelope: the draft, or the last message. */
export function messageTextOf(view: LabView): string | null {
  const { draft, messages } = view.snapshot.context;
  if (draft !== null && draft.body !== '') return draft.body;
  return messages.at(-1)?.body ?? null;
}

/** The client lines of a transcript (for completions of addresses used before). */
export function clientLinesOf(transcript: readonly TranscriptEntry[]): string[] {
  return transcript.flatMap((entry) => (entry.from === 'client' ? [entry.text] : []));
}
