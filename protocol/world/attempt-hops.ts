/**
 * One relay attempt as Journey hops, the same from the lab server's stored attempts and from
 * the page's simulated relay: one hop per MX tried (the MX lookups on the first, made once
 * before any host was tried), or one `no-route` hop when the route had no host to try.
 */
import type { PersonalityName } from '../sandbox-config.ts';
import type { HopLine, HopOutcome } from './hop-conversation.ts';
import type { JourneyHop } from './journey.ts';
import type { DnsLookup } from './lab-resolver.ts';

/** One MX host tried in an attempt: its conversation, or no connection at all. */
export interface HopTry {
  readonly host: string;
  readonly ip: string;
  readonly transcript: readonly HopLine[];
  readonly outcome: HopOutcome | { readonly kind: 'no-connection'; readonly reply: string };
}

export interface RelayAttempt {
  readonly recipient: string;
  readonly attempt: number;
  /** Lab ms. */
  readonly startedAt: number;
  /** The sending hop (the sandbox, or a forwarder). */
  readonly from: JourneyHop['from'];
  readonly lookups: readonly DnsLookup[];
  readonly tries: readonly HopTry[];
  /** The attempt's last word: what a route with no host to try says. */
  readonly reply: string;
  /** The personality of a lab host, by name; null for a name that is none. */
  readonly personalityOf: (hostName: string) => PersonalityName | null;
}

export function attemptHops(attempt: RelayAttempt): JourneyHop[] {
  const { recipient, from, startedAt } = attempt;
  if (attempt.tries.length === 0) {
    return [{ kind: 'relay', recipient, attempt: attempt.attempt, from, to: { host: null, ip: null }, personality: null, lookups: [...attempt.lookups], transcript: [], outcome: 'no-route', reply: attempt.reply, labTime: startedAt }];
  }
  return attempt.tries.map((hopTry, index): JourneyHop => ({
    kind: 'relay',
    recipient,
    attempt: attempt.attempt,
    from,
    to: { host: hopTry.host, ip: hopTry.ip },
    personality: attempt.personalityOf(hopTry.host),
    // The MX lookups were made once, before the first host was tried.
    lookups: index === 0 ? [...attempt.lookups] : [],
    transcript: [...hopTry.transcript],
    outcome: hopTry.outcome.kind,
    reply: hopTry.outcome.reply,
    labTime: hopTry.transcript[0]?.at ?? startedAt,
  }));
}
