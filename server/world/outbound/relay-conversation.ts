/**
 * One hop's SMTP conversation from the sandbox's outbound side: the shared conversation
 * (protocol/world/hop-conversation.ts) over a loopback socket, with the message's exact bytes
 * put on the wire after 354 while the driver and the model read their text view.
 */
import type net from 'node:net';
import { converse as converseOver, type HopConversation } from '../../../protocol/world/hop-conversation.ts';
import { transportOverSocket } from '../../transport/tcp-transport.ts';
import { dataBytes, exactBytesTransport } from './exact-bytes-transport.ts';

export interface ConversationInput {
  readonly socket: net.Socket;
  readonly host: string;
  readonly helo: string;
  readonly mailFrom: string;
  readonly recipient: string;
  readonly message: Buffer;
  readonly labNow: () => number;
  /** Real ms to wait for each reply (RFC 5321 §4.5.3.2 allows minutes; lab hops are on loopback). */
  readonly replyTimeoutMs?: number;
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

export function converse(input: ConversationInput): Promise<HopConversation> {
  const transport = exactBytesTransport(transportOverSocket(input.socket, input.host), input.socket);
  const block = dataBytes(input.message);
  return converseOver({
    open: transport.factory,
    host: input.host,
    helo: input.helo,
    mailFrom: input.mailFrom,
    recipient: input.recipient,
    data: block.toString('utf8'),
    // The bytes go out as they are; the driver and the model read their text view.
    beforeData: () => transport.replaceNextWrite(block),
    labNow: input.labNow,
    replyTimeoutMs: input.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS,
  });
}
