/**
 * RFC 5322 §3.3 date-time, read and written. Written small and by hand (no date library is
 * installed, and `Date.parse` accepts far more than the RFC and differs between engines).
 * Reading takes the obsolete forms of §4.3 too (two-digit years, named zones, no seconds), since
 * Received headers from old servers still carry them.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** RFC 5322 §4.3 obs-zone: the US zones have their offsets; UT and GMT are +0000. */
const NAMED_ZONES: Readonly<Record<string, number>> = {
  UT: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

export type DateReading =
  | { readonly ok: true; readonly epochMs: number; readonly offsetMinutes: number }
  | { readonly ok: false; readonly reason: string };

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** "Mon, 7 Dec 2026 14:32:40 +0000": the form RFC 5322 §3.3 asks writers to use (in UTC here). */
export function formatRfc5322Date(date: Date): string {
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join(':');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}

/** Removes (comments), nested ones included, e.g. the "(UTC)" Postfix writes after the zone. */
function withoutComments(text: string): string {
  let depth = 0;
  let out = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    else if (char === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += char;
  }
  return out;
}

/** §4.3: a two-digit year is 2000+ below 50, 1900+ otherwise; a three-digit year is 1900+. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  if (text.length === 3) return 1900 + year;
  return year;
}

function zoneOffset(zone: string): number | null {
  const numeric = /^([+-])(\d\d)(\d\d)$/.exec(zone);
  if (numeric !== null) {
    const [, sign = '+', hours = '0', minutes = '0'] = numeric;
    if (Number(minutes) > 59) return null;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  }
  const named = NAMED_ZONES[zone.toUpperCase()];
  if (named !== undefined) return named;
  // §4.3: military single letters other than Z carry no reliable meaning: read as -0000.
  return /^[A-IK-Za-ik-z]$/.test(zone) ? 0 : null;
}

const DATE_PATTERN =
  /^(?:([A-Za-z]{3})\s*,\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(\S+)$/;

/** Reads one date-time; a failure says which part is wrong, in words a learner can act on. */
export function parseRfc5322Date(text: string): DateReading {
  const match = DATE_PATTERN.exec(withoutComments(text).trim().replace(/\s+/g, ' '));
  if (match === null) return { ok: false, reason: `"${text.trim()}" is not a date in the form "Mon, 7 Dec 2026 14:32:40 +0000"` };
  const [, dayName, day = '', monthName = '', yearText = '', hour = '', minute = '', second = '0', zone = ''] = match;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === monthName.toLowerCase());
  if (month < 0) return { ok: false, reason: `"${monthName}" is not a month name (Jan … Dec)` };
  const offsetMinutes = zoneOffset(zone);
  if (offsetMinutes === null) return { ok: false, reason: `"${zone}" is not a time zone (write it as +hhmm or -hhmm)` };
  const year = fullYear(yearText);
  const [h, m, s] = [Number(hour), Number(minute), Number(second)];
  // 60 is a leap second (§3.3); Date folds it into the next minute, as readers do.
  if (h > 23 || m > 59 || s > 60) return { ok: false, reason: `${hour}:${minute}:${second} is not a time of day` };
  const local = Date.UTC(year, month, Number(day), h, m, s);
  const check = new Date(Date.UTC(year, month, Number(day)));
  if (check.getUTCMonth() !== month || check.getUTCDate() !== Number(day)) {
    return { ok: false, reason: `${monthName} ${year} has no day ${day}` };
  }
  if (dayName !== undefined && DAYS.every((name) => name.toLowerCase() !== dayName.toLowerCase())) {
    return { ok: false, reason: `"${dayName}" is not a day name (Mon … Sun)` };
  }
  return { ok: true, epochMs: local - offsetMinutes * 60_000, offsetMinutes };
}
