/** Sorts SQLite's errors (better-sqlite3 puts SQLite's extended code on `code`) by what the caller can do about them. */

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Another connection holds the lock: nothing was written, the same write can succeed later. */
export function isBusy(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(error));
}

/**
 * The database will refuse every write, or read (damaged file, read-only, I/O error, disk
 * full): the server must stop accepting mail rather than answer 250 for messages it cannot keep.
 */
export function isBroken(error: unknown): boolean {
  return /^SQLITE_(CORRUPT|NOTADB|READONLY|IOERR|CANTOPEN|FULL|PERM)/.test(sqliteCode(error));
}
