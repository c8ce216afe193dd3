/**
 * The Received header a lab MX prepends (RFC 5321 §4.4): its personality's layout (Postfix's
 * verified one; Exim's, Gmail's and Exchange's as they publish them), otherwise (smtp-server,
 * which writes none) the RFC's plain form:
 *   Received: from HELO ([IP])
 *   	by HOST with ESMTP id QUEUEID
 *   	for <rcpt>; Mon, 7 Dec 2026 13:10:00 +0000
 */
import { PERSONALITIES, type ReceivedFields } from '../../../protocol/simulator/index.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';

export function receivedHeader(personality: PersonalityName, fields: ReceivedFields): string {
  return PERSONALITIES[personality].receivedHeader?.(fields) ?? plainReceivedHeader(fields);
}

function plainReceivedHeader(fields: ReceivedFields): string {
  const from = `from ${fields.helo || 'unknown'} ([${fields.clientAddress}])`;
  const by = `by ${fields.serverHostname} with ${fields.protocol} id ${fields.queueId}`;
  const only = fields.recipients.length === 1 ? `\r\n\tfor <${fields.recipients[0]}>` : '';
  return `Received: ${from}\r\n\t${by}${only}; ${rfc5322Date(fields.date)}\r\n`;
}

/** RFC 5322 §3.3 date-time in UTC: "Mon, 07 Dec 2026 13:10:00 +0000". */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}
