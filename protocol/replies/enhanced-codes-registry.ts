/**
 * Enhanced status code details from RFC 3463 and the IANA registry it became (RFC 5248),
 * written with the class as X: "X.1.1" is 4.1.1 or 5.1.1. Titles are the registry's; meanings
 * are plain-language summaries of its descriptions.
 */
import type { EnhancedCodeEntry } from './types.ts';

type Row = readonly [code: string, title: string, meaning: string, rfc: string];

const ROWS: readonly Row[] = [
  ['X.0.0', 'Other undefined Status', 'No more detail than the class: success, temporary or permanent failure.', 'RFC 3463 §3.1'],

  ['X.1.0', 'Other address status', 'Something about an address caused this.', 'RFC 3463 §3.2'],
  ['X.1.1', 'Bad destination mailbox address', 'The mailbox does not exist: the part left of "@" is wrong.', 'RFC 3463 §3.2'],
  ['X.1.2', 'Bad destination system address', 'The domain right of "@" does not exist or cannot receive mail.', 'RFC 3463 §3.2'],
  ['X.1.3', 'Bad destination mailbox address syntax', 'The recipient address is not written correctly.', 'RFC 3463 §3.2'],
  ['X.1.4', 'Destination mailbox address ambiguous', 'The address matches more than one mailbox on the server.', 'RFC 3463 §3.2'],
  ['X.1.5', 'Destination address valid', 'The recipient address is fine (used with success replies).', 'RFC 3463 §3.2'],
  ['X.1.6', 'Destination mailbox has moved, No forwarding address', 'The address used to work but no longer takes mail.', 'RFC 3463 §3.2'],
  ['X.1.7', "Bad sender's mailbox address syntax", 'The sender address is not written correctly.', 'RFC 3463 §3.2'],
  ['X.1.8', "Bad sender's system address", "The sender's domain does not exist or cannot receive replies.", 'RFC 3463 §3.2'],
  ['X.1.9', 'Message relayed to non-compliant mailer', 'The address was valid, but the message went on to a system that does not report delivery status.', 'RFC 3886'],
  ['X.1.10', 'Recipient address has null MX', "The recipient's domain publishes a null MX: it receives no email.", 'RFC 7505'],

  ['X.2.0', 'Other or undefined mailbox status', 'The mailbox exists, but something about it caused this.', 'RFC 3463 §3.3'],
  ['X.2.1', 'Mailbox disabled, not accepting messages', 'The mailbox exists but does not take messages now.', 'RFC 3463 §3.3'],
  ['X.2.2', 'Mailbox full', 'The mailbox is over its quota.', 'RFC 3463 §3.3'],
  ['X.2.3', 'Message length exceeds administrative limit', "The message is bigger than this mailbox's own size limit.", 'RFC 3463 §3.3'],
  ['X.2.4', 'Mailing list expansion problem', 'The address is a mailing list that could not be expanded.', 'RFC 3463 §3.3'],

  ['X.3.0', 'Other or undefined mail system status', 'The receiving system normally takes mail, but something about it caused this.', 'RFC 3463 §3.4'],
  ['X.3.1', 'Mail system full', "The server's storage is full.", 'RFC 3463 §3.4'],
  ['X.3.2', 'System not accepting network messages', 'The host does not take messages now, e.g. during shutdown or maintenance.', 'RFC 3463 §3.4'],
  ['X.3.3', 'System not capable of selected features', 'The message asks for features the system does not support.', 'RFC 3463 §3.4'],
  ['X.3.4', 'Message too big for system', "The message is larger than the server's per-message size limit.", 'RFC 3463 §3.4'],
  ['X.3.5', 'System incorrectly configured', 'The system is not configured in a way that lets it accept this message.', 'RFC 3463 §3.4'],
  ['X.3.6', 'Requested priority was changed', 'The message was accepted, but not with the priority requested.', 'RFC 6710'],

  ['X.4.0', 'Other or undefined network or routing status', 'Something went wrong with networking or routing.', 'RFC 3463 §3.5'],
  ['X.4.1', 'No answer from host', 'The next server did not answer the connection attempt.', 'RFC 3463 §3.5'],
  ['X.4.2', 'Bad connection', 'The connection was made but broke or timed out before the transaction finished.', 'RFC 3463 §3.5'],
  ['X.4.3', 'Directory server failure', 'A directory server such as DNS was unavailable.', 'RFC 3463 §3.5'],
  ['X.4.4', 'Unable to route', 'The mail system could not work out where to send the message next.', 'RFC 3463 §3.5'],
  ['X.4.5', 'Mail system congestion', 'The mail system is congested.', 'RFC 3463 §3.5'],
  ['X.4.6', 'Routing loop detected', 'The message was forwarded in a loop too many times.', 'RFC 3463 §3.5'],
  ['X.4.7', 'Delivery time expired', 'The message waited too long and was given up.', 'RFC 3463 §3.5'],

  ['X.5.0', 'Other or undefined protocol status', 'Something was wrong with the SMTP exchange itself.', 'RFC 3463 §3.6'],
  ['X.5.1', 'Invalid command', 'The command was out of sequence or not supported.', 'RFC 3463 §3.6'],
  ['X.5.2', 'Syntax error', 'The command could not be understood: wrong syntax or unknown command.', 'RFC 3463 §3.6'],
  ['X.5.3', 'Too many recipients', 'More recipients than can be taken in one transaction.', 'RFC 3463 §3.6'],
  ['X.5.4', 'Invalid command arguments', 'A valid command with invalid arguments (out of range or unknown).', 'RFC 3463 §3.6'],
  ['X.5.5', 'Wrong protocol version', 'The two sides disagree on the protocol version.', 'RFC 3463 §3.6'],
  ['X.5.6', 'Authentication Exchange line is too long', 'A base64 line in the AUTH exchange was longer than the server accepts.', 'RFC 4954 §6'],

  ['X.6.0', 'Other or undefined media error', 'Something about the message content caused this.', 'RFC 3463 §3.7'],
  ['X.6.1', 'Media not supported', 'The kind of content is not supported on the way to the recipient.', 'RFC 3463 §3.7'],
  ['X.6.2', 'Conversion required and prohibited', 'The content would need converting, but conversion is not allowed.', 'RFC 3463 §3.7'],
  ['X.6.3', 'Conversion required but not supported', 'The content would need converting (e.g. 8-bit to 7-bit), which the next hop cannot do.', 'RFC 3463 §3.7'],
  ['X.6.4', 'Conversion with loss performed', 'The message was delivered after a conversion that lost some data.', 'RFC 3463 §3.7'],
  ['X.6.5', 'Conversion Failed', 'A needed conversion did not succeed.', 'RFC 3463 §3.7'],
  ['X.6.6', 'Message content not available', 'The message content could not be fetched from the remote system holding it.', 'RFC 4468'],
  ['X.6.7', 'Non-ASCII addresses not permitted for that sender/recipient', 'An address with non-ASCII characters is not allowed here.', 'RFC 6531'],
  ['X.6.8', 'UTF-8 string reply is required, but not permitted by the SMTP client', 'The reply would need UTF-8, which the client did not allow.', 'RFC 6531'],
  ['X.6.9', 'UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected', 'A message with UTF-8 header fields cannot reach some recipients, so it was rejected.', 'RFC 6531'],

  ['X.7.0', 'Other or undefined security status', 'Something related to security or policy caused this.', 'RFC 3463 §3.8'],
  ['X.7.1', 'Delivery not authorized, message refused', 'You are not allowed to send to this destination, e.g. because of filtering or relaying rules.', 'RFC 3463 §3.8'],
  ['X.7.2', 'Mailing list expansion prohibited', 'You are not allowed to send to this mailing list.', 'RFC 3463 §3.8'],
  ['X.7.3', 'Security conversion required but not possible', 'The message would need converting between secure messaging formats, which is not possible.', 'RFC 3463 §3.8'],
  ['X.7.4', 'Security features not supported', 'The message uses security features the delivery path does not support.', 'RFC 3463 §3.8'],
  ['X.7.5', 'Cryptographic failure', 'A system could not validate or decrypt the message, e.g. for lack of a key.', 'RFC 3463 §3.8'],
  ['X.7.6', 'Cryptographic algorithm not supported', 'The cryptographic algorithm used is not supported.', 'RFC 3463 §3.8'],
  ['X.7.7', 'Message integrity failure', 'The message was corrupted or altered.', 'RFC 3463 §3.8'],
  ['X.7.8', 'Authentication credentials invalid', 'AUTH failed: wrong or insufficient credentials.', 'RFC 4954 §6'],
  ['X.7.9', 'Authentication mechanism is too weak', 'The AUTH mechanism is weaker than the server allows for this user.', 'RFC 4954 §6'],
  ['X.7.10', 'Encryption Needed', 'An encryption layer such as TLS is needed before this AUTH mechanism can be used.', 'RFC 5248'],
  ['X.7.11', 'Encryption required for requested authentication mechanism', 'This AUTH mechanism is only allowed on an encrypted connection.', 'RFC 4954 §6'],
  ['X.7.12', 'A password transition is needed', 'Log in once with AUTH PLAIN so the requested mechanism can work afterwards.', 'RFC 4954 §6'],
  ['X.7.13', 'User Account Disabled', 'The credentials are right, but the account is disabled.', 'RFC 5248'],
  ['X.7.14', 'Trust relationship required', 'The server needs a configured trust relationship with another server to fetch the content.', 'RFC 5248'],
  ['X.7.15', 'Priority Level is too low', 'The requested priority is below what the server accepts now.', 'RFC 6710'],
  ['X.7.16', 'Message is too big for the specified priority', 'The message is too big for the priority requested.', 'RFC 6710'],
  ['X.7.17', 'Mailbox owner has changed', 'The mailbox has changed owner since the date the sender gave.', 'RFC 7293'],
  ['X.7.18', 'Domain owner has changed', "The recipient's domain has changed owner since the date the sender gave.", 'RFC 7293'],
  ['X.7.19', 'RRVS test cannot be completed', 'The server cannot check whether the mailbox changed owner.', 'RFC 7293'],
  ['X.7.20', 'No passing DKIM signature found', 'The message has no valid DKIM signature.', 'RFC 7372'],
  ['X.7.21', 'No acceptable DKIM signature found', 'The message has valid DKIM signatures, but none the server accepts.', 'RFC 7372'],
  ['X.7.22', 'No valid author-matched DKIM signature found', 'No valid DKIM signature matches the author\'s domain in From.', 'RFC 7372'],
  ['X.7.23', 'SPF validation failed', "The sending host is not allowed by the sender domain's SPF record.", 'RFC 7372'],
  ['X.7.24', 'SPF validation error', 'The SPF check could not be completed.', 'RFC 7372'],
  ['X.7.25', 'Reverse DNS validation failed', "The sending host's IP address has no matching reverse DNS name.", 'RFC 7372'],
  ['X.7.26', 'Multiple authentication checks failed', 'Several sender authentication checks (such as SPF and DKIM) failed.', 'RFC 7372'],
  ['X.7.27', 'Sender address has null MX', "The sender's domain publishes a null MX, so replies could never reach it.", 'RFC 7505'],
  ['X.7.30', 'REQUIRETLS support required', 'The message required TLS all the way (REQUIRETLS), which the next hop cannot promise.', 'RFC 8689'],
];

/** Registered details, keyed by "X.subject.detail". */
export const ENHANCED_CODE_ENTRIES: ReadonlyMap<string, EnhancedCodeEntry> = new Map(
  ROWS.map(([code, title, meaning, rfc]) => [code, { code, title, meaning, rfc }]),
);
