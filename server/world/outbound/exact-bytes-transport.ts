/**
 * The message after 354 must reach the next hop byte for byte: an 8-bit body in Latin-1 (or
 * any bytes that are not UTF-8) would change in a round trip through text, and with it the
 * DKIM body hash the sending domain signed. The client driver and the session model work on
 * text, so they get the message's text view (to pair replies and keep the transcript), while
 * this transport puts the exact bytes on the socket in its place.
 */
import type net from 'node:net';
import type { TransportFactory } from '../../../protocol/transport.ts';

export interface ExactBytesTransport {
  readonly factory: TransportFactory;
  /** The next write of the driver sends `bytes` instead of its text. */
  replaceNextWrite(bytes: Buffer): void;
}

/** Wraps `inner` (a transport over `socket`, never upgraded to TLS on a lab hop). */
export function exactBytesTransport(inner: TransportFactory, socket: net.Socket): ExactBytesTransport {
  let pending: Buffer | null = null;
  return {
    factory: async (handlers) => {
      const transport = await inner(handlers);
      return {
        write(text) {
          const bytes = pending;
          pending = null;
          if (bytes === null) transport.write(text);
          else if (!socket.destroyed) socket.write(bytes);
        },
        startTls: () => transport.startTls(),
        close: () => transport.close(),
      };
    },
    replaceNextWrite(bytes) {
      pending = bytes;
    },
  };
}

const CRLF = Buffer.from('\r\n');
const DOT = Buffer.from('.');
const END = Buffer.from('.\r\n');

/** The message after 354, in bytes: CRLF lines, a leading dot doubled (RFC 5321 §4.5.2), then the lone dot. */
export function dataBytes(message: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < message.length) {
    const lf = message.indexOf(0x0a, start);
    const end = lf < 0 ? message.length : lf;
    const line = message[end - 1] === 0x0d && end > start ? message.subarray(start, end - 1) : message.subarray(start, end);
    if (line[0] === 0x2e) parts.push(DOT);
    parts.push(line, CRLF);
    start = end + 1;
  }
  parts.push(END);
  return Buffer.concat(parts);
}
