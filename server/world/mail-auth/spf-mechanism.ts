/**
 * Which SPF mechanism decided (RFC 7208 §4.6.2: the first that matches). mailauth's `spf()`
 * reports the result but not the mechanism, so its own evaluator runs again over the answers
 * the first run already received (`AnswerCache`): the same code on the same data, with no new
 * DNS question. If the replay would need an answer the first run never asked for (it stopped
 * at an error), there is no mechanism to report.
 */
import { spfVerify, type SpfMatch } from 'mailauth/lib/spf/spf-verify.js';

type Resolve = (name: string, rrtype: string) => Promise<unknown>;

/** Every answer (or error) the wrapped resolver gave, so a replay asks nothing new. */
export interface AnswerCache {
  readonly resolve: Resolve;
  readonly replay: Resolve;
}

const key = (name: string, rrtype: string) => `${name.toLowerCase().replace(/\.$/, '')} ${rrtype.toUpperCase()}`;

class NotAskedBefore extends Error {}

export function cacheAnswers(resolver: Resolve): AnswerCache {
  const answers = new Map<string, Promise<unknown>>();
  const resolve: Resolve = (name, rrtype) => {
    const k = key(name, rrtype);
    const known = answers.get(k);
    if (known !== undefined) return known;
    const asked = resolver(name, rrtype);
    answers.set(k, asked);
    return asked;
  };
  const replay: Resolve = async (name, rrtype) => {
    const known = answers.get(key(name, rrtype));
    if (known === undefined) throw new NotAskedBefore(`${name} ${rrtype}`);
    try {
      return await known;
    } catch (error) {
      // mailauth's lookup limiter turns "no such record" into an empty answer for mechanisms.
      const code = (error as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
      throw error;
    }
  };
  return { resolve, replay };
}

/**
 * `ip4:192.0.2.10`, `-all`, `include:_spf.example.net (ip4:198.51.100.0/24)`; for `a` and `mx`
 * mailauth gives the host whose address matched, shown in brackets: `mx (mx.example.net)`.
 */
function describe(match: SpfMatch): string | null {
  if (match.type === undefined) return null;
  const qualifier = match.qualifier === '+' || match.qualifier === undefined ? '' : match.qualifier;
  const host = match.type === 'a' || match.type === 'mx';
  const value = match.val === undefined ? '' : host ? ` (${match.val})` : match.val.startsWith('/') ? match.val : `:${match.val}`;
  const written = `${qualifier}${match.type}${value}`;
  const inner = match.include === undefined ? null : describe(match.include);
  return inner === null ? written : `${written} (${inner})`;
}

export interface SpfQuestion {
  readonly domain: string;
  readonly sender: string;
  readonly ip: string;
  readonly helo: string;
  readonly mta: string;
}

/** The deciding mechanism as written, or null (no match: the default `?all`, or an error stopped the check). */
export async function matchedMechanism(question: SpfQuestion, cache: AnswerCache): Promise<string | null> {
  try {
    const match = await spfVerify(question.domain, { ...question, resolver: cache.replay, createSubResolver: () => cache.replay });
    return match === false ? null : describe(match);
  } catch {
    return null;
  }
}
