/** What the live sandbox process (`smtp-lab serve`) runs with, after defaults, env and flags. */

/** An SMTP server the bridge may connect to besides the sandbox. */
export interface AllowedTarget {
  readonly host: string;
  readonly port: number;
}

export interface ServerConfig {
  /** Where the web app, the JSON API and the `/ws` bridge listen. */
  readonly httpHost: string;
  readonly httpPort: number;
  /** Where the sandboxed smtp-server listens (plain, with STARTTLS). */
  readonly smtpHost: string;
  readonly smtpPort: number;
  /** Implicit-TLS SMTP (RFC 8314) on this port of `smtpHost`; null turns it off. */
  readonly smtpsPort: number | null;
  /** The SQLite database (unless `database` is set), the generated certificate and the DKIM keys live here. */
  readonly dataDir: string;
  /** A PostgreSQL URL: the store shared by several processes; null: SQLite in `dataDir`. */
  readonly database: string | null;
  /** Operator-supplied PEM key and certificate; both null means a generated self-signed pair. */
  readonly tlsKeyFile: string | null;
  readonly tlsCertFile: string | null;
  /** The sandbox's name in its greeting, EHLO reply and certificate. */
  readonly hostname: string;
  /** Extra live servers a learner may pick in the console (never a host the browser names). */
  readonly allowTargets: readonly AllowedTarget[];
  /** Browser origins allowed to open the WebSocket besides the app's own. */
  readonly allowedOrigins: readonly string[];
  /** More names the web app answers for, with any port (lower case; IPv6 in brackets). */
  readonly publicHosts: readonly string[];
  /**
   * Reverse proxies (their IP addresses) whose X-Forwarded-For names the client: requests from
   * them count against the per-address limits of the address they forward (server/http/client-address.ts).
   */
  readonly trustedProxies: readonly string[];
  /** SIZE: DATA larger than this gets 552. */
  readonly maxMessageSize: number;
  /** RCPT beyond this many per message gets 452. */
  readonly maxRecipients: number;
  /** Longest SMTP command line in bytes; longer lines end the session with 421. */
  readonly maxLineLength: number;
  /** Largest WebSocket message the bridge accepts, in bytes. */
  readonly wsMaxPayload: number;
  /** Concurrent SMTP connections, and separately bridge sessions, per client address. */
  readonly maxSessionsPerAddress: number;
  /** `session.send` messages per second a bridge session may send (bursts of twice that). */
  readonly commandsPerSecond: number;
  /** A session with no traffic for this long is closed (ms). */
  readonly idleTimeoutMs: number;
  /** A bridge session is closed after this long, busy or not (ms). */
  readonly sessionLifetimeMs: number;
  /** UTF-8 bytes a bridge session may send in all; the send past it closes the session. */
  readonly sessionDataBudget: number;
  /** Captured messages kept per namespace; the oldest are evicted beyond it. */
  readonly maxStoredMessages: number;
  /** smtp-server's maxClients: connections beyond it get 421 (bridge sessions count too). */
  readonly maxSmtpClients: number;
  /** Classroom mode: an instructor, students who join with a code, one namespace each. */
  readonly classroom: boolean;
  /** The domain of the students' class addresses (`<handle>@<classDomain>`). */
  readonly classDomain: string;
  /** Lab ms per real ms of the lab world's clock (60: one lab minute per real second). */
  readonly labClockSpeed: number;
  /** Lab ms a relayed message may wait in the outbound queue before it is bounced as expired. */
  readonly queueLifetimeMs: number;
  /** Outbound rows the relay worker has in flight at once (each one connection to a lab MX). */
  readonly relayConcurrency: number;
  /** Recipients waiting in one namespace's outbound queue; beyond it relayed recipients get 452 4.3.1 at RCPT. */
  readonly maxQueued: number;
}
