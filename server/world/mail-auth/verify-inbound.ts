/**
 * What a receiving lab MX checks when a message arrives: mailauth's `authenticate()` (SPF, DKIM,
 * DMARC) with the lab resolver and the connection as the receiver saw it. `ip`, `helo`, `sender`
 * and `mta` are always given, so mailauth never reads `os.hostname()`, never trusts a Received
 * header, and never falls back to `node:dns`. The result is read into the learner-oriented,
 * JSON-serialisable `InboundAuthentication` the journey shows.
 */
import { authenticate } from 'mailauth';
import type {
  DkimResult,
  DkimSignatureVerdict,
  DkimVerdict,
  DmarcPolicy,
  DmarcResult,
  DmarcVerdict,
  InboundAuthentication,
  SpfResult,
  SpfVerdict,
} from '../../../protocol/world/auth-verdicts.ts';
import type { LabResolver } from '../../../protocol/world/lab-resolver.ts';
import { cacheAnswers, matchedMechanism } from './spf-mechanism.ts';

export interface InboundConnection {
  /** The sending hop's lab IP: what SPF checks. */
  readonly ip: string;
  /** Its EHLO/HELO name. */
  readonly helo: string;
  /** MAIL FROM without the brackets; '' for the null sender `<>` (SPF then checks the HELO name). */
  readonly sender: string;
  /** The receiving host's name: the authserv-id of Authentication-Results. */
  readonly mta: string;
  readonly resolver: LabResolver;
}

/** The parts of mailauth 4.13's `authenticate()` result read here (its declared types are looser). */
interface MailauthSpf {
  readonly domain: string;
  readonly 'envelope-from'?: string;
  readonly helo?: string;
  readonly rr?: string;
  readonly status: { readonly result: SpfResult; readonly comment?: string };
  readonly lookups?: { readonly count: number; readonly limit: number; readonly void: number };
}
interface MailauthDkim {
  readonly signingDomain?: string;
  readonly selector?: string;
  readonly algo?: string;
  readonly format?: string;
  readonly bodyHash?: string;
  readonly bodyHashExpecting?: string;
  readonly signingHeaders?: { readonly keys: string };
  readonly status: { readonly result: string; readonly comment?: string; readonly aligned?: string | false };
}
interface MailauthDmarc {
  readonly status: { readonly result: 'pass' | 'fail' | 'none' | 'temperror'; readonly header?: { readonly from?: string; readonly d?: string } };
  readonly domain: string;
  readonly rr?: string;
  readonly policy?: DmarcPolicy;
  readonly p?: DmarcPolicy;
  readonly sp?: DmarcPolicy;
  readonly pct?: number;
  readonly alignment?: {
    readonly spf: { readonly result?: string | false; readonly strict: boolean };
    readonly dkim: { readonly result?: string | false; readonly strict: boolean };
  };
}
export interface MailauthOutcome {
  readonly spf: MailauthSpf;
  readonly dkim: { readonly results: readonly MailauthDkim[]; readonly headerFrom?: readonly string[] };
  readonly dmarc: MailauthDmarc | false;
  readonly headers: string;
}

/** mailauth's raw outcome and our reading of it: the journey stores `authentication`; tests compare both. */
export interface InboundVerification {
  readonly mailauth: MailauthOutcome;
  readonly authentication: InboundAuthentication;
}

export async function verifyInbound(raw: Buffer | string, connection: InboundConnection): Promise<InboundVerification> {
  const answers = cacheAnswers(connection.resolver);
  const options = {
    ip: connection.ip,
    helo: connection.helo,
    sender: connection.sender,
    mta: connection.mta,
    resolver: answers.resolve,
    trustReceived: false,
    // ARC and BIMI are not taught here; BIMI would add logo lookups to every journey's DNS steps.
    disableArc: true,
    disableBimi: true,
  };
  // mailauth's declared resolver type lacks MX answers; the lab resolver answers like dns.promises.resolve.
  const outcome = (await authenticate(raw, options as unknown as Parameters<typeof authenticate>[1])) as unknown as MailauthOutcome;
  const spf = await readSpf(outcome.spf, connection, answers);
  const dkim = readDkim(outcome.dkim.results);
  const dmarc = readDmarc(outcome.dmarc, outcome.dkim.headerFrom, spf, dkim);
  return {
    mailauth: outcome,
    authentication: {
      receiver: connection.mta,
      connection: { ip: connection.ip, helo: connection.helo, sender: connection.sender },
      spf,
      dkim,
      dmarc,
      authenticationResults: authenticationResultsHeader(outcome.headers),
    },
  };
}

async function readSpf(spf: MailauthSpf, connection: InboundConnection, answers: ReturnType<typeof cacheAnswers>): Promise<SpfVerdict> {
  const decided = ['pass', 'fail', 'softfail', 'neutral'].includes(spf.status.result);
  const mechanism = decided
    ? await matchedMechanism({ domain: spf.domain, sender: spf['envelope-from'] ?? connection.sender, ip: connection.ip, helo: spf.helo ?? connection.helo, mta: connection.mta }, answers)
    : null;
  return {
    result: spf.status.result,
    domain: spf.domain,
    identity: connection.sender === '' ? 'helo' : 'mailfrom',
    record: spf.rr ?? null,
    mechanism,
    lookups: { count: spf.lookups?.count ?? 0, limit: spf.lookups?.limit ?? 10, void: spf.lookups?.void ?? 0 },
    explanation: spf.status.comment ?? spf.status.result,
  };
}

/**
 * RFC 6376 §6.1 and RFC 8601 §2.7.1 for mailauth's labels: a body hash that does not match and
 * a bad signature are failed verifications (`fail`); no key at the selector is a permanent error;
 * mailauth calls the first and the second `neutral`.
 */
function rfcDkimResult(status: MailauthDkim['status'], bodyHashMatches: boolean): DkimResult {
  if (!bodyHashMatches) return 'fail';
  switch (status.result) {
    case 'pass':
    case 'fail':
    case 'policy':
    case 'temperror':
      return status.result;
    case 'neutral':
      return status.comment === 'no key' || status.comment?.startsWith('unknown key') || status.comment === 'invalid public key' ? 'permerror' : 'neutral';
    default:
      return 'none';
  }
}

const DKIM_RANK: readonly DkimResult[] = ['pass', 'fail', 'policy', 'temperror', 'permerror', 'neutral', 'none'];

function readDkim(results: readonly MailauthDkim[]): DkimVerdict {
  // Without any DKIM-Signature mailauth still returns one row, with no signing domain.
  const signatures = results.filter((row) => row.signingDomain !== undefined).map(readSignature);
  const best = signatures.map((s) => s.rfcResult).sort((a, b) => DKIM_RANK.indexOf(a) - DKIM_RANK.indexOf(b))[0];
  return { result: best ?? 'none', signatures };
}

function readSignature(row: MailauthDkim): DkimSignatureVerdict {
  const matches = row.bodyHash !== undefined && row.bodyHash === row.bodyHashExpecting;
  const result = row.status.result;
  return {
    domain: row.signingDomain ?? '',
    selector: row.selector ?? '',
    algorithm: row.algo ?? '',
    canonicalization: row.format ?? 'simple/simple',
    signedHeaders: (row.signingHeaders?.keys ?? '').split(':').map((name) => name.trim()).filter((name) => name !== ''),
    bodyHash: { matches, expected: row.bodyHashExpecting ?? '', computed: row.bodyHash ?? '' },
    // mailauth checks the signature only after the body hash matched and the key was found.
    signature: result === 'pass' ? 'pass' : result === 'fail' ? 'fail' : 'not-checked',
    mailauth: { result, comment: row.status.comment ?? null },
    rfcResult: rfcDkimResult(row.status, matches),
    alignedWithFrom: typeof row.status.aligned === 'string',
  };
}

/**
 * RFC 7489 §3.1: strict alignment (aspf=s, adkim=s) needs the authenticated domain to equal the
 * From domain exactly. mailauth 4.13's getAlignment treats its options object as "strict" and
 * then falls back to organizational domains anyway, so it never applies strict mode; relaxed
 * alignment (organizational domains equal) it gets right, and that answer is kept.
 */
function aligned(mode: 'r' | 's', mailauthAligned: string | null, passedDomains: readonly string[], fromDomain: string): string | null {
  if (mode === 'r') return mailauthAligned;
  return passedDomains.find((domain) => domain.toLowerCase() === fromDomain) ?? null;
}

function readDmarc(dmarc: MailauthDmarc | false, headerFrom: readonly string[] | undefined, spf: SpfVerdict, dkim: DkimVerdict): DmarcVerdict {
  const fromDomain = (headerFrom?.[0] ?? '').split('@').pop()?.toLowerCase() ?? '';
  if (dmarc === false) {
    const why = (headerFrom?.length ?? 0) > 1
      ? 'The message has more than one From address, so there is no single domain to check DMARC for (RFC 7489 §6.6.1).'
      : 'The message has no From address, so there is no domain to check DMARC for.';
    return emptyDmarc('none', 'none', fromDomain, fromDomain, why);
  }
  const organizationalDomain = dmarc.domain;
  if (dmarc.status.result === 'none' || dmarc.status.result === 'temperror' || dmarc.p === undefined) {
    const why = dmarc.status.result === 'temperror'
      ? `The DMARC record of ${fromDomain} could not be fetched (DNS did not answer): temperror.`
      : `Neither ${fromDomain} nor ${organizationalDomain} publishes a DMARC record at _dmarc: no policy applies.`;
    const result = dmarc.status.result === 'temperror' ? 'temperror' : 'none';
    return emptyDmarc(result, result, fromDomain, organizationalDomain, why);
  }
  const spfMode = dmarc.alignment?.spf.strict ? 's' : 'r';
  const dkimMode = dmarc.alignment?.dkim.strict ? 's' : 'r';
  const spfPassed = spf.result === 'pass' ? [spf.domain] : [];
  const dkimPassed = dkim.signatures.filter((signature) => signature.rfcResult === 'pass').map((signature) => signature.domain);
  const spfAligned = aligned(spfMode, dmarc.alignment?.spf.result || null, spfPassed, fromDomain);
  const dkimAligned = aligned(dkimMode, dmarc.alignment?.dkim.result || null, dkimPassed, fromDomain);
  const policy = dmarc.policy ?? dmarc.p;
  const pass = spfAligned !== null || dkimAligned !== null;
  const strictNote = pass !== (dmarc.status.result === 'pass') ? ' (mailauth 4.13 reports pass: it does not apply strict alignment.)' : '';
  return {
    result: pass ? 'pass' : 'fail',
    mailauthResult: dmarc.status.result,
    fromDomain,
    organizationalDomain,
    record: dmarc.rr ?? null,
    p: dmarc.p,
    sp: dmarc.sp ?? dmarc.p,
    policy,
    pct: dmarc.pct ?? 100,
    alignment: { spfMode, dkimMode, spfAligned, dkimAligned },
    explanation: pass
      ? `DMARC passes: ${[spfAligned && `SPF passed for ${spfAligned}`, dkimAligned && `DKIM passed for d=${dkimAligned}`].filter(Boolean).join(' and ')}, aligned with From ${fromDomain}. One aligned pass is enough.`
      : `DMARC fails: neither an SPF pass nor a DKIM pass is aligned with From ${fromDomain}; the policy is p=${policy}.${strictNote}`,
  };
}

function emptyDmarc(result: 'none' | 'temperror', mailauthResult: DmarcResult, fromDomain: string, organizationalDomain: string, explanation: string): DmarcVerdict {
  return {
    result,
    mailauthResult,
    fromDomain,
    organizationalDomain,
    record: null,
    p: null,
    sp: null,
    policy: null,
    pct: 100,
    alignment: { spfMode: 'r', dkimMode: 'r', spfAligned: null, dkimAligned: null },
    explanation,
  };
}

/** mailauth returns Received-SPF and Authentication-Results together; the journey keeps the second. */
function authenticationResultsHeader(headers: string): string {
  const start = headers.indexOf('Authentication-Results:');
  if (start < 0) return '';
  const rest = headers.slice(start);
  const end = rest.search(/\r\n(?![ \t])/);
  return end < 0 ? rest : rest.slice(0, end);
}
