/**
 * The Received header a lab MX prepends (RFC 5321 §4.4): its personality's layout (Postfix's
 * verified one; Exim's, Gmail's and Exchange's as they publish them), otherwise (smtp-server,
 * which writes none) the RFC's plain form:
 *   Received: from HELO ([IP])
 *   	by HOST with ESMTP id QUEUEID
 *   	for <rcpt>; Mon, 07 Dec 2026 13:10:00 +0000
 */
import { PERSONALITIES, type ReceivedFields } from '../simulator/index.ts';
import type { PersonalityName } from '../sandbox-config.ts';

export function receivedHeader(personality: PersonalityName, fields: ReceivedFields): string {
  return PERSONALITIES[personality].receivedHeader?.(fields) ?? plainReceivedHeader(fields);
}

function plainReceivedHeader(fields: ReceivedFields): string {
  const from = `from ${fields.helo || 'unknown'} ([${fields.clientAddress}])`;
  const by = `by ${fields.serverHostname} with ${fields.protocol} id ${fields.queueId}`;
  const only = fields.recipients.length === 1 ? `\r\n\tfor <${fields.recipients[0]}>` : '';
  return `Received: ${from}\r\n\t${by}${only}; ${rfc5322Date(fields.date)}\r\n`;
}

/** RFC 5322 §3.3 date-time in UTC, the day padded: "Mon, 07 Dec 2026 13:10:00 +0000". */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/**
 * The Received header the sandbox prepends when it relays a message (RFC 5321 §4.4):
 * smtp-server adds none on acceptance, so the relay (the server's, and the page's in simulated
 * mode) adds the sandbox's line of the trail, dated in lab time, before the message leaves.
 */
export interface SandboxReceivedFields {
  readonly helo: string;
  readonly clientAddress: string;
  readonly serverHostname: string;
  readonly queueId: string;
  readonly recipient: string;
  /** Lab ms. */
  readonly at: number;
}

export function sandboxReceivedHeader(fields: SandboxReceivedFields): string {
  return (
    `Received: from ${fields.helo || 'unknown'} ([${fields.clientAddress}])\r\n` +
    `\tby ${fields.serverHostname} (SMTP Lab sandbox) with ESMTP id ${fields.queueId}\r\n` +
    `\tfor <${fields.recipient}>; ${rfc5322Date(new Date(fields.at))}\r\n`
  );
}
