/**
 * The instructor's account: a one-time setup secret printed at start, a password set with it
 * (kept as an scrypt hash), and sign-in sessions (random cookie tokens kept as SHA-256 hashes).
 */
import { hashPassword, hashToken, newToken, tokenMatches, verifyPassword } from './secrets.ts';
import type { SettingsStore } from './settings-store.ts';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
/** A sign-in lasts a school day and a bit. */
export const INSTRUCTOR_SESSION_SECONDS = 12 * 3600;

export type SetupResult = 'ok' | 'already_set_up' | 'wrong_secret';

export class InstructorAuth {
  readonly #settings: SettingsStore;

  constructor(settings: SettingsStore) {
    this.#settings = settings;
  }

  /** Whether the instructor has set a password. */
  async isSetUp(): Promise<boolean> {
    return (await this.#settings.get('instructorPassword')) !== null;
  }

  /**
   * Before the password is set: makes a new setup secret (the one printed by an earlier start
   * stops working) and returns it for the console. After: null.
   */
  async issueSetupSecret(): Promise<string | null> {
    if (await this.isSetUp()) return null;
    const secret = newToken();
    await this.#settings.set('setupSecretHash', hashToken(secret));
    return secret;
  }

  /**
   * Sets the password with the setup secret. The secret is used up (a delete that only one
   * caller can win, in any process) before the slow hashing starts, so two requests racing
   * with the same secret cannot both succeed.
   */
  async setUp(secret: string, password: string): Promise<SetupResult> {
    if (await this.isSetUp()) return 'already_set_up';
    const stored = await this.#settings.get('setupSecretHash');
    if (stored === null || !tokenMatches(secret, stored)) return 'wrong_secret';
    if (!(await this.#settings.takeIf('setupSecretHash', stored))) return 'wrong_secret';
    await this.#settings.set('instructorPassword', await hashPassword(password));
    return 'ok';
  }

  /** A new sign-in token when the password is right; null otherwise. */
  async signIn(password: string): Promise<string | null> {
    const stored = await this.#settings.get('instructorPassword');
    if (stored === null || !(await verifyPassword(password, stored))) return null;
    return this.startSession();
  }

  /** A new sign-in token (after setup, or a correct password). */
  async startSession(): Promise<string> {
    const token = newToken();
    await this.#settings.addInstructorSession(hashToken(token), Date.now() + INSTRUCTOR_SESSION_SECONDS * 1000);
    return token;
  }

  async isSignedIn(token: string | null): Promise<boolean> {
    return token !== null && (await this.#settings.hasInstructorSession(hashToken(token)));
  }

  async signOut(token: string | null): Promise<void> {
    if (token !== null) await this.#settings.removeInstructorSession(hashToken(token));
  }
}

/** Whether a new password is acceptable; the message says why not. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'Give the password as text.';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters for the password.`;
  if ([...password].length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters for the password.`;
  return null;
}
