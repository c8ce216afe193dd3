/**
 * Lines the command grammar cannot read (ETRN, a header line sent after a refused DATA): the
 * model predicts the answer before the line goes, in the server's own words, and the simulated
 * server of that personality then answers exactly that (its Postfix is compared with the real
 * Postfix in tests/conformance; the texts were read off the lab Postfix on 127.0.0.1:25).
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../protocol/commands/index.ts';
import { predictUnreadLine } from '../../../protocol/session/index.ts';
import { talkTo, type SimulatedTalk } from './simulated-talk.ts';

/** The prediction for `line` in `talk` now (the line must be one the grammar refuses). */
function predict(talk: SimulatedTalk, line: string) {
  const parsed = parseCommand(line);
  if (parsed.ok) throw new Error(`the grammar reads ${line}`);
  return predictUnreadLine(talk.model.getSnapshot(), line, parsed.error);
}

const EHLO = 'EHLO client.example.com';
const REFUSED_DATA = [EHLO, 'MAIL FROM:<a@example.com>', 'DATA'];

describe('predictUnreadLine on Postfix: the reply in its words, then the server says exactly that', () => {
  it.each([
    ['ETRN with a domain', [EHLO], 'ETRN example.org', '459 <example.org>: service unavailable', false],
    ['ETRN before EHLO', [], 'ETRN lab.test', '459 <lab.test>: service unavailable', false],
    ['ETRN without a domain', [EHLO], 'ETRN', '500 Syntax: ETRN domain', false],
    ['ETRN in a transaction', [EHLO, 'MAIL FROM:<a@example.com>'], 'ETRN example.org', '503 Error: MAIL transaction in progress', false],
    ['a header line after DATA got 554', REFUSED_DATA, 'Subject: hi', '221 2.7.0 Error: I can break rules, too. Goodbye.', true],
    ['a header line after DATA got 503', [EHLO, 'DATA'], 'From: a@example.com', '221 2.7.0 Error: I can break rules, too. Goodbye.', true],
    ['an HTTP request', [], 'GET / HTTP/1.1', '221 2.7.0 Error: I can break rules, too. Goodbye.', true],
  ] as const)('%s', (_name, opening, line, reply, closes) => {
    const talk = talkTo('postfix', opening);
    const prediction = predict(talk, line);
    expect(prediction).toMatchObject({ outcome: 'reject', reply, closes, code: Number(reply.slice(0, 3)) });
    expect(talk.say(line).text).toBe(reply);
    expect(talk.server.closed).toBe(closes);
  });

  it('says why: after a refused DATA the line is a command (RFC 5321 §3.3), and Postfix hangs up on a header', () => {
    const { reason } = predict(talkTo('postfix', REFUSED_DATA), 'Subject: hi');
    expect(reason).toMatch(/^DATA was refused, so there is no message to write: the server reads this line as a command\. RFC 5321 §3\.3/);
    expect(reason).toContain('looks like a message header');
    expect(reason).toContain('RFC 5321 would answer 500');
  });

  it('leaves other unknown lines to the general refusal (500), with the refused DATA explained', () => {
    const talk = talkTo('postfix', REFUSED_DATA);
    const prediction = predict(talk, 'hello there');
    expect(prediction.reply).toBeUndefined();
    expect(prediction.code).toBe(500);
    expect(prediction.reason).toMatch(/^DATA was refused/);
    expect(talk.say('hello there').text).toBe('500 5.5.2 Error: command not recognized');
  });
});

describe('predictUnreadLine on smtp-server', () => {
  it('predicts 500 for ETRN and for a header line after a refused DATA, without Postfix words, and the server agrees', () => {
    const etrn = talkTo('smtp-server', [EHLO]);
    expect(predict(etrn, 'ETRN example.org')).toMatchObject({ outcome: 'reject', code: 500 });
    expect(predict(etrn, 'ETRN example.org').reply).toBeUndefined();
    expect(etrn.say('ETRN example.org').text).toMatch(/^500 /);

    const header = talkTo('smtp-server', REFUSED_DATA);
    const prediction = predict(header, 'Subject: hi');
    expect(prediction).toMatchObject({ outcome: 'reject', code: 500 });
    expect(prediction.reason).toMatch(/^DATA was refused/);
    expect(header.say('Subject: hi').text).toMatch(/^500 /);
    expect(header.server.closed).toBe(false);
  });
});
