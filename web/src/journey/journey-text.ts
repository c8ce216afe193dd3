/**
 * The journey in the learner's words: what each hop's outcome means, what each DNS question
 * was for and what came back, and the DSN state. Exact and short, after RFC 5321 (§4.4, §4.5.4,
 * §4.5.5, §5.1), 7505, 3464, 7208, 6376 and 7489.
 */
import type { DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import type { Journey, JourneyHop } from '../../../protocol/world/journey.ts';

type Outbound = Journey['outbound'][number];

/**
 * A message the sandbox handed to itself: its own writing (a DSN), filed in a mailbox of its
 * own domain. The journey records it as a submission from the sandbox's address to itself.
 */
export function writtenBySandbox(hop: JourneyHop): boolean {
  return hop.kind === 'submission' && hop.outcome === 'captured' && hop.from.ip !== null && hop.from.ip === hop.to.ip;
}

export function hopTitle(hop: JourneyHop): string {
  switch (hop.kind) {
    case 'submission':
      return writtenBySandbox(hop) ? 'Written by the sandbox' : 'Submission';
    case 'relay':
      return hop.attempt === null ? 'To the MX' : `To the MX · attempt ${hop.attempt}`;
    case 'delivery':
      return 'Into the mailbox';
  }
}

/** The outcome as a short label (on the pipeline) … */
export function outcomeLabel(hop: JourneyHop): string {
  const code = hop.reply?.match(/^[245]\d\d/)?.[0];
  switch (hop.outcome) {
    case 'captured':
      return writtenBySandbox(hop) ? 'filed locally' : 'captured, not relayed';
    case 'accepted':
      return 'accepted for relay';
    case 'delivered':
      return hop.kind === 'delivery' ? 'delivered' : `accepted${code === undefined ? '' : ` (${code})`}`;
    case 'temporary':
      return `deferred${code === undefined ? '' : ` (${code})`}`;
    case 'permanent':
      return `refused${code === undefined ? '' : ` (${code})`}`;
    case 'no-connection':
      return 'no connection';
    case 'no-route':
      return 'no route';
  }
}

/** … and what it means, in a sentence; `simulated`: the page relayed it, and nothing checked SPF, DKIM or DMARC. */
export function outcomeMeaning(hop: JourneyHop, simulated = false): string {
  switch (hop.outcome) {
    case 'captured':
      if (writtenBySandbox(hop)) {
        return `The sandbox (example.com's outbound MTA) wrote this message itself, as it writes a bounce (a DSN, RFC 3464), and filed it in ${hop.recipient ?? 'the mailbox'} of its own domain: no SMTP hop, no MX, and no SPF, DKIM or DMARC check.`;
      }
      return 'The sandbox kept this message and relayed nothing: no recipient was in a lab domain, so there was no MX to look up. A mail catcher stops here.';
    case 'accepted':
      return 'The sandbox (example.com\'s submission server and outbound MTA) took responsibility for the message and queued it for relay (RFC 5321 §6.1).';
    case 'delivered':
      if (hop.kind === 'delivery' && simulated) return 'The receiving MX (simulated in your browser) filed it in the recipient\'s mailbox, after adding its Received header (RFC 5321 §4.4).';
      return hop.kind === 'delivery'
        ? 'The receiving MX filed it in the recipient\'s mailbox, after adding a Received header (RFC 5321 §4.4) and Authentication-Results (RFC 8601).'
        : 'The MX replied 250 to the end of data: the message is its responsibility now (RFC 5321 §4.1.1.4, §6.1).';
    case 'temporary':
      return 'A 4xx reply (or no reply) is temporary: the sender keeps the message and tries the next MX, or the same ones later on its retry schedule (RFC 5321 §4.5.4.1).';
    case 'permanent':
      return `A 5xx reply is permanent: the sender stops trying and bounces the message with a DSN to the envelope sender (RFC 5321 §4.2.5, §6.1; RFC 3464).${
        /^5\d\d 5\.7\.\d+/.test(hop.reply ?? '') ? ' Status 5.7.x is a security or policy refusal (RFC 3463 §3.8), such as a DMARC reject.' : ''
      }`;
    case 'no-connection':
      return 'The sender could not connect to this host; like a 4xx, it tries the next MX or later (RFC 5321 §4.5.4.1).';
    case 'no-route':
      return 'No server takes mail for this domain: a null MX ("0 .", RFC 7505) or no MX and no address record (RFC 5321 §5.1). The sender makes no attempt and bounces at once.';
  }
}

export type OutcomeTone = 'good' | 'wait' | 'bad' | 'plain';

export function outcomeTone(hop: JourneyHop): OutcomeTone {
  if (hop.outcome === 'delivered' || hop.outcome === 'accepted') return 'good';
  if (hop.outcome === 'temporary' || hop.outcome === 'no-connection') return 'wait';
  if (hop.outcome === 'permanent' || hop.outcome === 'no-route') return 'bad';
  return 'plain';
}

/** "mx.example.net [198.51.100.20]", or what stands for a missing host. */
export function endpointText(endpoint: JourneyHop['from']): string {
  const host = endpoint.host ?? '(no host)';
  return endpoint.ip === null ? host : `${host} [${endpoint.ip}]`;
}

/** Lab time as the lab clock reads it (UTC), or a dash where only real time is known. */
export function labTimeText(ms: number | null): string {
  if (ms === null) return 'lab time not recorded';
  return `${new Date(ms).toISOString().slice(11, 19)} lab time`;
}

const DNS_ERRORS: Record<string, string> = {
  ENOTFOUND: 'no such name (NXDOMAIN)',
  ENODATA: 'the name exists, but has no record of this type (NODATA)',
  ETIMEOUT: 'no answer: the lookup timed out',
  ESERVFAIL: 'the DNS server failed (SERVFAIL)',
};

/** What a question was for: the sender's route, or the receiver's checks. */
export function lookupPurpose(lookup: DnsLookup): string {
  const name = lookup.name.toLowerCase();
  if (lookup.type === 'MX') return `Which servers take mail for ${lookup.name}, lowest preference first (RFC 5321 §5.1)`;
  if (lookup.type === 'A' || lookup.type === 'AAAA') return `The ${lookup.type === 'A' ? 'IPv4' : 'IPv6'} address of ${lookup.name}`;
  if (lookup.type === 'TXT' && name.startsWith('_dmarc.')) return `The DMARC policy of ${lookup.name.slice(7)} (RFC 7489 §6.1)`;
  if (lookup.type === 'TXT' && name.includes('._domainkey.')) return `The DKIM public key for selector ${lookup.name.split('._domainkey.')[0]} (RFC 6376 §3.6.2)`;
  if (lookup.type === 'TXT') return `The SPF record of ${lookup.name} (RFC 7208 §4.4)`;
  return `${lookup.type} of ${lookup.name}`;
}

/** The answer in presentation form, MX sorted by preference as the sender used it (ties were shuffled). */
export function lookupAnswer(lookup: DnsLookup): string[] {
  if ('error' in lookup) return [DNS_ERRORS[lookup.error] ?? lookup.error];
  const answer = lookup.answer;
  if (answer.length === 0) return ['(empty answer)'];
  return answer
    .map((item): { order: number; text: string } => {
      if (typeof item === 'string') return { order: 0, text: item };
      if (Array.isArray(item)) return { order: 0, text: item.join('') };
      return { order: item.priority, text: `${item.priority} ${item.exchange === '' ? '.' : item.exchange}` };
    })
    .sort((a, b) => a.order - b.order)
    .map((item) => item.text);
}

/** Whether a DSN went to the envelope sender, in words. */
export function dsnText(row: Outbound): string | null {
  if (row.state === 'queued' || row.state === 'in-flight') return `Waiting in the outbound queue${row.lastReply === null ? '' : `; last reply: ${row.lastReply}`}.`;
  if (row.state === 'delivered') return null;
  // The relay's own refusal for a domain outside the lab (protocol/world/outbound-plan.ts): no server said no.
  const notInLab = row.lastReply !== null && / no such domain in the lab$/.test(row.lastReply);
  const why = row.state === 'expired'
    ? 'It expired in the queue'
    : notInLab
      ? `It was never relayed: ${row.recipient.split('@').pop() ?? ''} is not a domain in the lab, and nothing leaves this machine (the sandbox keeps its copy)`
      : 'It was refused for good';
  if (row.dsn === 'none') return `${why}, and no DSN was sent: the envelope sender was null (<>), and a bounce is never bounced (RFC 5321 §4.5.5).`;
  return `${why}: a DSN (RFC 3464, multipart/report) ${row.dsn === 'sent' ? 'went' : 'is due'} to the envelope sender, not to the From address.`;
}
