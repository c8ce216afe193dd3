/**
 * The teaching behaviours of ServerBehaviours as decisions and replies, shared by the real
 * sandbox (server/sandbox, through smtp-server's hooks) and the simulator, so both refuse the
 * same commands with the same codes and texts.
 *
 * Enhanced status codes: smtp-server picks the enhanced code of a hook's error from its
 * table by reply code (451 → 4.3.0, 530 → 5.7.0, 550 → 5.1.1, 421 → 4.4.2); a hook cannot
 * choose it. The reply codes below are the ones whose table entry tells the truth.
 */
import type { ServerBehaviours } from '../sandbox-config.ts';

/** A refusal a behaviour asks for: the reply code and text (the enhanced code follows the code). */
export interface BehaviourReply {
  readonly code: number;
  readonly text: string;
}

/**
 * Which (sender, recipient) pairs a greylisting server has seen: one per server, shared by
 * all its connections, so a retry in a later session counts (as with real greylisting).
 */
export class GreylistMemory {
  readonly #seen = new Set<string>();

  /** True when the pair was seen before; otherwise remembers it and returns false. */
  seenBefore(sender: string, recipient: string): boolean {
    const key = `${sender.toLowerCase()}\n${recipient.toLowerCase()}`;
    if (this.#seen.has(key)) return true;
    this.#seen.add(key);
    return false;
  }
}

/** What the RCPT policy looks at, besides the behaviours. */
export interface RecipientCheck {
  /** The envelope sender; "" for the null reverse-path. */
  readonly sender: string;
  /** The recipient as smtp-server normalized it (punycode domains decoded). */
  readonly recipient: string;
  /** Whether the client has authenticated. */
  readonly authenticated: boolean;
}

/**
 * The refusal of an RCPT TO the other checks accepted, or null to accept it. Checked in the
 * order of a typical Postfix `smtpd_recipient_restrictions`: relay, unknown mailbox, then
 * greylisting (which never applies to authenticated clients, as with
 * `permit_sasl_authenticated` before the policy service).
 */
export function recipientRefusal(behaviours: ServerBehaviours, check: RecipientCheck, greylist: GreylistMemory): BehaviourReply | null {
  const refusal = policyRefusal(behaviours, check);
  if (refusal !== null || !greylistApplies(behaviours, check)) return refusal;
  return greylist.seenBefore(check.sender, check.recipient) ? null : greylistedReply(check.recipient);
}

/** Relay and unknown-mailbox refusals: recipientRefusal's checks before greylisting. */
export function policyRefusal(behaviours: ServerBehaviours, check: RecipientCheck): BehaviourReply | null {
  const { recipient, authenticated } = check;
  if (behaviours.refuseRelay && !authenticated && !isLocalRecipient(recipient, behaviours.localDomains)) {
    // RFC 4954 §6: 530 is the reply when policy needs authentication for the requested action.
    // Postfix answers "554 5.7.1 <…>: Relay access denied"; smtp-server would write 554 with
    // 5.6.0 (a media error), so the sandbox uses the code whose enhanced code is true.
    return { code: 530, text: `<${recipient}>: Relay access denied: without AUTH this server only takes mail for its own domains` };
  }
  if (behaviours.unknownMailboxes.some((pattern) => matchesMailboxPattern(recipient, pattern))) {
    return { code: 550, text: `<${recipient}>: Recipient address rejected: mailbox does not exist` };
  }
  return null;
}

/** Whether greylisting asks about this recipient: switched on, and never for authenticated clients. */
export function greylistApplies(behaviours: ServerBehaviours, check: RecipientCheck): boolean {
  return behaviours.greylist && !check.authenticated;
}

/** The refusal of a recipient whose pair is seen for the first time. */
export function greylistedReply(recipient: string): BehaviourReply {
  return {
    code: 451,
    text: `<${recipient}>: Greylisted, try again later (a temporary refusal: real servers want you to wait minutes)`,
  };
}

/** The reply to the first command beyond `closeAfterCommands`; 421 closes the connection. */
export function tooManyCommandsReply(hostname: string): BehaviourReply {
  return { code: 421, text: `${hostname} Error: too many commands in this session, closing connection` };
}

/**
 * Whether mail for `recipient` stays on this server: its domain is one of `localDomains`
 * (exact match, any case), or it is the domainless `postmaster` (RFC 5321 §4.1.1.3).
 */
export function isLocalRecipient(recipient: string, localDomains: readonly string[]): boolean {
  const at = recipient.lastIndexOf('@');
  if (at < 0) return true;
  const domain = recipient.slice(at + 1).toLowerCase();
  return localDomains.some((local) => local.toLowerCase() === domain);
}

/** Matches an address against an `unknownMailboxes` pattern: `*` is any run of characters, any case. */
export function matchesMailboxPattern(address: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'is').test(address);
}
