/**
 * The annotated transcript. The machine does not keep it in its context (copying a growing
 * array on every event would make a long session quadratic); it emits `transcript.appended`,
 * `transcript.appendedMany` and `transcript.updated`, and the host collects them in a TranscriptLog.
 */
import type { Reply } from '../replies/types.ts';
import type { SessionContext, SessionEmitted, TranscriptEntry, TranscriptRole, TranscriptUpdate } from './types.ts';
import { replyText } from './wire-text.ts';

/** A context patch that a step builds up field by field. */
export type MutablePatch = { -readonly [K in keyof SessionContext]?: SessionContext[K] };

/** What a step of the model produced: a context patch and transcript events. */
export interface Outcome {
  /** Always a fresh object, never shared: the machine's action completes it (see applyStep). */
  readonly patch: MutablePatch;
  readonly emitted: readonly SessionEmitted[];
}

/** Runs `next` on the context `first` leaves behind, and merges both outcomes into one. */
export function andThen(context: SessionContext, first: Outcome, next: (context: SessionContext) => Outcome): Outcome {
  const second = next({ ...context, ...first.patch });
  const emitted = second.emitted.length === 0 ? first.emitted : [...first.emitted, ...second.emitted];
  return { patch: { ...first.patch, ...second.patch }, emitted };
}

/** A client line as the steps see it: fresh from the wire, or held earlier and replayed now. */
export interface LineInput {
  readonly text: string;
  /** The transcript index it already has, for a replayed held line; null for a fresh line. */
  readonly heldIndex: number | null;
}

/**
 * Records a client line: a new entry for a fresh line, or an update of the entry a held line
 * got when it arrived. Returns its index and the new transcript length.
 */
export function recordClientLine(
  context: SessionContext,
  line: LineInput,
  role: TranscriptRole,
  explanation: string,
  notes: readonly string[],
  emitted: SessionEmitted[],
): { readonly index: number; readonly transcriptLength: number } {
  if (line.heldIndex !== null) {
    const update: TranscriptUpdate = { index: line.heldIndex, role, explanation };
    emitted.push({ type: 'transcript.updated', update: notes.length ? { ...update, notes } : update });
    return { index: line.heldIndex, transcriptLength: context.transcriptLength };
  }
  const index = context.transcriptLength;
  emitted.push({ type: 'transcript.appended', entry: clientEntry(index, line.text, role, explanation, notes) });
  return { index, transcriptLength: index + 1 };
}

/** A new entry for a client line. */
export function clientEntry(index: number, text: string, role: TranscriptRole, explanation: string, notes: readonly string[]): TranscriptEntry {
  return { index, from: 'client', text, role, explanation, notes, answers: null, answeredBy: null, reply: null };
}

/** A new entry for a server reply. */
export function replyEntry(
  index: number,
  reply: Reply,
  explanation: string,
  notes: readonly string[],
  answers: number | null,
): SessionEmitted {
  const entry: TranscriptEntry = {
    index,
    from: 'server',
    text: replyText(reply),
    role: 'reply',
    explanation,
    notes,
    answers,
    answeredBy: null,
    reply,
  };
  return { type: 'transcript.appended', entry };
}

/** A new entry for a connection or TLS event. */
export function connectionEntry(index: number, text: string, explanation: string, notes: readonly string[]): SessionEmitted {
  const entry: TranscriptEntry = {
    index,
    from: 'connection',
    text,
    role: 'connection',
    explanation,
    notes,
    answers: null,
    answeredBy: null,
    reply: null,
  };
  return { type: 'transcript.appended', entry };
}

/** Collects the machine's transcript events into an array the host can read at any time. */
export class TranscriptLog {
  readonly #entries: TranscriptEntry[] = [];

  /** Applies one emitted transcript event. */
  apply(event: SessionEmitted): void {
    switch (event.type) {
      case 'transcript.appended':
        this.#append(event.entry);
        return;
      case 'transcript.appendedMany':
        for (const entry of event.entries) this.#append(entry);
        return;
      default:
        this.#update(event.update);
    }
  }

  /** Every entry so far, in wire order. */
  get entries(): readonly TranscriptEntry[] {
    return this.#entries;
  }

  #append(entry: TranscriptEntry): void {
    this.#entries.push(entry);
    if (entry.answers !== null) this.#update({ index: entry.answers, answeredBy: entry.index });
  }

  // Entries are replaced, never changed in place: hosts keep earlier copies of the transcript.
  #update(update: TranscriptUpdate): void {
    const entry = this.#entries[update.index];
    if (entry === undefined) return;
    this.#entries[update.index] = {
      ...entry,
      role: update.role ?? entry.role,
      explanation: update.explanation ?? entry.explanation,
      notes: update.notes === undefined ? entry.notes : [...entry.notes, ...update.notes],
      answeredBy: update.answeredBy ?? entry.answeredBy,
    };
  }
}

/**
 * Adds the index of every transcript entry the event creates or changes to `into` (for hosts
 * that forward changed entries, like the live bridge).
 */
export function addChangedIndexes(event: SessionEmitted, into: { add(index: number): unknown }): void {
  switch (event.type) {
    case 'transcript.appended':
      addEntryIndexes(event.entry, into);
      return;
    case 'transcript.appendedMany':
      for (const entry of event.entries) addEntryIndexes(entry, into);
      return;
    default:
      into.add(event.update.index);
  }
}

function addEntryIndexes(entry: TranscriptEntry, into: { add(index: number): unknown }): void {
  into.add(entry.index);
  // A reply entry also sets `answeredBy` on the line it answers.
  if (entry.answers !== null) into.add(entry.answers);
}
