/**
 * BDAT (RFC 3030 CHUNKING) as Postfix's smtpd answers it: the chunk's octets are read first,
 * whatever the verdict; a bad argument is "521 … Syntax" and a hang-up (the server cannot know
 * where the next command starts); each chunk is acknowledged with the bytes received so far,
 * the LAST one with the stored size (a final line end added if missing) and the queue id.
 * Past the size limit the message is refused whatever follows, so only its first
 * limit + 1 octets are kept; the count goes on over every octet.
 */
import { ChunkReader } from '../../chunk-reader.ts';
import type { ServerContext } from '../../server-context.ts';
import { resetTransaction } from '../../server-session.ts';
import { utf8ByteLength } from '../../utf8-length.ts';
import { POSTFIX_LIMITS } from './postfix-lab.ts';
import { chunkReceived, chunkedQueued, POSTFIX_REPLIES, type PostfixReply } from './postfix-replies.ts';

const BDAT_ARGUMENTS = /^BDAT\s+(\d{1,12})(\s+LAST)?\s*$/i;
/** What is kept of a chunked message: one octet past the limit already decides the 552. */
const KEPT_OCTETS = POSTFIX_LIMITS.messageSize + 1;

export function handlePostfixBdat(context: ServerContext, line: string): void {
  const send = (reply: PostfixReply): void => context.send(reply.code, reply.text, false);
  const match = BDAT_ARGUMENTS.exec(line.trim());
  if (!match) {
    send(POSTFIX_REPLIES.bdatSyntax);
    context.close();
    return;
  }
  const last = match[2] !== undefined;
  const reader = new ChunkReader(Number(match[1]), KEPT_OCTETS);
  context.startDataMode((chunk) => {
    const { session } = context;
    if (session.rcptTo.length === 0) {
      send(session.mailFrom ? POSTFIX_REPLIES.noValidRecipients : POSTFIX_REPLIES.needRcpt);
      return;
    }
    const before = session.chunkedContent;
    const octets = session.chunkedOctets + reader.octets;
    // Under the limit the kept text is all of it; over it, only its start is kept.
    const content = octets > KEPT_OCTETS ? (before ?? '') : (before ?? '') + chunk;
    session.chunkedContent = content;
    session.chunkedOctets = octets;
    if (!last) return send(chunkReceived(octets));
    if (octets > POSTFIX_LIMITS.messageSize) send(POSTFIX_REPLIES.sizeExceeded);
    else {
      const stored = content === '' || content.endsWith('\n') ? content : `${content}\r\n`;
      const size = utf8ByteLength(stored);
      send(size > POSTFIX_LIMITS.messageSize ? POSTFIX_REPLIES.sizeExceeded : chunkedQueued(size, context.deliver(stored)));
    }
    resetTransaction(session);
  }, reader);
}
