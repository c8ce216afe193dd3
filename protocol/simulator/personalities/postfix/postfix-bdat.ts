/**
 * BDAT (RFC 3030 CHUNKING) as Postfix's smtpd answers it: the chunk's octets are read first,
 * whatever the verdict; a bad argument is "521 … Syntax" and a hang-up (the server cannot know
 * where the next command starts); each chunk is acknowledged with the bytes received so far,
 * the LAST one with the stored size (a final line end added if missing) and the queue id.
 */
import { ChunkReader } from '../../chunk-reader.ts';
import type { ServerContext } from '../../server-context.ts';
import { resetTransaction } from '../../server-session.ts';
import { utf8ByteLength } from '../../utf8-length.ts';
import { POSTFIX_LIMITS } from './postfix-lab.ts';
import { chunkReceived, chunkedQueued, POSTFIX_REPLIES, type PostfixReply } from './postfix-replies.ts';

const BDAT_ARGUMENTS = /^BDAT\s+(\d{1,12})(\s+LAST)?\s*$/i;

export function handlePostfixBdat(context: ServerContext, line: string): void {
  const send = (reply: PostfixReply): void => context.send(reply.code, reply.text, false);
  const match = BDAT_ARGUMENTS.exec(line.trim());
  if (!match) {
    send(POSTFIX_REPLIES.bdatSyntax);
    context.close();
    return;
  }
  const last = match[2] !== undefined;
  context.startDataMode((chunk) => {
    const { session } = context;
    if (session.rcptTo.length === 0) {
      send(session.mailFrom ? POSTFIX_REPLIES.noValidRecipients : POSTFIX_REPLIES.needRcpt);
      return;
    }
    const content = (session.chunkedContent ?? '') + chunk;
    session.chunkedContent = content;
    if (!last) return send(chunkReceived(utf8ByteLength(content)));
    const stored = content === '' || content.endsWith('\n') ? content : `${content}\r\n`;
    const size = utf8ByteLength(stored);
    send(size > POSTFIX_LIMITS.messageSize ? POSTFIX_REPLIES.sizeExceeded : chunkedQueued(size, context.deliver(stored)));
    resetTransaction(session);
  }, new ChunkReader(Number(match[1])));
}
