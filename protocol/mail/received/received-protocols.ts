/**
 * What the `with` word of a Received field says about a hop (RFC 3848, the IANA "Mail
 * Transmission Types"): whether the client used ESMTP, TLS (the S) and authentication (the A).
 */

export interface WithMeaning {
  readonly tls: boolean;
  readonly authenticated: boolean;
  readonly text: string;
}

const TYPES: Readonly<Record<string, WithMeaning>> = {
  SMTP: { tls: false, authenticated: false, text: 'plain SMTP: the client said HELO' },
  ESMTP: { tls: false, authenticated: false, text: 'the client said EHLO; no TLS, no login' },
  ESMTPA: { tls: false, authenticated: true, text: 'EHLO and a login (AUTH), no TLS' },
  ESMTPS: { tls: true, authenticated: false, text: 'EHLO over TLS (STARTTLS), no login' },
  ESMTPSA: { tls: true, authenticated: true, text: 'EHLO over TLS with a login: how a mail app submits' },
  LMTP: { tls: false, authenticated: false, text: 'LMTP: handed to the mailbox store' },
  LMTPA: { tls: false, authenticated: true, text: 'LMTP with a login' },
  LMTPS: { tls: true, authenticated: false, text: 'LMTP over TLS' },
  LMTPSA: { tls: true, authenticated: true, text: 'LMTP over TLS with a login' },
  UTF8SMTP: { tls: false, authenticated: false, text: 'ESMTP with international addresses (SMTPUTF8)' },
  UTF8SMTPS: { tls: true, authenticated: false, text: 'ESMTP with international addresses, over TLS' },
  UTF8SMTPA: { tls: false, authenticated: true, text: 'ESMTP with international addresses and a login' },
  UTF8SMTPSA: { tls: true, authenticated: true, text: 'ESMTP with international addresses, over TLS with a login' },
  HTTP: { tls: false, authenticated: false, text: 'HTTP: submitted through a web or API interface' },
  HTTPS: { tls: true, authenticated: false, text: 'HTTPS: submitted through a web or API interface' },
};

/** The registered type's meaning (case-insensitive, as Exim writes "esmtps"), or null for a server's own words. */
export function withMeaning(protocol: string): WithMeaning | null {
  return TYPES[protocol.toUpperCase()] ?? null;
}
