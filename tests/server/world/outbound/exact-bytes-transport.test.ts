/** The DATA payload in bytes: CRLF lines, leading dots doubled, every other byte as it was. */
import { describe, expect, it } from 'vitest';
import { dataBytes } from '../../../../server/world/outbound/exact-bytes-transport.ts';

describe('dataBytes', () => {
  it('doubles a leading dot, ends bare LF lines with CRLF and adds the lone dot', () => {
    expect(dataBytes(Buffer.from('Subject: x\r\n\r\n.one\ntwo\r\n..three')).toString('latin1')).toBe('Subject: x\r\n\r\n..one\r\ntwo\r\n...three\r\n.\r\n');
  });

  it('keeps bytes that are not UTF-8 exactly', () => {
    const latin1 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a, 0x2e, 0xff, 0x0d, 0x0a]);
    expect(dataBytes(latin1).equals(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a, 0x2e, 0x2e, 0xff, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a]))).toBe(true);
  });

  it('sends only the lone dot for an empty message', () => {
    expect(dataBytes(Buffer.alloc(0)).toString()).toBe('.\r\n');
  });
});
