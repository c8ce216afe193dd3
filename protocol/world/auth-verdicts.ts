/**
 * What a receiving lab MX concluded about a message's SPF, DKIM and DMARC, in one
 * JSON-serialisable shape: the server's mailauth run fills it (server/world/mail-auth), the
 * journey API returns it and the page's Journey view draws it. Pure types, so the page can use them.
 */

/** RFC 7208 §2.6 results. */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface SpfVerdict {
  readonly result: SpfResult;
  /** The domain whose record was checked: the MAIL FROM domain, or the HELO name for the null sender (RFC 7208 §2.4). */
  readonly domain: string;
  /** Which identity that was: `mailfrom`, or `helo` when MAIL FROM was `<>`. */
  readonly identity: 'mailfrom' | 'helo';
  /** The SPF record found at `domain`, as published, or null when there is none. */
  readonly record: string | null;
  /** The mechanism that decided, as written (`ip4:192.0.2.10`, `-all`, `include:…` with the inner match), or null. */
  readonly mechanism: string | null;
  /** DNS lookups the check made that count against RFC 7208 §4.6.4's limit, and that limit (10). */
  readonly lookups: { readonly count: number; readonly limit: number; readonly void: number };
  /** The receiver's own sentence for the result (mailauth's comment). */
  readonly explanation: string;
}

/** RFC 8601 §2.7.1 DKIM results. */
export type DkimResult = 'pass' | 'fail' | 'neutral' | 'policy' | 'temperror' | 'permerror' | 'none';

export interface DkimSignatureVerdict {
  /** d= and s= of the signature. */
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: string;
  readonly canonicalization: string;
  /** The header fields the signature covers, in its h= order (a name twice means oversigned). */
  readonly signedHeaders: readonly string[];
  /** Whether the body as received hashes to the signature's bh=. */
  readonly bodyHash: { readonly matches: boolean; readonly expected: string; readonly computed: string };
  /** The signature over the headers: checked (`pass`/`fail`), or not checked and why. */
  readonly signature: 'pass' | 'fail' | 'not-checked';
  /** What mailauth reports (its label and comment), shown as it is. */
  readonly mailauth: { readonly result: string; readonly comment: string | null };
  /** What RFC 6376 §6.1/§6.3 make of it, as an RFC 8601 result (a body-hash mismatch is a failed verification). */
  readonly rfcResult: DkimResult;
  /** Whether d= is aligned with the From domain (relaxed, as mailauth reports it per signature). */
  readonly alignedWithFrom: boolean;
}

export interface DkimVerdict {
  /** `none` when the message carries no DKIM-Signature; else the best RFC result among the signatures. */
  readonly result: DkimResult;
  readonly signatures: readonly DkimSignatureVerdict[];
}

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror';

export interface DmarcVerdict {
  /** RFC 7489's result (the one the receiver acts on). */
  readonly result: DmarcResult;
  /** What mailauth 4.13 reports; it differs under strict alignment, which mailauth does not apply. */
  readonly mailauthResult: DmarcResult;
  /** The RFC5322.From domain, and the organizational domain whose record applied. */
  readonly fromDomain: string;
  readonly organizationalDomain: string;
  /** The published record, or null when there is none. */
  readonly record: string | null;
  /** p=, sp= (sp defaults to p) and the one that applied to this From domain; null without a record. */
  readonly p: DmarcPolicy | null;
  readonly sp: DmarcPolicy | null;
  readonly policy: DmarcPolicy | null;
  /** pct= as published (RFC 7489 §6.3; absent means 100). */
  readonly pct: number;
  readonly alignment: {
    /** aspf/adkim: r (relaxed, organizational domains equal) or s (strict, names equal). */
    readonly spfMode: 'r' | 's';
    readonly dkimMode: 'r' | 's';
    /** The SPF-passed domain that aligned, or null: RFC 7489 §3.1.2. */
    readonly spfAligned: string | null;
    /** The DKIM d= (of a passing signature) that aligned, or null: RFC 7489 §3.1.1. */
    readonly dkimAligned: string | null;
  };
  readonly explanation: string;
}

export interface InboundAuthentication {
  /** The receiving host (authserv-id of the Authentication-Results header). */
  readonly receiver: string;
  /** What the receiver was told about the connection: the sending hop's lab IP, its HELO and MAIL FROM. */
  readonly connection: { readonly ip: string; readonly helo: string; readonly sender: string };
  readonly spf: SpfVerdict;
  readonly dkim: DkimVerdict;
  readonly dmarc: DmarcVerdict;
  /** The `Authentication-Results:` header field (RFC 8601), folded, without the final CRLF. */
  readonly authenticationResults: string;
}
