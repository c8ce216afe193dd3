/** The classroom's single values (JSON by key) and the instructor's sign-in sessions. */
import type { Database } from 'better-sqlite3';

/** The keys of class_settings and what each holds. */
export interface ClassSettingValues {
  /** scrypt hash of the instructor's password (secrets.ts). */
  readonly instructorPassword: string;
  /** SHA-256 of the one-time setup secret; absent once the password is set. */
  readonly setupSecretHash: string;
  readonly joinCode: string;
  /** Lesson ids students may work on; null: all of them. */
  readonly openLessons: readonly string[] | null;
  readonly behaviours: unknown;
}

export class SettingsStore {
  readonly #get;
  readonly #set;
  readonly #delete;
  readonly #createSession;
  readonly #findSession;
  readonly #deleteSession;
  readonly #deleteExpired;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT value FROM class_settings WHERE key = ?');
    this.#set = db.prepare('INSERT INTO class_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#delete = db.prepare('DELETE FROM class_settings WHERE key = ?');
    this.#createSession = db.prepare('INSERT INTO instructor_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)');
    this.#findSession = db.prepare('SELECT expires_at FROM instructor_sessions WHERE token_hash = ?');
    this.#deleteSession = db.prepare('DELETE FROM instructor_sessions WHERE token_hash = ?');
    this.#deleteExpired = db.prepare('DELETE FROM instructor_sessions WHERE expires_at <= ?');
  }

  /** A stored value, or null when it was never set. */
  get<K extends keyof ClassSettingValues>(key: K): ClassSettingValues[K] | null {
    const row = this.#get.get(key) as { value: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.value) as ClassSettingValues[K]);
  }

  set<K extends keyof ClassSettingValues>(key: K, value: ClassSettingValues[K]): void {
    this.#set.run(key, JSON.stringify(value));
  }

  delete(key: keyof ClassSettingValues): void {
    this.#delete.run(key);
  }

  /** Records a sign-in (by the hash of its cookie token) valid until `expiresAt` (ms). */
  addInstructorSession(tokenHash: string, expiresAt: number): void {
    this.#deleteExpired.run(Date.now());
    this.#createSession.run(tokenHash, Date.now(), expiresAt);
  }

  /** Whether the sign-in with this token hash exists and has not expired. */
  hasInstructorSession(tokenHash: string): boolean {
    const row = this.#findSession.get(tokenHash) as { expires_at: number } | undefined;
    return row !== undefined && row.expires_at > Date.now();
  }

  removeInstructorSession(tokenHash: string): void {
    this.#deleteSession.run(tokenHash);
  }
}
