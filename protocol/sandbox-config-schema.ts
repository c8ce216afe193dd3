/**
 * The one schema of the learner sandbox's configuration, read by the real smtp-server
 * (server/sandbox) and by the simulated server (protocol/simulator); the types are inferred
 * from it (sandbox-config.ts). Every check on a setting is written here once: a lesson's
 * `server:` field is its `.partial()` (protocol/lessons/server-config.ts), the instructor's
 * class behaviours are its `.pick()` (narrowed for a class in server/classroom/class-behaviours.ts).
 *
 * No field has a `.default()`: `.partial()` would fill it in, and a lesson's overrides would
 * then overwrite every setting. The defaults are DEFAULT_SANDBOX_CONFIG, plain data, so the
 * web app's first load needs no zod (a test checks the schema accepts them).
 */
import * as z from 'zod';

/** The longest wait before a reply a lesson or an instructor may ask for. */
export const MAX_REPLY_DELAY_MS = 10_000;

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const names = z.array(z.string().min(1)).readonly();

export const sandboxAuthMethodSchema = z.enum(['PLAIN', 'LOGIN']);

/** A mailbox account a learner can authenticate as with AUTH PLAIN or LOGIN. */
export const sandboxAccountSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
});

/**
 * Behaviours real servers show that a lesson may need: each one is implemented identically by
 * the real sandbox and the simulator (and checked by the conformance tests). The refusals'
 * codes and texts are in protocol/simulator/server-behaviours.ts.
 */
export const serverBehavioursSchema = z.strictObject({
  /**
   * MAIL/RCPT/DATA before AUTH get "530 5.7.0 Error: authentication Required", as on a
   * submission port (RFC 4954 §6, RFC 6409). smtp-server then also counts the commands of an
   * unauthenticated client (AUTH itself excepted, its continuation lines included) and closes
   * with "421 Error: too many unauthenticated commands" at the tenth.
   */
  requireAuth: z.boolean(),
  /**
   * Greylisting: the first RCPT for a (sender, recipient) pair gets a temporary 451; the same
   * pair is accepted when retried, at once, in this or a later session of the same server
   * (real greylisting also waits a few minutes and remembers the client address).
   * Authenticated clients are never greylisted.
   */
  greylist: z.boolean(),
  /**
   * Relay policy of a real MX: recipients outside `localDomains` are refused with 530 5.7.0
   * ("Relay access denied") unless the client authenticated. Off: the sandbox captures mail
   * for any domain (it never delivers anything either way).
   */
  refuseRelay: z.boolean(),
  /** The domains this server receives mail for (for `refuseRelay`): exact names, any case. */
  localDomains: names,
  /**
   * Recipients refused with 550 5.1.1 (mailbox does not exist): `*` matches any run of
   * characters, any case. Only the matching RCPT is refused; the others still count.
   */
  unknownMailboxes: names,
  /**
   * The server answers this many command lines, then answers the next one with 421 and
   * closes (0: never). Every line read outside message data counts: unrecognized commands
   * and AUTH continuation lines too.
   */
  closeAfterCommands: nonNegativeInt,
  /**
   * Wait before each reply (the greeting, each command's reply, the reply to the end of the
   * message), in milliseconds, to feel a slow server (0: none).
   */
  replyDelayMs: nonNegativeInt.max(MAX_REPLY_DELAY_MS),
});

/**
 * Which real server the simulator answers like (protocol/simulator/personalities): its banner,
 * extensions, reply texts, syntax rules and limits. The real sandbox is always smtp-server.
 */
export const personalityNameSchema = z.enum(['smtp-server', 'postfix', 'exim', 'gmail', 'exchange']);

export const sandboxConfigSchema = z.strictObject({
  /** The server the simulator answers like; `smtp-server` is the real sandbox's behaviour. */
  personality: personalityNameSchema,
  /** The name the server greets with and uses in its EHLO reply. */
  hostname: z.string().min(1),
  /** Free text after "ESMTP" in the 220 greeting. */
  banner: z.string(),
  /** Advertised as SIZE; DATA larger than this is refused with 552. */
  maxMessageSize: positiveInt,
  /** RCPT beyond this many recipients in one transaction gets 452. */
  maxRecipients: positiveInt,
  /**
   * Longest command line (bytes, without CRLF) before the server gives up with 421.
   * RFC 5321 §4.5.3.1.4 requires servers to accept at least 512 octets per command line.
   */
  maxLineLength: z.number().int().min(512),
  authMethods: z.array(sandboxAuthMethodSchema).min(1).readonly(),
  accounts: z.array(sandboxAccountSchema.readonly()).min(1).readonly(),
  /**
   * Allow AUTH before STARTTLS. On by default so learners can try AUTH on loopback; real
   * submission servers refuse it with 538 (RFC 4954 §4), which a lesson can switch on.
   */
  allowInsecureAuth: z.boolean(),
  /** Show RFC 3463 enhanced status codes (and advertise ENHANCEDSTATUSCODES). */
  enhancedStatusCodes: z.boolean(),
  /** Teaching behaviours a lesson or an instructor switches on (see DEFAULT_BEHAVIOURS). */
  behaviours: serverBehavioursSchema.readonly(),
});

/** The behaviours an instructor switches for the whole class, and the SIZE limit. */
export const classBehavioursSchema = serverBehavioursSchema
  .pick({ requireAuth: true, greylist: true, closeAfterCommands: true, replyDelayMs: true })
  .extend(sandboxConfigSchema.pick({ maxMessageSize: true }).shape);
