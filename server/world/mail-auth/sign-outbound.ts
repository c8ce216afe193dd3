/**
 * DKIM signing at the sending domain (RFC 6376), as its outbound MTA would: mailauth's
 * `dkimSign` with relaxed/relaxed canonicalization, rsa-sha256 and the lab selector, and the
 * DKIM-Signature prepended to the message. Only the lab's signing domains have keys; mail from
 * any other domain leaves unsigned, as it would from a domain that never set DKIM up.
 */
import { dkimSign } from 'mailauth';
import { SIGNING_DOMAINS, type SigningDomain } from '../../../protocol/world/default-world.ts';
import type { DkimKeys } from '../dkim-keys.ts';

/**
 * The header fields signed when present (h= lists the ones the message has, bottom-up): what a
 * forger or a mailing list would change to mislead a reader. mailauth 4.13's signer cannot
 * oversign (list a field more times than it occurs, RFC 6376 §8.15): it signs only fields
 * present, so a second From added on the way is caught by DMARC (which refuses to evaluate a
 * message with two From fields), not by the signature.
 */
export const SIGNED_HEADERS = ['From', 'Sender', 'Reply-To', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding'] as const;

export type SignOutcome =
  | { readonly signed: true; readonly raw: Buffer; readonly domain: SigningDomain; readonly selector: string; readonly signatureHeader: string }
  | { readonly signed: false; readonly raw: Buffer; readonly reason: string };

/** mailauth 4.13's types declare a top-level signing shape its code ignores; it reads `signatureData`. */
interface DkimSignCall {
  readonly canonicalization: string;
  readonly algorithm: string;
  readonly headerList: string;
  readonly signTime: Date;
  readonly signatureData: readonly { readonly signingDomain: string; readonly selector: string; readonly privateKey: string }[];
}

function isSigningDomain(domain: string): domain is SigningDomain {
  return (SIGNING_DOMAINS as readonly string[]).includes(domain);
}

/** `raw` with a DKIM-Signature for `domain` in front, or unchanged with the reason it is not signed. */
export async function signOutbound(raw: Buffer | string, domain: string, keys: DkimKeys): Promise<SignOutcome> {
  const message = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const sendingDomain = domain.toLowerCase();
  if (!isSigningDomain(sendingDomain)) {
    return { signed: false, raw: message, reason: `${sendingDomain} has no DKIM key in the lab, so its mail leaves unsigned.` };
  }
  const key = keys[sendingDomain];
  const call: DkimSignCall = {
    canonicalization: 'relaxed/relaxed',
    algorithm: 'rsa-sha256',
    headerList: SIGNED_HEADERS.join(':'),
    // Always given, never left to mailauth: without it, mailauth 4.13 (and 5.0.2) writes t= twice
    // from the clock. lib/dkim/header/relaxed.js sets opts.t only `if (signTime)`, so the header
    // that is hashed and signed gets t=Math.round(Date.now()/1000) from formatSignatureHeaderLine
    // (lib/tools.js); after crypto.sign, dkim-signer.js formats the header it returns from the same
    // opts, which reads Date.now() again. When the clock crosses a half second while RSA signs
    // (about 1 signature in 250 here), the t= in the message is one more than the t= signed: bad signature.
    signTime: new Date(),
    signatureData: [{ signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem }],
  };
  const result = await dkimSign(message, call as unknown as Parameters<typeof dkimSign>[1]);
  const signatureHeader = result.signatures.trimEnd();
  if (result.errors.length > 0 || !signatureHeader.startsWith('DKIM-Signature:')) {
    const why = result.errors.map((error) => (error as Error).message ?? String(error)).join('; ') || 'mailauth produced no signature';
    return { signed: false, raw: message, reason: `Signing for ${sendingDomain} failed: ${why}.` };
  }
  return { signed: true, raw: Buffer.concat([Buffer.from(`${signatureHeader}\r\n`), message]), domain: key.domain, selector: key.selector, signatureHeader };
}
