/**
 * Sorts PostgreSQL's errors (pg puts the SQLSTATE on `code`, Node its socket errors) by what
 * the caller can do about them, as sqlite-errors.ts does for SQLite.
 */

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Socket errors of a connection to the server that went away or never came. */
const CONNECTION_LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * The same work can succeed later: the connection was lost or refused (a restart, a
 * failover), the server is starting or shutting down, too many connections, or the
 * transaction lost a lock or serialization conflict. All but one commit nothing; a connection
 * lost during COMMIT leaves the outcome unknown (it may have committed), so a retry may write
 * twice, never lose.
 */
export function isPostgresTransient(error: unknown): boolean {
  const code = codeOf(error);
  if (CONNECTION_LOST.has(code)) return true;
  // Class 08 connection exception; 57P01–57P03 shutdown and not-yet-started; 53300 too many
  // connections; 40001 serialization failure; 40P01 deadlock; 55P03 lock not available.
  if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || ['53300', '40001', '40P01', '55P03'].includes(code)) return true;
  // pg's own words when the server closes the connection under a query.
  return error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/.test(error.message);
}

/**
 * The database will refuse every write: disk full (53100), out of memory or other resources
 * (53xxx except too many connections), a read-only server (25006), no permission (42501),
 * damaged data (XX001, XX002).
 */
export function isPostgresBroken(error: unknown): boolean {
  const code = codeOf(error);
  return (/^53/.test(code) && code !== '53300') || ['25006', '42501', 'XX001', 'XX002'].includes(code);
}
