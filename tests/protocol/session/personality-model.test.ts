/**
 * The session model reads a conversation by its server's personality: predictions follow the
 * server's rules and explanations its meaning. The replies come from the simulator's own
 * personalities (postfix is verified against the real Postfix in tests/conformance), so each
 * prediction is checked against what that server really answers.
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../protocol/commands/index.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { createSessionActor, predictCommand, statePath, type SessionActor } from '../../../protocol/session/index.ts';
import { PERSONALITIES } from '../../../protocol/simulator/index.ts';
import { reply } from './helpers.ts';
import { talkTo, type SimulatedTalk } from './simulated-talk.ts';

/** The model's prediction for `line` now, and the code the server then really answers. */
function predictedAndReal(conversation: SimulatedTalk, line: string): { predicted: number | null; real: number | undefined; outcome: string } {
  const prediction = predictCommand(conversation.model.getSnapshot(), parseCommand(line));
  return { predicted: prediction.code, outcome: prediction.outcome, real: conversation.say(line).codes[0] };
}

const explanationOf = (model: SessionActor, text: string): string =>
  [...model.transcript].reverse().find((entry) => entry.from === 'server' && entry.text.includes(text))?.explanation ?? '';

describe('predictions follow the personality, and the server agrees', () => {
  it('MAIL before EHLO: smtp-server refuses it (503), Postfix accepts it (250)', () => {
    expect(predictedAndReal(talkTo('smtp-server'), 'MAIL FROM:<a@example.com>')).toEqual({ predicted: 503, real: 503, outcome: 'reject' });
    expect(predictedAndReal(talkTo('postfix'), 'MAIL FROM:<a@example.com>')).toEqual({ predicted: 250, real: 250, outcome: 'accept' });
  });

  it('DATA after MAIL without an accepted recipient: smtp-server 503, Postfix 554 (also before EHLO)', () => {
    for (const [personality, code] of [['smtp-server', 503], ['postfix', 554]] as const) {
      const conversation = talkTo(personality, ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@nowhere.invalid>']);
      expect(predictedAndReal(conversation, 'DATA')).toEqual({ predicted: code, real: code, outcome: 'reject' });
    }
    const early = talkTo('postfix', ['MAIL FROM:<a@example.com>']);
    expect(predictedAndReal(early, 'DATA')).toEqual({ predicted: 554, real: 554, outcome: 'reject' });
  });

  it('RSET and DATA with an argument: Postfix refuses them with 501, smtp-server ignores the words', () => {
    const postfix = talkTo('postfix', ['EHLO client.example']);
    expect(predictedAndReal(postfix, 'RSET now')).toEqual({ predicted: 501, real: 501, outcome: 'reject' });
    postfix.say('MAIL FROM:<a@example.com>');
    postfix.say('RCPT TO:<alice@lab.test>');
    expect(predictedAndReal(postfix, 'DATA now')).toEqual({ predicted: 501, real: 501, outcome: 'reject' });

    const sandbox = talkTo('smtp-server', ['EHLO client.example']);
    expect(predictedAndReal(sandbox, 'RSET now')).toEqual({ predicted: 250, real: 250, outcome: 'accept' });
  });

  it('HELP, VRFY and AUTH on Postfix: 500, a real check (unknown until asked), 503', () => {
    const postfix = talkTo('postfix', ['EHLO client.example']);
    expect(predictedAndReal(postfix, 'HELP')).toEqual({ predicted: 500, real: 500, outcome: 'reject' });
    const vrfy = predictCommand(postfix.model.getSnapshot(), parseCommand('VRFY alice@lab.test'));
    expect(vrfy).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/really checks VRFY/) });
    expect(postfix.say('VRFY alice@lab.test').codes).toEqual([252]);
    expect(postfix.say('VRFY zed@lab.test').codes).toEqual([550]);
    expect(predictedAndReal(postfix, 'AUTH PLAIN')).toEqual({ predicted: 503, real: 503, outcome: 'reject' });
  });

  // The real Postfix on 127.0.0.1:25 answers these RCPT lines 503 "need MAIL command", as its personality does.
  it.each([
    [[], 'RCPT TO:<bad'],
    [[], 'RCPT TO:bad@@x'],
    [[], 'MAIL FROM:<bad'],
    [['EHLO client.example'], 'RCPT TO:<bad'],
    [['EHLO client.example'], 'RCPT'],
    [['MAIL FROM:<a@example.com>'], 'RCPT TO:<bad'],
    [['EHLO client.example', 'MAIL FROM:<a@example.com>'], 'MAIL FROM:<bad'],
    [['EHLO client.example', 'MAIL FROM:<a@example.com>'], 'RCPT TO:<bad'],
  ] as const)('after %j, a malformed "%s" is predicted as each personality answers it (503 or 501)', (opening, line) => {
    for (const personality of Object.keys(PERSONALITIES) as PersonalityName[]) {
      const { predicted, real } = predictedAndReal(talkTo(personality, opening), line);
      expect({ personality, predicted }).toEqual({ personality, predicted: real });
    }
  });

  it('smtp-server keeps the RFC predictions it always had (HELP and VRFY left open)', () => {
    const sandbox = talkTo('smtp-server', ['EHLO client.example']);
    expect(predictCommand(sandbox.model.getSnapshot(), parseCommand('HELP')).outcome).toBe('unknown');
    expect(predictCommand(sandbox.model.getSnapshot(), parseCommand('VRFY alice@lab.test')).outcome).toBe('unknown');
    expect(createSessionActor().getSnapshot().context.personality).toBe('smtp-server');
  });
});

describe('explanations use the personality\'s meaning', () => {
  it('Postfix\'s 554 to DATA is "no valid recipients" with what RFC 5321 §3.3 allows, not "no SMTP service here"', () => {
    const postfix = talkTo('postfix', ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'DATA']);
    const explanation = explanationOf(postfix.model, 'no valid recipients');
    expect(explanation).toMatch(/^554 No valid recipients \(enhanced code 5\.5\.1: /);
    expect(explanation).toMatch(/RFC 5321 §3\.3 lets a server answer DATA .* 503 .* or 554/);
    expect(explanation).not.toMatch(/No SMTP service/);
  });

  it('the same 554 from an unnamed server keeps the catalog\'s general meaning', () => {
    const sandbox = createSessionActor();
    sandbox.send({ type: 'server.reply', reply: reply('554 5.5.1 Error: no valid recipients') });
    expect(explanationOf(sandbox, 'no valid recipients')).toMatch(/No SMTP service here/);
  });
});

describe('Postfix\'s 221 2.7.0 after a refused DATA ends the session', () => {
  it('closes on the first header line sent as a command, explains why, and notes the RFC\'s 421', () => {
    const postfix = talkTo('postfix', ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@nowhere.invalid>']);
    expect(postfix.say('DATA').codes).toEqual([554]);
    postfix.model.send({ type: 'client.line', text: 'Subject: hello' });
    const answer = postfix.server.receive('Subject: hello\r\n');
    expect(answer).toBe('221 2.7.0 Error: I can break rules, too. Goodbye.\r\n');
    postfix.model.send({ type: 'server.reply', reply: reply(answer.trimEnd()) });
    expect(statePath(postfix.model.getSnapshot().value)).toBe('closing');
    const entry = postfix.model.transcript.at(-1);
    expect(entry?.explanation).toMatch(/lost track of the conversation/);
    expect(entry?.notes.join(' ')).toMatch(/221 without QUIT: the server is closing the connection/);
    expect(postfix.server.closed).toBe(true);
    postfix.model.send({ type: 'socket.closed', reason: 'closed by the server' });
    expect(statePath(postfix.model.getSnapshot().value)).toBe('closed');
  });

  it('a 221 that answers QUIT is the ordinary goodbye', () => {
    const postfix = talkTo('postfix');
    postfix.model.send({ type: 'client.line', text: 'QUIT' });
    postfix.model.send({ type: 'server.reply', reply: reply(postfix.server.receive('QUIT\r\n').trimEnd()) });
    expect(statePath(postfix.model.getSnapshot().value)).toBe('closing');
    expect(postfix.model.transcript.at(-1)?.notes.join(' ')).not.toMatch(/without QUIT/);
  });
});
