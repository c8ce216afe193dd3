/**
 * The smtp-server options the real sandbox derives from a SandboxConfig
 * (server/sandbox/create-sandbox.ts), with smtp-server's own defaults applied the way its
 * constructor applies them. The simulator reads only these.
 */
import type { SandboxAccount, SandboxConfig, ServerBehaviours } from '../sandbox-config.ts';

export interface ServerSettings {
  /** Server name in the greeting and the EHLO reply. */
  readonly name: string;
  readonly banner: string;
  /** Advertised SIZE and the message limit; 0 means neither (checks mirror smtp-server's). */
  readonly size: number;
  /** 0 means no limit. */
  readonly maxRecipients: number;
  /** Longest command line in bytes, without its line end. */
  readonly maxCommandLength: number;
  /** Upper-case mechanism names in advertised order. */
  readonly authMethods: readonly string[];
  readonly accounts: readonly SandboxAccount[];
  readonly allowInsecureAuth: boolean;
  readonly enhancedStatusCodes: boolean;
  /** The teaching behaviours (requireAuth is smtp-server's `authOptional: false`). */
  readonly behaviours: ServerBehaviours;
}

/** smtp-stream's limit when none is configured. */
const DEFAULT_MAX_COMMAND_LENGTH = 16 * 1024;

/** Applies smtp-server's option handling to a sandbox configuration. */
export function settingsFromConfig(config: SandboxConfig): ServerSettings {
  const authMethods = config.authMethods.map((method) => method.toUpperCase().trim());
  return {
    name: config.hostname,
    banner: config.banner,
    size: config.maxMessageSize,
    maxRecipients: Number(config.maxRecipients) || 0,
    maxCommandLength: config.maxCommandLength || DEFAULT_MAX_COMMAND_LENGTH,
    // smtp-server replaces an empty list with its default, so AUTH stays advertised.
    authMethods: authMethods.length > 0 ? authMethods : ['LOGIN', 'PLAIN'],
    accounts: config.accounts,
    allowInsecureAuth: config.allowInsecureAuth,
    enhancedStatusCodes: config.enhancedStatusCodes,
    behaviours: config.behaviours,
  };
}
