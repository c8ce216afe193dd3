import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url, readReplayHash, replayHash } from '../../../web/src/lib/session/replay-link.ts';

describe('replay links', () => {
  it('round-trips client lines, UTF-8 and empty lines included', () => {
    const lines = ['EHLO client.example.com', 'MAIL FROM:<jörg@example.com> SMTPUTF8', '', '..dot', '.'];
    const hash = replayHash(lines);
    expect(hash.startsWith('#replay=')).toBe(true);
    expect(hash.slice('#replay='.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readReplayHash(hash)).toEqual(lines);
  });

  it('uses base64url without padding (RFC 4648 §5)', () => {
    expect(encodeBase64Url('\u00ff\u00fe?')).toBe('w7_Dvj8');
    expect(decodeBase64Url('w7_Dvj8')).toBe('\u00ff\u00fe?');
  });

  it('refuses hashes that are not replay links or not valid base64url', () => {
    expect(readReplayHash('#other=abc')).toBeNull();
    expect(readReplayHash('#replay=***')).toBeNull();
    expect(readReplayHash(`#replay=${encodeBase64Url('x').slice(0, 1)}`)).toBeNull();
  });
});
