/** Greylisting on the lab clock: delay per triplet, the retry window, and a bounded table. */
import { describe, expect, it } from 'vitest';
import { GreylistTriplets, greylistReply } from '../../../protocol/world/greylisting.ts';

const MINUTE = 60_000;

describe('GreylistTriplets', () => {
  it('defers a triplet until the delay has passed, per IP, sender and recipient', () => {
    let now = 0;
    const greylist = new GreylistTriplets({ now: () => now });
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(false);
    now = 4 * MINUTE;
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(false);
    expect(greylist.admits('192.0.2.11', 'a@example.com', 'b@example.org')).toBe(false);
    now = 5 * MINUTE;
    expect(greylist.admits('192.0.2.10', 'A@example.com', 'B@example.org')).toBe(true);
    expect(greylist.admits('192.0.2.11', 'a@example.com', 'b@example.org')).toBe(false);
  });

  it('starts over for a triplet not retried within the retry window', () => {
    let now = 0;
    const greylist = new GreylistTriplets({ now: () => now, retryWindowMs: 60 * MINUTE });
    greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org');
    now = 61 * MINUTE;
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(false);
    now += 5 * MINUTE;
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(true);
  });

  it('remembers at most maxEntries triplets, forgetting the oldest first', () => {
    const greylist = new GreylistTriplets({ now: () => 0, maxEntries: 3 });
    for (let n = 0; n < 10; n++) greylist.admits('192.0.2.10', `s${n}@example.com`, 'b@example.org');
    expect(greylist.size).toBe(3);
  });

  it('tells onFirstSeen of each triplet it starts counting from, and never of a retry', () => {
    let now = 0;
    const seen: unknown[] = [];
    const greylist = new GreylistTriplets({ now: () => now, onFirstSeen: (triplet) => seen.push(triplet) });
    greylist.admits('ana 192.0.2.10', 'A@example.com', 'B@example.org');
    now = 5 * MINUTE;
    greylist.admits('ana 192.0.2.10', 'a@example.com', 'b@example.org');
    expect(seen).toEqual([{ ip: 'ana 192.0.2.10', sender: 'a@example.com', recipient: 'b@example.org', firstSeen: 0 }]);
  });

  it('admits a retry another greylist saw first, counting from the earliest attempt within the window', () => {
    let now = 10 * MINUTE;
    const greylist = new GreylistTriplets({ now: () => now, retryWindowMs: 60 * MINUTE });
    // Seen elsewhere 6 minutes ago: this first attempt here is a retry.
    greylist.remember({ ip: '192.0.2.10', sender: 'a@example.com', recipient: 'b@example.org', firstSeen: 4 * MINUTE });
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(true);
    // A later sighting elsewhere does not push the start back.
    greylist.remember({ ip: '192.0.2.10', sender: 'a@example.com', recipient: 'b@example.org', firstSeen: 9 * MINUTE });
    expect(greylist.admits('192.0.2.10', 'a@example.com', 'b@example.org')).toBe(true);
    // One past the retry window is forgotten, not remembered.
    now = 200 * MINUTE;
    greylist.remember({ ip: '192.0.2.10', sender: 'c@example.com', recipient: 'b@example.org', firstSeen: 100 * MINUTE });
    expect(greylist.admits('192.0.2.10', 'c@example.com', 'b@example.org')).toBe(false);
  });

  it('words the deferral like the receiving server', () => {
    expect(greylistReply('postfix', 'b@example.org')).toEqual({ code: 450, text: '4.2.0 <b@example.org>: Recipient address rejected: Greylisted' });
    expect(greylistReply('exim', 'b@example.org').code).toBe(451);
  });
});
