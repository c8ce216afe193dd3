/** The data the conformance tests are made of: client writes, nothing about replies. */
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig, type ServerBehaviours } from '../../protocol/sandbox-config.ts';

/**
 * One client write (may hold several CRLF lines, or part of one), the TLS handshake, or a
 * reconnect: the client drops the connection and opens a new one to the same server.
 */
export type ScenarioStep = string | { readonly startTls: true } | { readonly reconnect: true };

export interface Scenario {
  readonly name: string;
  /** Changes to DEFAULT_SANDBOX_CONFIG for this scenario (both servers get the same). */
  readonly config?: Partial<SandboxConfig>;
  /** Changes to the default behaviours (merged into `config.behaviours`). */
  readonly behaviours?: Partial<ServerBehaviours>;
  readonly steps: readonly ScenarioStep[];
}

/** The configuration both servers run a scenario with. */
export function configFor(scenario: Scenario): SandboxConfig {
  const config: SandboxConfig = { ...DEFAULT_SANDBOX_CONFIG, ...scenario.config };
  return { ...config, behaviours: { ...config.behaviours, ...scenario.behaviours } };
}

/** Joins command lines into one write, each ended with CRLF. */
export function lines(...commands: string[]): string {
  return commands.map((command) => `${command}\r\n`).join('');
}

/** The TLS handshake step, after the server said "220 Ready to start TLS". */
export const TLS: ScenarioStep = { startTls: true };

/** Drop the connection and connect again (the reply is the new greeting). */
export const RECONNECT: ScenarioStep = { reconnect: true };

/** base64 of a string (test data only). */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
