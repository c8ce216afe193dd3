/** The service extensions a server can advertise in its EHLO reply (RFC 5321 §4.1.1.1). */
import type { Reply } from './types.ts';

/** What each standard EHLO keyword offers, keyed by the keyword in upper case. */
export const EXTENSION_INFO: Readonly<Record<string, { summary: string; rfc: string }>> = {
  PIPELINING: {
    summary: 'you may send several commands (such as MAIL, RCPT and DATA) without waiting for each reply; the replies come back in order',
    rfc: 'RFC 2920',
  },
  '8BITMIME': {
    summary: 'the message body may contain 8-bit bytes; say so with BODY=8BITMIME on MAIL FROM',
    rfc: 'RFC 6152',
  },
  SMTPUTF8: {
    summary: 'addresses and header fields may contain UTF-8 (internationalized email); say so with SMTPUTF8 on MAIL FROM',
    rfc: 'RFC 6531',
  },
  SIZE: {
    summary: 'the number is the largest message in bytes the server accepts (0 means no fixed limit); you may declare your size with SIZE= on MAIL FROM',
    rfc: 'RFC 1870',
  },
  STARTTLS: {
    summary: 'you can turn on TLS encryption for this connection with the STARTTLS command',
    rfc: 'RFC 3207',
  },
  AUTH: {
    summary: 'you can log in with AUTH followed by one of the listed mechanisms, e.g. AUTH PLAIN',
    rfc: 'RFC 4954',
  },
  ENHANCEDSTATUSCODES: {
    summary: 'replies carry an enhanced status code such as 2.1.0 or 5.7.8 right after the reply code',
    rfc: 'RFC 2034, RFC 3463',
  },
  DSN: {
    summary: 'you can ask for delivery status notifications with NOTIFY and ORCPT on RCPT TO, and RET and ENVID on MAIL FROM',
    rfc: 'RFC 3461',
  },
  CHUNKING: {
    summary: 'you can send the message in sized chunks with BDAT instead of DATA, with no dot-stuffing',
    rfc: 'RFC 3030',
  },
  BINARYMIME: {
    summary: 'the message may contain binary data (BODY=BINARYMIME on MAIL FROM); it must then be sent with BDAT',
    rfc: 'RFC 3030',
  },
  REQUIRETLS: {
    summary: 'you may add REQUIRETLS to MAIL FROM to demand that the message only travel over TLS connections',
    rfc: 'RFC 8689',
  },
};

/**
 * Reads the extensions from an EHLO reply: keyword in upper case → its parameters, e.g.
 * "AUTH" → ["PLAIN", "LOGIN"], "SIZE" → ["10485760"]. The first line (the server's name and
 * greeting) is skipped; a keyword listed twice keeps its last parameters.
 */
export function parseEhloExtensions(reply: Reply): Map<string, string[]> {
  const extensions = new Map<string, string[]>();
  for (const text of reply.texts.slice(1)) {
    const [keyword, ...params] = text.trim().split(/\s+/);
    if (keyword) extensions.set(keyword.toUpperCase(), params);
  }
  return extensions;
}
