/**
 * Files only the server's own user may read: captured mail, the instructor's password hash
 * and the TLS key must not be readable by every account on a shared machine, whatever the
 * umask or the mode of a data directory someone made beforehand.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/** Creates `dir` (and missing parents) 0700; an existing directory keeps its mode (see dataDirWarning). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
}

/** Creates `file` if missing (in a private directory if that is missing too), then makes it 0600. */
export function createPrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  // 'a': never truncates an existing file. The mode is masked by the umask, hence the chmod.
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  chmodSync(file, PRIVATE_FILE);
}

/** Makes an existing file 0600; a missing one is fine. */
export function makePrivate(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** One line for the log when other users can read or write into `dir`, else null. */
export function dataDirWarning(dir: string): string | null {
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return (
    `warning: the data directory ${dir} is open to other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
    `its files are private, but consider: chmod 700 ${dir}`
  );
}
