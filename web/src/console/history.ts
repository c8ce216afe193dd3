/** The console's command history, browsed with Up and Down like a shell's. */
export class CommandHistory {
  readonly #entries: string[] = [];
  readonly #limit: number;
  /** Index into entries while browsing; entries.length means "the line being written". */
  #cursor = 0;
  /** What the learner had typed before browsing, restored after the newest entry. */
  #draft = '';

  constructor(limit = 200) {
    this.#limit = limit;
  }

  /** Remembers a sent line (not twice in a row) and stops browsing. */
  add(line: string): void {
    if (line.trim() !== '' && this.#entries.at(-1) !== line) {
      this.#entries.push(line);
      if (this.#entries.length > this.#limit) this.#entries.shift();
    }
    this.#cursor = this.#entries.length;
    this.#draft = '';
  }

  /** The older entry, or null at the oldest; `current` is kept as the draft on first use. */
  previous(current: string): string | null {
    if (this.#cursor === this.#entries.length) this.#draft = current;
    if (this.#cursor === 0) return null;
    this.#cursor -= 1;
    return this.#entries[this.#cursor] ?? null;
  }

  /** The newer entry, the draft after the newest one, or null when not browsing. */
  next(): string | null {
    if (this.#cursor >= this.#entries.length) return null;
    this.#cursor += 1;
    return this.#cursor === this.#entries.length ? this.#draft : (this.#entries[this.#cursor] ?? null);
  }

  get entries(): readonly string[] {
    return this.#entries;
  }
}
