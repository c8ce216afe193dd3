import { describe, expect, it } from 'vitest';
import { ConnectionRate, RATE_WINDOW_MS } from '../../../protocol/world/connection-rate.ts';

describe('connection rate per sender (lab time)', () => {
  it('admits `limit` connections in a sliding lab minute, refuses the next without counting it, and admits again as old ones age out', () => {
    const rate = new ConnectionRate();
    expect([0, 10, 20].map((at) => rate.admit('a', 2, at))).toEqual([true, true, false]);
    expect(rate.admit('b', 2, 20)).toBe(true);
    expect(rate.admit('a', 2, RATE_WINDOW_MS - 1)).toBe(false);
    expect(rate.admit('a', 2, RATE_WINDOW_MS)).toBe(true);
    expect(rate.admit('a', 2, RATE_WINDOW_MS + 5)).toBe(false);
    expect(rate.admit('a', 2, RATE_WINDOW_MS + 10)).toBe(true);
  });

  it('remembers at most its cap of senders, forgetting the least recently seen', () => {
    const rate = new ConnectionRate(3);
    for (const sender of ['a', 'b', 'c', 'd', 'e']) rate.admit(sender, 1, 0);
    expect(rate.size).toBe(3);
    // a was forgotten: it starts over; e is still counted.
    expect(rate.admit('a', 1, 1)).toBe(true);
    expect(rate.admit('e', 1, 1)).toBe(false);
  });
});
