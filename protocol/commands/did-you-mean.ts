/** "Did you mean …?" suggestions for mistyped verbs and keywords. */

/** Longer words are not typos of a four- to eight-letter verb; skipping them keeps work bounded. */
const MAX_COMPARED_LENGTH = 12;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), so "RCTP"
 * is one edit from "RCPT". Case-insensitive.
 */
export function editDistance(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= y.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[x.length]?.[y.length] ?? Math.max(x.length, y.length);
}

/**
 * The candidate closest to `word` within a small distance (one edit for words of up to four
 * letters, two for longer ones), or null.
 */
export function closestWord<T extends string>(word: string, candidates: readonly T[]): T | null {
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return null;
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const limit = Math.min(word.length, candidate.length) <= 4 ? 1 : 2;
    const distance = editDistance(word, candidate);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
