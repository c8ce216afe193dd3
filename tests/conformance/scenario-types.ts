/** The data the conformance tests are made of: client writes, nothing about replies. */
import type { SandboxConfig } from '../../protocol/sandbox-config.ts';

/** One client write (may hold several CRLF lines, or part of one), or the TLS handshake. */
export type Step = string | { readonly startTls: true };

export interface Scenario {
  readonly name: string;
  /** Changes to DEFAULT_SANDBOX_CONFIG for this scenario (both servers get the same). */
  readonly config?: Partial<SandboxConfig>;
  readonly steps: readonly Step[];
}

/** Joins command lines into one write, each ended with CRLF. */
export function lines(...commands: string[]): string {
  return commands.map((command) => `${command}\r\n`).join('');
}

/** The TLS handshake step, after the server said "220 Ready to start TLS". */
export const TLS: Step = { startTls: true };

/** base64 of a string (test data only). */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
