import { describe, expect, it } from 'vitest';
import { diagnoseLine } from '../../../web/src/console/diagnostics.ts';
import { snapshotAfter } from '../../protocol/session/snapshots.ts';
import { startConversation } from '../visualizer/conversation.ts';

const greeted = snapshotAfter();
const identified = snapshotAfter('EHLO client.example.com');

describe('diagnoseLine', () => {
  it('underlines a grammar error with its explanation and a quick fix', () => {
    const [diagnostic, ...rest] = diagnoseLine('MAIL FROM alice@example.com', 'command', identified);
    expect(rest).toEqual([]);
    expect(diagnostic).toEqual({
      severity: 'error',
      start: 5,
      end: 9,
      message: 'A colon goes right after FROM, before the address.\nWrite it as `MAIL FROM:<alice@example.com>`.',
      fix: { title: 'Change to: MAIL FROM:<alice@example.com>', line: 'MAIL FROM:<alice@example.com>' },
    });
  });

  it('offers no line fix when the fix is advice or sample credentials', () => {
    const [diagnostic] = diagnoseLine('AUTH PLAIN abc$', 'command', identified);
    expect(diagnostic?.severity).toBe('error');
    expect(diagnostic?.fix).toBeNull();
  });

  it('warns about what RFC 5321 forbids but servers tolerate', () => {
    const [diagnostic] = diagnoseLine('MAIL FROM: <a@example.com>', 'command', identified);
    expect(diagnostic?.severity).toBe('warning');
    expect(diagnostic?.fix?.line).toBe('MAIL FROM:<a@example.com>');
  });

  it('warns when the model predicts a rejection in this state, without blocking', () => {
    const diagnostics = diagnoseLine('MAIL FROM:<a@example.com>', 'command', greeted);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.severity).toBe('warning');
    expect(diagnostics[0]?.message).toMatch(/^The server will probably refuse this \(likely 503\)\. Send EHLO or HELO before MAIL/);
    expect(diagnostics[0]?.message).toMatch(/You can still send it/);
    expect(diagnoseLine('MAIL FROM:<a@example.com>', 'command', identified)).toEqual([]);
  });

  it('gives an empty line no diagnostics in command mode', () => {
    expect(diagnoseLine('', 'command', identified)).toEqual([]);
  });

  it('explains dot-stuffing in the message and proposes the stuffed line', () => {
    const [unstuffed] = diagnoseLine('.hidden', 'data', identified);
    expect(unstuffed?.severity).toBe('warning');
    expect(unstuffed?.message).toContain('the server stores "hidden"; smtp-server (this lab\'s server) keeps ".hidden"');
    expect(unstuffed?.fix).toEqual({ title: 'Dot-stuff: send ..hidden', line: '..hidden' });
    const [stuffed] = diagnoseLine('..hidden', 'data', identified);
    expect(stuffed?.severity).toBe('info');
    expect(stuffed?.message).toContain('the message will contain ".hidden"');
    expect(diagnoseLine('.', 'data', identified)[0]?.message).toMatch(/ends the message/);
    expect(diagnoseLine('MAIL FROM oops', 'data', identified)).toEqual([]);
  });

  it('reads AUTH answers as base64 and says base64 is not encryption', () => {
    const [decoded] = diagnoseLine('AHN0dWRlbnQAbGVhcm4tc210cA==', 'auth-response', identified);
    expect(decoded?.severity).toBe('info');
    expect(decoded?.message).toBe('Base64 for "\\0student\\0learn-smtp". Base64 is an encoding, not encryption: anyone who sees this line can read it.');
    const [invalid] = diagnoseLine('not base64!', 'auth-response', identified);
    expect(invalid?.severity).toBe('error');
  });
});

describe('diagnoseLine while a verb is being typed', () => {
  it('stays quiet for a prefix of a verb, not for other words', () => {
    expect(diagnoseLine('MAI', 'command', identified)).toEqual([]);
    expect(diagnoseLine('st', 'command', identified)).toEqual([]);
    expect(diagnoseLine('MAX', 'command', identified)[0]?.severity).toBe('error');
    expect(diagnoseLine('MAIL', 'command', identified)[0]?.severity).toBe('error');
  });
});

describe('diagnoseLine predicts lines outside the grammar before they are sent', () => {
  const onPostfix = (...lines: string[]) => {
    const conversation = startConversation('postfix');
    conversation.send(...lines);
    return conversation.session.getSnapshot();
  };

  it("on Postfix, ETRN gets its 459, in Postfix's words, instead of the grammar's \"not a command\"", () => {
    const [diagnostic, ...rest] = diagnoseLine('ETRN example.org', 'command', onPostfix('EHLO client.example.com'));
    expect(rest).toEqual([]);
    expect(diagnostic?.severity).toBe('warning');
    expect(diagnostic?.message).toMatch(/^Postfix 3\.7 will answer "459 <example\.org>: service unavailable"\. ETRN \(RFC 1985\)/);
  });

  it('on Postfix, a header line after a refused DATA: the 221 and the hang-up, and why', () => {
    const [diagnostic] = diagnoseLine('Subject: hi', 'command', onPostfix('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'DATA'));
    expect(diagnostic?.severity).toBe('error');
    expect(diagnostic?.message).toMatch(
      /^Postfix 3\.7 will answer "221 2\.7\.0 Error: I can break rules, too\. Goodbye\." and close the connection\. DATA was refused, so there is no message to write/,
    );
    expect(diagnostic?.message).toContain('RFC 5321 §3.3: after a 5xx to DATA the client must not send the message data');
  });

  it('on smtp-server, keeps the grammar error and adds why a line after a refused DATA is a command', () => {
    const refused = snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'DATA');
    const [diagnostic] = diagnoseLine('Subject: hi', 'command', refused);
    expect(diagnostic?.severity).toBe('error');
    expect(diagnostic?.message).toContain('DATA was refused, so there is no message to write');
    const [etrn] = diagnoseLine('ETRN example.org', 'command', identified);
    expect(etrn?.message).not.toContain('will answer');
    expect(etrn?.message).not.toContain('DATA was refused');
  });
});
