import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url, readReplayHash, replayHash } from '../../../web/src/session/replay-link.ts';

describe('replay links', () => {
  it('round-trips client lines, UTF-8 and empty lines included', () => {
    const lines = ['EHLO client.example.com', 'MAIL FROM:<jörg@example.com> SMTPUTF8', '', '..dot', '.'];
    const hash = replayHash(lines);
    expect(hash.startsWith('#replay=')).toBe(true);
    expect(hash.slice('#replay='.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readReplayHash(hash)).toEqual({ kind: 'lines', lines });
  });

  it('uses base64url without padding (RFC 4648 §5)', () => {
    expect(encodeBase64Url('\u00ff\u00fe?')).toBe('w7_Dvj8');
    expect(decodeBase64Url('w7_Dvj8')).toBe('\u00ff\u00fe?');
  });

  it('tells a page without a replay link from a broken one (not base64url, cut off, empty)', () => {
    expect(readReplayHash('')).toEqual({ kind: 'none' });
    expect(readReplayHash('#other=abc')).toEqual({ kind: 'none' });
    expect(readReplayHash('#replay=***')).toEqual({ kind: 'broken' });
    expect(readReplayHash(`#replay=${encodeBase64Url('x').slice(0, 1)}`)).toEqual({ kind: 'broken' });
    expect(readReplayHash('#replay=')).toEqual({ kind: 'broken' });
    // Cut inside a UTF-8 character: not valid UTF-8 any more.
    expect(readReplayHash(`#replay=${encodeBase64Url('ö').slice(0, 2)}`)).toEqual({ kind: 'broken' });
  });
});
