/**
 * The Received header (RFC 5321 §4.4) each documentation-modelled server prepends, in the
 * layout it publishes (tests/fixtures/mail/received-published-formats.txt shows each one, written
 * from documentation, not captured from a running server). Dates are in UTC: the lab has one
 * time zone. Without reverse DNS in the lab, the client's HELO name stands where a server
 * would write the host name it looked up, and no TLS clause is written (the lab's MX hosts
 * take no STARTTLS).
 */
import type { ReceivedFields } from '../personality.ts';

/** A modelled server's Received writer, and where its layout comes from. */
export interface ModelledReceived {
  readonly header: (fields: ReceivedFields) => string;
  readonly source: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number): string => String(value).padStart(2, '0');

/** "Mon, 07 Dec 2026 13:10:00 +0000", the day padded with `dayPad` ('0' or '' for none). */
export function utcDate(date: Date, dayPad: '0' | ''): string {
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad).join(':');
  const day = dayPad === '0' ? pad(date.getUTCDate()) : String(date.getUTCDate());
  return `${DAYS[date.getUTCDay()]}, ${day} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}

const onlyRecipient = (fields: ReceivedFields): string | undefined => (fields.recipients.length === 1 ? fields.recipients[0] : undefined);

/**
 * Exim's default received_header_text (spec chapter "Main configuration", received_header_text):
 *   Received: from [IP] (helo=HELO)
 *   	by HOST with esmtp (Exim 4.99.1)
 *   	(envelope-from <SENDER>)
 *   	id ID
 *   	for RCPT; $tod_full
 * $received_protocol is lower-case; "for" only with exactly one recipient.
 */
export function eximReceived(version: string): ModelledReceived {
  return {
    source: "Exim's documented default received_header_text (the spec, not captured from a running Exim)",
    header: (fields) => {
      const lines = [
        `Received: from [${fields.clientAddress}]${fields.helo ? ` (helo=${fields.helo})` : ''}`,
        `\tby ${fields.serverHostname} with ${fields.protocol.toLowerCase()} (Exim ${version})`,
        ...(fields.envelopeFrom === undefined ? [] : [`\t(envelope-from <${fields.envelopeFrom}>)`]),
        `\tid ${fields.queueId}`,
      ];
      const only = onlyRecipient(fields);
      if (only !== undefined) lines.push(`\tfor ${only}`);
      return `${lines.join('\r\n')}; ${utcDate(fields.date, '0')}\r\n`;
    },
  };
}

/**
 * Gmail's inbound layout as Google's message-header help shows it:
 *   Received: from HELO ([IP])
 *           by mx.google.com with ESMTP id ID
 *           for <RCPT>;
 *           Sun, 01 Dec 2024 06:51:32 +0000 (UTC)
 */
export const GMAIL_RECEIVED: ModelledReceived = {
  source: "Gmail's published Received layout (Google's header help, not captured from Gmail)",
  header: (fields) => {
    const only = onlyRecipient(fields);
    const lines = [`Received: from ${fields.helo || 'unknown'} ([${fields.clientAddress}])`, `        by ${fields.serverHostname} with ${fields.protocol} id ${fields.queueId}`];
    if (only !== undefined) lines.push(`        for <${only}>`);
    return `${lines.join('\r\n')};\r\n        ${utcDate(fields.date, '0')} (UTC)\r\n`;
  },
};

/**
 * Exchange's layout as Microsoft's message-header documentation shows it: the client's name
 * with its address in parentheses, "with Microsoft SMTP Server", and for id the server's build
 * number (not a queue id); no "for":
 *   Received: from HELO (IP)
 *    by HOST with Microsoft SMTP Server id 15.20.8207.18; Sun, 1 Dec 2024 14:51:30 +0000
 */
export function exchangeReceived(build: string): ModelledReceived {
  return {
    source: "Exchange's published Received layout (Microsoft's header documentation, not captured from Exchange)",
    header: (fields) =>
      `Received: from ${fields.helo || 'unknown'} (${fields.clientAddress})\r\n by ${fields.serverHostname} with Microsoft SMTP Server id ${build}; ${utcDate(fields.date, '')}\r\n`,
  };
}
