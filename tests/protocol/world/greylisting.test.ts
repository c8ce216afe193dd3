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

  it('words the deferral like the receiving server', () => {
    expect(greylistReply('postfix', 'b@example.org')).toEqual({ code: 450, text: '4.2.0 <b@example.org>: Recipient address rejected: Greylisted' });
    expect(greylistReply('exim', 'b@example.org').code).toBe(451);
  });
});
