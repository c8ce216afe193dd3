/**
 * Who a server takes mail for: the one recipient check of every personality. Each brings its
 * lab defaults (the lab Postfix's mydestination and aliases, a modelled table's domains and
 * users) or its host's rules (a lab MX host in server/world/lab-network takes mail for its own
 * domains' mailboxes, may refuse the sender at RCPT, as Postfix's delayed sender restrictions
 * do, and may defer a recipient first: greylisting, an allow-list), and its own words for the
 * refusals.
 */

/** A reply as the server writes it, enhanced status code included where it sends one. */
export interface RecipientReply {
  readonly code: number;
  readonly text: string | readonly string[];
}

export interface LocalRecipients {
  /** The domains whose mail stays here (lower case). */
  readonly domains: readonly string[];
  /** The local parts with a mailbox at each of those domains (lower case). */
  readonly users: ReadonlySet<string>;
  /**
   * Postfix's recipient_delimiter: `alice+news` belongs to `alice` when alice has a mailbox.
   * Absent: a local part is taken whole.
   */
  readonly recipientDelimiter?: string;
  /** A refusal of the envelope sender, given at each RCPT before anything else is checked, or null (a null-MX sender domain). */
  refuseSender?(sender: string): RecipientReply | null;
  /** A temporary refusal of a recipient that would otherwise be accepted, or null (greylisting). */
  defer?(sender: string, recipient: string): RecipientReply | null;
}

/** The personality's words for the two permanent refusals. */
export interface RecipientRefusalWords {
  relayDenied(address: string): RecipientReply;
  unknownUser(address: string): RecipientReply;
}

/**
 * The refusal of `recipient` for mail from `sender`, or null to accept it: the host's refusal
 * of the sender, relay denied for another domain (a trailing dot ignored), unknown user for a
 * local part without a mailbox (with a delimiter, `user+tag` belongs to `user`), then the
 * host's deferral.
 */
export function localRecipientRefusal(local: LocalRecipients, sender: string, recipient: string, words: RecipientRefusalWords): RecipientReply | null {
  const senderRefusal = local.refuseSender?.(sender) ?? null;
  if (senderRefusal !== null) return senderRefusal;
  // RFC 5321 §4.1.1.3: the domainless postmaster is always accepted.
  if (recipient.toLowerCase() === 'postmaster') return local.defer?.(sender, recipient) ?? null;
  const at = recipient.lastIndexOf('@');
  const domain = recipient.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (at < 0 || !local.domains.includes(domain)) return words.relayDenied(recipient);
  const user = recipient.slice(0, at).toLowerCase();
  const owner = local.recipientDelimiter === undefined ? user : (user.split(local.recipientDelimiter)[0] ?? user);
  if (!local.users.has(user) && !local.users.has(owner)) return words.unknownUser(recipient);
  return local.defer?.(sender, recipient) ?? null;
}
