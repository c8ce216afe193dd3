/**
 * The learner sandbox's configuration: its types, inferred from the one schema
 * (sandbox-config-schema.ts, imported here for its types only, so zod stays out of the web
 * app's first load), and its defaults.
 */
import type * as z from 'zod';
import type {
  classBehavioursSchema,
  personalityNameSchema,
  sandboxAccountSchema,
  sandboxAuthMethodSchema,
  sandboxConfigSchema,
  serverBehavioursSchema,
} from './sandbox-config-schema.ts';

/** What each setting means is written on its schema field (sandbox-config-schema.ts). */
export type SandboxConfig = Readonly<z.output<typeof sandboxConfigSchema>>;
export type ServerBehaviours = Readonly<z.output<typeof serverBehavioursSchema>>;
export type SandboxAccount = Readonly<z.output<typeof sandboxAccountSchema>>;
/** The name of a server personality the simulator can answer like. */
export type PersonalityName = z.output<typeof personalityNameSchema>;
export type SandboxAuthMethod = z.output<typeof sandboxAuthMethodSchema>;
/** The class-wide behaviours the instructor switches for live sessions, and the SIZE limit. */
export type ClassBehaviours = Readonly<z.output<typeof classBehavioursSchema>>;

/**
 * The plain learner sandbox: every switch off, so mail for any domain is captured; only the
 * mailboxes that plainly cannot exist (nobody@…, anything at .invalid, RFC 2606) are refused,
 * so "one recipient rejected among several" works without setup.
 */
export const DEFAULT_BEHAVIOURS: ServerBehaviours = {
  requireAuth: false,
  greylist: false,
  refuseRelay: false,
  localDomains: ['smtp-lab.test', 'example.com', 'example.org', 'example.net'],
  unknownMailboxes: ['nobody@*', '*@*.invalid'],
  closeAfterCommands: 0,
  replyDelayMs: 0,
};

/** The configuration the sandbox runs with unless a lesson or operator changes it. */
export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = {
  personality: 'smtp-server',
  hostname: 'sandbox.smtp-lab.test',
  banner: 'SMTP Lab sandbox: mail stays in the lab, nothing leaves this machine',
  maxMessageSize: 10 * 1024 * 1024,
  maxRecipients: 50,
  maxLineLength: 2048,
  authMethods: ['PLAIN', 'LOGIN'],
  accounts: [
    { username: 'student', password: 'learn-smtp' },
    { username: 'alice', password: 'wonderland' },
  ],
  allowInsecureAuth: true,
  enhancedStatusCodes: true,
  behaviours: DEFAULT_BEHAVIOURS,
};

/** The text after "250 2.0.0 " when a message was accepted; the queue id varies per message. */
export function queuedReplyText(queueId: string): string {
  return `OK: message queued as ${queueId}`;
}
