/**
 * The Received header Postfix's cleanup adds (RFC 5321 §4.4), in its layout:
 *   Received: from client.example (unknown [203.0.113.25])
 *   	by mx.lab.test (Postfix) with ESMTP id 104F616C00E
 *   	for <bob@lab.test>; Mon,  7 Dec 2026 13:10:00 +0000 (UTC)
 * "unknown" because the lab does no reverse DNS lookups; "for" only with exactly one recipient
 * (otherwise the date follows the id's semicolon on the next line).
 */
import type { ReceivedFields } from '../personality.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** Postfix's mail_date(): the day of month padded with a space, always in UTC here. */
function postfixDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join(':');
  return `${DAYS[date.getUTCDay()]}, ${day} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000 (UTC)`;
}

export function postfixReceivedHeader(fields: ReceivedFields): string {
  const from = `from ${fields.helo || 'unknown'} (unknown [${fields.clientAddress}])`;
  const by = `by ${fields.serverHostname} (Postfix) with ${fields.protocol} id ${fields.queueId}`;
  const date = postfixDate(fields.date);
  const only = fields.recipients.length === 1 ? fields.recipients[0] : undefined;
  const tail = only === undefined ? `${by};\r\n\t${date}` : `${by}\r\n\tfor <${only}>; ${date}`;
  return `Received: ${from}\r\n\t${tail}\r\n`;
}
