/**
 * Greylisting as a receiving MX practises it (RFC 6647 §2.1): the first attempt of a triplet
 * (sending IP, MAIL FROM, RCPT TO) is deferred with a 4xx; a retry of the same triplet after
 * a minimum delay is accepted. Time is the lab clock (ms), injected, so the lab can run it
 * fast and tests need no waiting. Bounded: a capped table whose oldest entries go first, and
 * entries older than the retry window are forgotten (postgrey's defaults: 5 minutes, 2 days).
 * Several processes share what they saw through `onFirstSeen` and `remember` (the server keeps
 * the triplets in its database), so a retry that reaches another process passes as well.
 */
import type { PersonalityName } from '../sandbox-config.ts';

/** postgrey's `--delay` default: a retry sooner than this is deferred again. */
export const GREYLIST_DELAY_MS = 5 * 60 * 1000;
/** postgrey's `--retry-window` default: a triplet not retried within it starts over. */
export const GREYLIST_RETRY_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
/** The most triplets remembered at once; the oldest is forgotten first. */
export const GREYLIST_MAX_ENTRIES = 10_000;

/** A triplet and when the greylist started counting from it (lab ms). */
export interface SeenTriplet {
  readonly ip: string;
  readonly sender: string;
  readonly recipient: string;
  readonly firstSeen: number;
}

export interface GreylistOptions {
  /** The lab clock, in ms. */
  readonly now: () => number;
  readonly delayMs?: number;
  readonly retryWindowMs?: number;
  readonly maxEntries?: number;
  /** Told of each triplet it starts counting from (a first attempt, or one past the retry window). */
  readonly onFirstSeen?: (triplet: SeenTriplet) => void;
}

export class GreylistTriplets {
  /** Triplet → when it was first seen (lab ms); insertion order is age order. */
  readonly #firstSeen = new Map<string, number>();
  readonly #now: () => number;
  readonly #delayMs: number;
  readonly #retryWindowMs: number;
  readonly #maxEntries: number;
  readonly #onFirstSeen: ((triplet: SeenTriplet) => void) | undefined;

  constructor(options: GreylistOptions) {
    this.#onFirstSeen = options.onFirstSeen;
    this.#now = options.now;
    this.#delayMs = options.delayMs ?? GREYLIST_DELAY_MS;
    this.#retryWindowMs = options.retryWindowMs ?? GREYLIST_RETRY_WINDOW_MS;
    this.#maxEntries = options.maxEntries ?? GREYLIST_MAX_ENTRIES;
  }

  /** How many triplets are remembered. */
  get size(): number {
    return this.#firstSeen.size;
  }

  /** True when this attempt may pass: the triplet was first seen at least the delay ago. */
  admits(ip: string, sender: string, recipient: string): boolean {
    const now = this.#now();
    const key = tripletKey(ip, sender, recipient);
    const first = this.#firstSeen.get(key);
    if (first !== undefined && now - first <= this.#retryWindowMs) return now - first >= this.#delayMs;
    this.#firstSeen.delete(key);
    this.#forgetOld(now);
    this.#firstSeen.set(key, now);
    this.#onFirstSeen?.({ ip, sender: sender.toLowerCase(), recipient: recipient.toLowerCase(), firstSeen: now });
    return false;
  }

  /**
   * What another process saw: taken when this greylist knows nothing of the triplet or saw it
   * later (one shared greylist would count from the earliest attempt); ignored past the window.
   */
  remember(triplet: SeenTriplet): void {
    const now = this.#now();
    if (now - triplet.firstSeen > this.#retryWindowMs) return;
    const key = tripletKey(triplet.ip, triplet.sender, triplet.recipient);
    const known = this.#firstSeen.get(key);
    if (known !== undefined && known <= triplet.firstSeen && now - known <= this.#retryWindowMs) return;
    this.#firstSeen.delete(key);
    this.#forgetOld(now);
    this.#firstSeen.set(key, triplet.firstSeen);
  }

  /** Drops entries past the retry window, then the oldest while the table is full. */
  #forgetOld(now: number): void {
    for (const [key, first] of this.#firstSeen) {
      if (now - first <= this.#retryWindowMs && this.#firstSeen.size < this.#maxEntries) break;
      this.#firstSeen.delete(key);
    }
  }
}

function tripletKey(ip: string, sender: string, recipient: string): string {
  return `${ip}\n${sender.toLowerCase()}\n${recipient.toLowerCase()}`;
}

/**
 * The deferral in the receiving server's words. Greylisting is an add-on, not part of these
 * servers: Postfix's is postgrey's reply (its help URL left out, the lab has no web);
 * Exim has none built in (the ACL's `defer message` is the administrator's text): the
 * common wording with Exim's 451; Exchange and Gmail publish no greylisting reply, so they
 * get the same generic one.
 */
export function greylistReply(personality: PersonalityName, recipient: string): { code: number; text: string } {
  if (personality === 'postfix') return { code: 450, text: `4.2.0 <${recipient}>: Recipient address rejected: Greylisted` };
  return { code: 451, text: '4.7.1 Greylisted, please try again later' };
}
