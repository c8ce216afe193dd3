/**
 * Whether a failed message may be reported to its envelope sender. A DSN is itself sent with the
 * null reverse-path `<>` (RFC 5321 §4.5.5, RFC 3464 §2), so that a report that cannot be
 * delivered is dropped instead of answered: bouncing a bounce could loop between two servers
 * forever. A message whose MAIL FROM was `<>` is therefore never bounced.
 */
export function shouldBounce(envelopeFrom: string): boolean {
  const path = envelopeFrom.trim();
  return path !== '' && path !== '<>';
}
