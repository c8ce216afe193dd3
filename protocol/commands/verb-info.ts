/** What each verb is for, for hovers and completions in the console. */
import type { Verb } from './types.ts';

export interface VerbInfo {
  /** One sentence: what the command asks the server to do. */
  readonly summary: string;
  readonly syntax: string;
  readonly example: string;
  /** Where the command is defined, e.g. "RFC 5321 §4.1.1.1". */
  readonly rfc: string;
  /** The EHLO keyword the server must advertise before the command may be used, or null. */
  readonly extension: string | null;
}

export const VERB_INFO: Readonly<Record<Verb, VerbInfo>> = {
  EHLO: {
    summary: 'Greets the server with your client\'s own host name and asks which ESMTP extensions it supports.',
    syntax: 'EHLO <domain | address-literal>',
    example: 'EHLO client.example.com',
    rfc: 'RFC 5321 §4.1.1.1',
    extension: null,
  },
  HELO: {
    summary: 'Greets the server the original SMTP way, without asking for the list of extensions.',
    syntax: 'HELO <domain>',
    example: 'HELO client.example.com',
    rfc: 'RFC 5321 §4.1.1.1',
    extension: null,
  },
  MAIL: {
    summary: 'Starts a mail transaction and gives the envelope sender, where bounces go.',
    syntax: 'MAIL FROM:<reverse-path> [parameters]',
    example: 'MAIL FROM:<alice@example.com>',
    rfc: 'RFC 5321 §4.1.1.2',
    extension: null,
  },
  RCPT: {
    summary: 'Adds one envelope recipient to the transaction; send one RCPT per recipient.',
    syntax: 'RCPT TO:<forward-path> [parameters]',
    example: 'RCPT TO:<bob@example.com>',
    rfc: 'RFC 5321 §4.1.1.3',
    extension: null,
  },
  DATA: {
    summary: 'Asks to send the message itself; after the 354 reply send headers, a blank line, the body, and a line with only ".".',
    syntax: 'DATA',
    example: 'DATA',
    rfc: 'RFC 5321 §4.1.1.4',
    extension: null,
  },
  RSET: {
    summary: 'Abandons the current mail transaction; the connection and greeting stay.',
    syntax: 'RSET',
    example: 'RSET',
    rfc: 'RFC 5321 §4.1.1.5',
    extension: null,
  },
  VRFY: {
    summary: 'Asks whether a user or mailbox exists; many servers will not say and answer 252.',
    syntax: 'VRFY <string>',
    example: 'VRFY alice',
    rfc: 'RFC 5321 §4.1.1.6',
    extension: null,
  },
  EXPN: {
    summary: 'Asks the server to list the members of a mailing list; most servers disable it for privacy.',
    syntax: 'EXPN <string>',
    example: 'EXPN staff',
    rfc: 'RFC 5321 §4.1.1.7',
    extension: null,
  },
  HELP: {
    summary: 'Asks the server for help text, optionally about one topic.',
    syntax: 'HELP [topic]',
    example: 'HELP MAIL',
    rfc: 'RFC 5321 §4.1.1.8',
    extension: null,
  },
  NOOP: {
    summary: 'Does nothing but get a 250 reply: a way to check the connection is alive.',
    syntax: 'NOOP [string]',
    example: 'NOOP',
    rfc: 'RFC 5321 §4.1.1.9',
    extension: null,
  },
  QUIT: {
    summary: 'Asks the server to reply 221 and close the connection.',
    syntax: 'QUIT',
    example: 'QUIT',
    rfc: 'RFC 5321 §4.1.1.10',
    extension: null,
  },
  AUTH: {
    summary: 'Logs in with a SASL mechanism that the server listed on its AUTH line after EHLO.',
    syntax: 'AUTH <mechanism> [initial-response]',
    example: 'AUTH PLAIN AGFsaWNlAHNlY3JldA==',
    rfc: 'RFC 4954 §4',
    extension: 'AUTH',
  },
  STARTTLS: {
    summary: 'Asks to switch this connection to TLS; after the handshake you greet again with EHLO.',
    syntax: 'STARTTLS',
    example: 'STARTTLS',
    rfc: 'RFC 3207 §4',
    extension: 'STARTTLS',
  },
  BDAT: {
    summary: 'Sends the next chunk of the message, of exactly the given size, instead of DATA; LAST marks the final chunk. ' +
      'Only a server that lists CHUNKING in its EHLO reply takes it.',
    syntax: 'BDAT <chunk-size> [LAST]',
    example: 'BDAT 86 LAST',
    rfc: 'RFC 3030 §2',
    extension: 'CHUNKING',
  },
};
