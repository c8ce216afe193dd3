/**
 * The third claim needs code: the learner must really dot-stuff a line. smtp-server keeps a
 * single leading dot, so an accepted body with `.hidden` does not prove the line was sent as
 * `..hidden`; the transcript's message lines do.
 */
import type { CheckVerdict, LessonCheckContext } from '../../protocol/lessons/index.ts';

const STUFFED = /^\.\.[^.]/;

export function check(context: LessonCheckContext): CheckVerdict {
  const sentStuffed = context.transcript.some((entry) => entry.role === 'message-data' && STUFFED.test(entry.text));
  const storedWithOneDot = context.summary.messages.some((message) => /^\.[^.]/m.test(message.body));
  return {
    passed: sentStuffed && storedWithOneDot,
    label: 'The server accepts a message with a dot-stuffed line (sent as `..hidden`, stored as `.hidden`)',
    notYet: sentStuffed
      ? 'send the message with its dot-stuffed line through to the final `.` and its 250'
      : 'write a message line that starts with a dot, stuffed with a second dot: `..hidden in plain sight`',
  };
}
