/**
 * RFC 1870's message size limit, one mechanism for every personality: a MAIL `SIZE=` over the
 * limit is refused at MAIL, the data reader keeps at most the limit + 1 octet (enough to
 * decide, and a client cannot make the simulator hold more), and a message over the limit is
 * refused once its end arrives (RFC 1870 §6.3). A limit of 0 is none.
 */
import { DataReceiver } from './data-receiver.ts';
import { utf8ByteLength } from './utf8-length.ts';

export function overSizeLimit(octets: number, limit: number): boolean {
  return limit > 0 && octets > limit;
}

/** Whether a message as read (at most limit + 1 octets kept) is over the limit. */
export function contentOverSizeLimit(content: string, limit: number): boolean {
  return overSizeLimit(utf8ByteLength(content), limit);
}

/** smtp-server's data reader (dot rules), keeping no more than `limit` + 1 octets. */
export function sizeBoundedReader(limit: number): DataReceiver {
  return new DataReceiver(limit > 0 ? limit : Infinity);
}
