/** The one line the sandbox prints for each captured message. */
import type { CapturedMessage } from '../sandbox/captured-message.ts';

/** Only this much of a message is searched for its header block: enough for any Subject. */
const HEADER_SEARCH_BYTES = 64 * 1024;

/**
 * `12:34:56 queued 4F3A2B1C0D from=<a@example.com> to=<b@example.org> size=812 subject="Hi"`.
 * The subject is shown as written in the header (RFC 2047 encoded words stay encoded).
 */
export function formatMessageSummary(message: CapturedMessage): string {
  const time = message.receivedAt.toLocaleTimeString('en-GB', { hour12: false });
  const recipients = message.rcptTo.map((address) => `<${address}>`).join(',');
  const parts = [
    time,
    `queued ${message.queueId}`,
    `from=<${message.mailFrom}>`,
    `to=${recipients}`,
    `size=${message.raw.length}`,
  ];
  if (message.authenticatedUser !== null) parts.push(`user=${message.authenticatedUser}`);
  const subject = findSubject(message.raw);
  if (subject !== null) parts.push(`subject=${JSON.stringify(subject)}`);
  return parts.map(withoutControlCharacters).join(' ');
}

/** The unfolded Subject field of the header block (RFC 5322 §2.2.3), or null. */
function findSubject(raw: Buffer): string | null {
  const text = raw.subarray(0, HEADER_SEARCH_BYTES).toString('utf8');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const match = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header);
  return match ? (match[1] ?? '').replace(/\r?\n(?=[ \t])/g, '').trim() : null;
}

/** A message is untrusted input: never let it send escape sequences to the terminal. */
function withoutControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
