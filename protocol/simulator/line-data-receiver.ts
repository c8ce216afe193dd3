/**
 * Message data read line by line, as Postfix's smtpd reads it: a line ends at LF (a CR
 * before it is dropped), a line that is exactly "." ends the data whatever its line end, and
 * any leading dot is removed (RFC 5321 §4.5.2 asks for exactly this). Each stored line ends
 * in CRLF. Accepting a bare LF before the final dot is what made SMTP smuggling possible
 * (CVE-2023-51764): Postfix 3.7 without `smtpd_forbid_bare_newline` still does it.
 * Lines stop being kept once more than `keep` octets are (a message that long is refused
 * whatever follows), and an unended line is cut at `keep` + 1 characters: the stored
 * message stays just over `keep` octets, however much the client sends.
 */
import type { DataEnd, MessageDataReader } from './data-receiver.ts';
import { utf8ByteLength } from './utf8-length.ts';

export class LineDataReceiver implements MessageDataReader {
  /** The text of the current line, not yet ended. */
  #partial = '';
  readonly #lines: string[] = [];
  /** Octets of the stored lines, each with its CRLF. */
  #kept = 0;
  readonly #keep: number;

  constructor(keep = Infinity) {
    // Never below 2: a cut line must stay too long to be the final ".".
    this.#keep = Math.max(keep, 2);
  }

  feed(text: string): DataEnd | null {
    let input = this.#partial + text;
    this.#partial = '';
    for (;;) {
      const newline = input.indexOf('\n');
      if (newline < 0) {
        this.#partial = input.length > this.#keep ? input.slice(0, this.#keep + 1) : input;
        return null;
      }
      const line = input.slice(0, input[newline - 1] === '\r' ? newline - 1 : newline);
      input = input.slice(newline + 1);
      if (line === '.') return { content: this.#lines.map((stored) => `${stored}\r\n`).join(''), rest: input };
      if (this.#kept > this.#keep) continue;
      const stored = line.startsWith('.') ? line.slice(1) : line;
      this.#lines.push(stored);
      if (this.#keep !== Infinity) this.#kept += utf8ByteLength(stored) + 2;
    }
  }
}
