import { describe, expect, it } from 'vitest';
import { formatRfc5322Date, parseRfc5322Date } from '../../../protocol/mail/rfc5322-date.ts';

const epoch = (text: string): number | string => {
  const reading = parseRfc5322Date(text);
  return reading.ok ? reading.epochMs : reading.reason;
};

describe('parseRfc5322Date', () => {
  it('reads the RFC 5322 §3.3 form with its zone', () => {
    expect(epoch('Mon, 7 Dec 2026 14:32:40 +0000')).toBe(Date.UTC(2026, 11, 7, 14, 32, 40));
    expect(epoch('Sun, 01 Dec 2024 06:51:32 -0800')).toBe(Date.UTC(2024, 11, 1, 14, 51, 32));
    expect(epoch('Tue, 1 Jul 2025 09:00:00 +0530')).toBe(Date.UTC(2025, 6, 1, 3, 30, 0));
    expect(parseRfc5322Date('Tue, 1 Jul 2025 09:00:00 +0530')).toMatchObject({ offsetMinutes: 330 });
  });

  it("reads Postfix's space-padded day and the (UTC) comment after the zone", () => {
    expect(epoch('Mon,  7 Dec 2026 14:32:40 +0000 (UTC)')).toBe(Date.UTC(2026, 11, 7, 14, 32, 40));
  });

  it('reads the obsolete forms of §4.3: no day name, no seconds, two-digit years, named zones', () => {
    expect(epoch('7 Dec 2026 14:32 +0000')).toBe(Date.UTC(2026, 11, 7, 14, 32, 0));
    expect(epoch('Thu, 13 Feb 97 23:32:00 GMT')).toBe(Date.UTC(1997, 1, 13, 23, 32, 0));
    expect(epoch('Thu, 13 Feb 25 23:32:00 EST')).toBe(Date.UTC(2025, 1, 14, 4, 32, 0));
    expect(epoch('Thu, 13 Feb 2025 23:32:00 PDT')).toBe(Date.UTC(2025, 1, 14, 6, 32, 0));
  });

  it('says which part of a bad date is wrong', () => {
    expect(epoch('yesterday')).toMatch(/not a date in the form/);
    expect(epoch('Mon, 7 Dex 2026 14:32:40 +0000')).toMatch(/"Dex" is not a month name/);
    expect(epoch('Mon, 31 Feb 2026 14:32:40 +0000')).toMatch(/Feb 2026 has no day 31/);
    expect(epoch('Mon, 7 Dec 2026 25:32:40 +0000')).toMatch(/not a time of day/);
    expect(epoch('Mon, 7 Dec 2026 14:32:40 CEST')).toMatch(/"CEST" is not a time zone/);
    expect(epoch('Mon, 7 Dec 2026 14:32:40 +0099')).toMatch(/not a time zone/);
    expect(epoch('Xyz, 7 Dec 2026 14:32:40 +0000')).toMatch(/"Xyz" is not a day name/);
  });
});

describe('formatRfc5322Date', () => {
  it('writes UTC in the preferred form and reads back to the same instant', () => {
    const date = new Date(Date.UTC(2026, 0, 5, 3, 4, 5));
    expect(formatRfc5322Date(date)).toBe('Mon, 5 Jan 2026 03:04:05 +0000');
    expect(epoch(formatRfc5322Date(date))).toBe(date.getTime());
  });
});
