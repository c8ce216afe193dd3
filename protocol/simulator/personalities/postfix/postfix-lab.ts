/**
 * The lab Postfix's configuration (.ci/postfix-lab.sh) as data: its domains, users and limits.
 * Postfix's defaults unless the lab script sets them.
 */

/**
 * `mydestination = localhost, lab.test`: mail for these domains stays here, and for the
 * address literal of the one interface it listens on (`inet_interfaces = loopback-only`).
 */
export const POSTFIX_LOCAL_DOMAINS: readonly string[] = ['localhost', 'lab.test', '[127.0.0.1]'];

/** The domain of mydestination learners write to: alice@lab.test. */
export const POSTFIX_MAIL_DOMAIN = 'lab.test';

/**
 * `local_recipient_maps = proxy:unix:passwd.byname $alias_maps`: the aliases of /etc/aliases
 * (postmaster, alice, bob, carol) and the accounts of /etc/passwd. Of the latter we model the
 * accounts every Debian system has (base-passwd) plus postfix's own; a machine's extra
 * accounts (postgres, systemd-…) are left out on purpose, so the lab does not depend on them.
 */
export const POSTFIX_LOCAL_USERS: ReadonlySet<string> = new Set([
  'postmaster', 'alice', 'bob', 'carol',
  'root', 'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp',
  'proxy', 'www-data', 'backup', 'list', 'irc', '_apt', 'nobody', 'postfix',
]);

/** `recipient_delimiter = +`: alice+tag@lab.test is alice's. */
export const POSTFIX_RECIPIENT_DELIMITER = '+';

export const POSTFIX_LIMITS = {
  /** `message_size_limit`: advertised as SIZE and enforced at MAIL and end of data. */
  messageSize: 10_240_000,
  /** `smtpd_recipient_limit`. */
  recipients: 1000,
  /** `smtpd_hard_error_limit`: after this many error replies the server says 421 and hangs up. */
  hardErrors: 20,
} as const;

/** The EHLO keywords, in Postfix's order (no STARTTLS: the lab has no certificate; no AUTH: no SASL). */
export const POSTFIX_EHLO_KEYWORDS: readonly string[] = [
  'PIPELINING',
  `SIZE ${POSTFIX_LIMITS.messageSize}`,
  'VRFY',
  'ETRN',
  'ENHANCEDSTATUSCODES',
  '8BITMIME',
  'DSN',
  'SMTPUTF8',
  'CHUNKING',
];
