/**
 * The blind copy needs code: an envelope recipient of an accepted message that no To:, Cc:
 * or Bcc: header names.
 */
import { readHeaderFields, type CheckVerdict, type LessonCheckContext } from '../../protocol/lessons/index.ts';

const ADDRESS_HEADERS = new Set(['to', 'cc', 'bcc']);

export function check(context: LessonCheckContext): CheckVerdict {
  const blind = context.summary.messages.some((message) => {
    const named = readHeaderFields(message.body)
      .filter((field) => ADDRESS_HEADERS.has(field.name.toLowerCase()))
      .map((field) => field.value.toLowerCase())
      .join(' ');
    return message.recipients.some((recipient) => !named.includes(recipient.toLowerCase()));
  });
  return {
    passed: blind,
    label: 'One envelope recipient appears in no To:, Cc: or Bcc: header (a blind copy)',
    notYet: 'every envelope recipient is also named in a To:, Cc: or Bcc: header; add a RCPT TO for someone the headers do not name',
  };
}
