/**
 * The one normalizer of a SandboxConfig, applied the way smtp-server applies its options in
 * its constructor (and smtp-stream its line limit), so the real sandbox
 * (server/sandbox/create-sandbox.ts) and the simulator (protocol/simulator) read the same
 * values. The names stay the configuration's; only create-sandbox.ts maps them onto
 * smtp-server's option names.
 */
import type { SandboxConfig } from './sandbox-config.ts';

/** smtp-stream's line limit when none is configured. */
const SMTP_STREAM_MAX_LINE_LENGTH = 16 * 1024;

/** smtp-server's mechanisms when the list is empty: AUTH stays advertised. */
const SMTP_SERVER_AUTH_METHODS = ['LOGIN', 'PLAIN'] as const;

/** The configuration as smtp-server would run it (a maxRecipients of 0 or NaN: no limit). */
export function normalizeSandboxConfig(config: SandboxConfig): SandboxConfig {
  return {
    ...config,
    maxRecipients: config.maxRecipients || 0,
    maxLineLength: config.maxLineLength || SMTP_STREAM_MAX_LINE_LENGTH,
    authMethods: config.authMethods.length > 0 ? config.authMethods : SMTP_SERVER_AUTH_METHODS,
  };
}
