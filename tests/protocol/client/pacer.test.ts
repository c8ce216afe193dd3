/** The pacer's script groups and BDAT chunks, decided by a session model fed by hand. */
import { describe, expect, it } from 'vitest';
import { chunkOctetsOwed, mustWait, nextScriptGroup } from '../../../protocol/client/pacer.ts';
import { parseScript } from '../../../protocol/replay/parse-script.ts';
import type { Reply } from '../../../protocol/replies/types.ts';
import { createSessionActor } from '../../../protocol/session/index.ts';

const reply = (code: number, text = 'ok'): Reply => ({ code, lines: [`${code} ${text}`], texts: [text], enhanced: null });

function greetedWithChunking() {
  const model = createSessionActor();
  model.send({ type: 'socket.opened', server: 'test' });
  model.send({ type: 'server.reply', reply: reply(220) });
  model.send({ type: 'client.line', text: 'EHLO a' });
  model.send({ type: 'server.reply', reply: { code: 250, lines: ['250-x', '250 CHUNKING'], texts: ['x', 'CHUNKING'], enhanced: null } });
  for (const line of ['MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>']) {
    model.send({ type: 'client.line', text: line });
    model.send({ type: 'server.reply', reply: reply(250) });
  }
  return model;
}

function lines(text: string) {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.lines;
}

describe('the pacer', () => {
  it('sends the octets a BDAT announced without waiting for its reply, then waits', () => {
    const model = greetedWithChunking();
    model.send({ type: 'client.line', text: 'BDAT 14 LAST' });
    expect(chunkOctetsOwed(model.getSnapshot())).toBe(14);
    expect(mustWait(model.getSnapshot())).toBe(false);
    model.send({ type: 'client.line', text: 'Subject: x' });
    expect(chunkOctetsOwed(model.getSnapshot())).toBe(2);
    model.send({ type: 'client.line', text: '' });
    expect(chunkOctetsOwed(model.getSnapshot())).toBe(0);
    expect(mustWait(model.getSnapshot())).toBe(true);
  });

  it('groups a line with its + lines, and a message through its dot after 354', () => {
    const model = greetedWithChunking();
    const script = lines('NOOP\n+ NOOP\nDATA\nSubject: s\n<empty>\nbody\n.\n+ QUIT\nNOOP');
    expect(nextScriptGroup(script, 0, model.getSnapshot())).toBe(2);
    model.send({ type: 'client.line', text: 'DATA' });
    expect(nextScriptGroup(script, 3, model.getSnapshot())).toBe(0);
    model.send({ type: 'server.reply', reply: reply(354, 'go ahead') });
    expect(nextScriptGroup(script, 3, model.getSnapshot())).toBe(5);
  });
});
