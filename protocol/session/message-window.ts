/**
 * How much of one message the teaching copies keep (the model's transcript and draft, the
 * recorded transcript, the instructor's watch): the first MESSAGE_HEAD_LINES lines as they
 * come, the last MESSAGE_TAIL_LINES when the message ends, and in between only how many lines
 * and bytes were left out. The server still receives and stores the whole message; this only
 * keeps a long one from growing every copy of the conversation without bound.
 */
import { storedBySmtpServer } from './dot-stuffing.ts';
import { utf8Bytes } from './wire-text.ts';

export const MESSAGE_HEAD_LINES = 50;
export const MESSAGE_TAIL_LINES = 20;

/** Lines and bytes (as the server stores them, CRLF included) left out of a message. */
export interface ElidedLines {
  readonly lines: number;
  readonly bytes: number;
}

/** What the end of a message releases: the count of what was left out (or null), then the tail. */
export interface WindowEnd<L> {
  readonly elided: ElidedLines | null;
  readonly tail: readonly L[];
}

/** Bytes a message line takes in the stored message (as the draft counts it), plus CRLF. */
function storedLineBytes(text: string): number {
  return utf8Bytes(storedBySmtpServer(text)) + 2;
}

/**
 * The window over one message's lines. `L` is whatever the host passes along for a line (a
 * string in the model, a wire event in the bridge); `textOf` reads its text.
 */
export class MessageWindow<L> {
  readonly #textOf: (line: L) => string;
  readonly #headLines: number;
  readonly #tailLines: number;
  #seen = 0;
  #tail: L[] = [];
  #elidedLines = 0;
  #elidedBytes = 0;

  constructor(textOf: (line: L) => string, headLines = MESSAGE_HEAD_LINES, tailLines = MESSAGE_TAIL_LINES) {
    this.#textOf = textOf;
    this.#headLines = headLines;
    this.#tailLines = tailLines;
  }

  /** True while lines are held for the tail or counted as left out. */
  get holding(): boolean {
    return this.#tail.length > 0 || this.#elidedLines > 0;
  }

  /** One message line (not the `.`): returned when it is kept now, otherwise held for the tail. */
  push(line: L): L | null {
    this.#seen += 1;
    if (this.#seen <= this.#headLines) return line;
    this.#tail.push(line);
    if (this.#tail.length > this.#tailLines) {
      const dropped = this.#tail.shift() as L;
      this.#elidedLines += 1;
      this.#elidedBytes += storedLineBytes(this.#textOf(dropped));
    }
    return null;
  }

  /** Lines another window already left out (a recorded `client.elided`). */
  addElided(elided: ElidedLines): void {
    this.#seen = Math.max(this.#seen, this.#headLines);
    // Held lines came before the elided ones: they are elided too.
    for (const line of this.#tail) {
      this.#elidedLines += 1;
      this.#elidedBytes += storedLineBytes(this.#textOf(line));
    }
    this.#tail = [];
    this.#elidedLines += elided.lines;
    this.#elidedBytes += elided.bytes;
  }

  /** The message ended (or the mode changed): what was held, and a fresh window for the next message. */
  end(): WindowEnd<L> {
    const elided = this.#elidedLines > 0 ? { lines: this.#elidedLines, bytes: this.#elidedBytes } : null;
    const tail = this.#tail;
    this.#seen = 0;
    this.#tail = [];
    this.#elidedLines = 0;
    this.#elidedBytes = 0;
    return { elided, tail };
  }
}

/** An event stream's `client.line` events (a wire event, a replay event…). */
type LineEvent<E> = Extract<E, { readonly type: 'client.line' }>;

/**
 * Keeps a recorded stream of events bounded: message lines go through a MessageWindow, the
 * lines it leaves out become one `client.elided` event, and any other event ends the window
 * first (the `.`, a reply, the close). The host says which lines are message lines (the ones
 * its session model reads in data mode).
 */
export class BoundedEventLog<E extends { readonly type: string }> {
  readonly #window: MessageWindow<LineEvent<E>>;
  readonly #elidedEvent: (elided: ElidedLines) => E;

  constructor(textOf: (line: LineEvent<E>) => string, elidedEvent: (elided: ElidedLines) => E) {
    this.#window = new MessageWindow(textOf);
    this.#elidedEvent = elidedEvent;
  }

  /** Adds to `into` what the log keeps of `event` now. */
  keep(event: E, isMessageLine: boolean, into: E[]): void {
    if (isMessageLine && event.type === 'client.line') {
      const kept = this.#window.push(event as LineEvent<E>);
      if (kept !== null) into.push(kept);
      return;
    }
    if (this.#window.holding) {
      const { elided, tail } = this.#window.end();
      if (elided !== null) into.push(this.#elidedEvent(elided));
      into.push(...tail);
    }
    into.push(event);
  }
}

/** "… 12,345 more lines (4.2 MB) not kept": the transcript line that stands for the left-out part. */
export function elidedText(elided: ElidedLines): string {
  const lines = elided.lines === 1 ? '1 more line' : `${elided.lines.toLocaleString('en-US')} more lines`;
  return `… ${lines} (${formatSize(elided.bytes)}) not kept`;
}

function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
