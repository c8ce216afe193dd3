import { describe, expect, it } from 'vitest';
import { hoverFor } from '../../../web/src/console/hovers.ts';

describe('hoverFor', () => {
  it('explains a command from the verb reference', () => {
    const hover = hoverFor('MAIL FROM:<a@example.com>', 2, 'command');
    expect(hover?.start).toBe(0);
    expect(hover?.end).toBe(4);
    expect(hover?.markdown).toContain('Starts a mail transaction and gives the envelope sender');
    expect(hover?.markdown).toContain('RFC 5321 §4.1.1.2');
  });

  it('explains the envelope sender and ESMTP parameters', () => {
    expect(hoverFor('MAIL FROM:<a@example.com> SIZE=10', 14, 'command')?.markdown).toContain('envelope sender');
    const size = hoverFor('MAIL FROM:<a@example.com> SIZE=10', 28, 'command');
    expect(size?.markdown).toContain('**SIZE** parameter');
    expect(size?.markdown).toContain('RFC 1870');
  });

  it('explains a reply code and its enhanced status code', () => {
    const code = hoverFor('550 5.1.1 Mailbox unavailable', 1, 'command');
    expect(code?.markdown).toMatch(/^\*\*550 /);
    const enhanced = hoverFor('550 5.1.1 Mailbox unavailable', 6, 'command');
    expect(enhanced?.start).toBe(4);
    expect(enhanced?.markdown).toContain('Enhanced status code 5.1.1');
    expect(enhanced?.markdown).toContain('RFC 3463');
  });

  it('decodes an AUTH answer and says base64 is not encryption', () => {
    expect(hoverFor('c3R1ZGVudA==', 0, 'auth-response')?.markdown).toContain('Decodes to `student`');
    expect(hoverFor('c3R1ZGVudA==', 0, 'auth-response')?.markdown).toContain('not encryption');
  });

  it('has nothing to say about unknown words or message lines', () => {
    expect(hoverFor('HELLO there', 1, 'command')).toBeNull();
    expect(hoverFor('MAIL FROM:<a@b.c>', 1, 'data')).toBeNull();
  });
});
