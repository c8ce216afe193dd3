/** The classroom's single values (JSON by key) and the instructor's sign-in sessions. */
import type { SqlDatabase } from '../storage/sql/sql-database.ts';

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
  readonly #db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  /** A stored value, or null when it was never set. */
  async get<K extends keyof ClassSettingValues>(key: K): Promise<ClassSettingValues[K] | null> {
    const row = await this.#db.get<{ value: string }>('SELECT value FROM class_settings WHERE key = ?', [key]);
    return row === undefined ? null : (JSON.parse(row.value) as ClassSettingValues[K]);
  }

  async set<K extends keyof ClassSettingValues>(key: K, value: ClassSettingValues[K]): Promise<void> {
    await this.#db.run('INSERT INTO class_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      JSON.stringify(value),
    ]);
  }

  /** Sets the value unless one is stored already (two processes starting at once keep the first); returns the stored one. */
  async setIfAbsent<K extends keyof ClassSettingValues>(key: K, value: ClassSettingValues[K]): Promise<ClassSettingValues[K]> {
    await this.#db.run('INSERT INTO class_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(value)]);
    return (await this.get(key)) ?? value;
  }

  async delete(key: keyof ClassSettingValues): Promise<void> {
    await this.#db.run('DELETE FROM class_settings WHERE key = ?', [key]);
  }

  /**
   * Deletes the value if it is still `expected` (compared as stored JSON); true when this call
   * deleted it, so of two processes racing with the same value only one wins.
   */
  async takeIf<K extends keyof ClassSettingValues>(key: K, expected: ClassSettingValues[K]): Promise<boolean> {
    const { changes } = await this.#db.run('DELETE FROM class_settings WHERE key = ? AND value = ?', [key, JSON.stringify(expected)]);
    return changes > 0;
  }

  /** Records a sign-in (by the hash of its cookie token) valid until `expiresAt` (ms). */
  async addInstructorSession(tokenHash: string, expiresAt: number): Promise<void> {
    await this.#db.run('DELETE FROM instructor_sessions WHERE expires_at <= ?', [Date.now()]);
    await this.#db.run('INSERT INTO instructor_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)', [tokenHash, Date.now(), expiresAt]);
  }

  /** Whether the sign-in with this token hash exists and has not expired. */
  async hasInstructorSession(tokenHash: string): Promise<boolean> {
    const row = await this.#db.get<{ expires_at: number }>('SELECT expires_at FROM instructor_sessions WHERE token_hash = ?', [tokenHash]);
    return row !== undefined && row.expires_at > Date.now();
  }

  async removeInstructorSession(tokenHash: string): Promise<void> {
    await this.#db.run('DELETE FROM instructor_sessions WHERE token_hash = ?', [tokenHash]);
  }
}
