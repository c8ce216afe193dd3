/**
 * Talking to a simulated server line by line, shared by the personality tests.
 */
import type { SimulatedServer } from '../../../protocol/simulator/index.ts';

/** The replies to each line, one entry per line (multi-line replies joined by CRLF). */
export function replies(server: SimulatedServer, lines: readonly string[]): string[] {
  return lines.map((line) => server.receive(`${line}\r\n`).replace(/\r\n$/, ''));
}

/** The replies to `lines` (as `replies` gives them) and whether the server has hung up after them. */
export function converse(server: SimulatedServer, lines: readonly string[]): { replies: string[]; closed: boolean } {
  return { replies: replies(server, lines), closed: server.closed };
}
