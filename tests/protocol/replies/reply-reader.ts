/** For tests that feed a simulated server's output to the session model. */
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';
import { ReplyAssembler, type Reply } from '../../../protocol/replies/index.ts';

/**
 * Returns a function that takes wire text in any pieces and hands each whole reply to
 * `onReply`, read by the real line splitter and reply grammar; a line the grammar refuses throws.
 */
export function replyReader(onReply: (reply: Reply) => void): (wire: string) => void {
  const lines = new LineBuffer();
  const assembler = new ReplyAssembler();
  return (wire) => {
    for (const line of lines.push(wire)) {
      const result = assembler.push(line);
      if (result?.kind === 'error') throw new Error(result.error.message);
      if (result?.kind === 'reply') onReply(result.reply);
    }
  };
}
