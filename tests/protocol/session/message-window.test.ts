/**
 * A long message costs the model a fixed number of transcript entries: the first and last
 * lines, and one elision entry that counts the rest exactly; the draft's counts stay exact.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGE_HEAD_LINES, MESSAGE_TAIL_LINES, MessageWindow, elidedText } from '../../../protocol/session/message-window.ts';
import type { SessionActor } from '../../../protocol/session/index.ts';
import { identified, run, stateOf } from './helpers.ts';

function inData(): SessionActor {
  return run(['C: MAIL FROM:<a@example.com>', 'S: 250 OK', 'C: RCPT TO:<b@example.org>', 'S: 250 OK', 'C: DATA', 'S: 354 go ahead'], identified());
}

const lineText = (n: number) => `line ${n} ${'x'.repeat(n % 7)}`;

describe('message window in the session model', () => {
  it('keeps the first and last lines of a long message and one entry counting the rest', () => {
    const session = inData();
    const before = session.transcript.length;
    const total = 10_000;
    let bytes = 0;
    for (let n = 1; n <= total; n++) {
      session.send({ type: 'client.line', text: lineText(n) });
      bytes += Buffer.byteLength(lineText(n)) + 2;
    }
    // While the message is written, only the head is in the transcript; the tail waits for its end.
    expect(session.transcript.length - before).toBe(MESSAGE_HEAD_LINES);
    expect(session.getSnapshot().context.draft).toMatchObject({ lines: MESSAGE_HEAD_LINES });
    session.send({ type: 'client.line', text: '.' });
    run(['S: 250 queued as Q1'], session);

    const added = session.transcript.slice(before);
    // Head, the elision, the tail, the `.` and the reply.
    expect(added).toHaveLength(MESSAGE_HEAD_LINES + 1 + MESSAGE_TAIL_LINES + 2);
    const elision = added[MESSAGE_HEAD_LINES];
    const elidedLines = total - MESSAGE_HEAD_LINES - MESSAGE_TAIL_LINES;
    let elidedBytes = 0;
    for (let n = MESSAGE_HEAD_LINES + 1; n <= total - MESSAGE_TAIL_LINES; n++) elidedBytes += Buffer.byteLength(lineText(n)) + 2;
    expect(elision).toMatchObject({ role: 'elided', from: 'client', text: elidedText({ lines: elidedLines, bytes: elidedBytes }) });
    expect(elision?.text).toBe(`… 9,930 more lines (${(elidedBytes / 1000).toFixed(1)} kB) not kept`);
    expect(added[MESSAGE_HEAD_LINES - 1]?.text).toBe(lineText(MESSAGE_HEAD_LINES));
    expect(added[MESSAGE_HEAD_LINES + 1]?.text).toBe(lineText(total - MESSAGE_TAIL_LINES + 1));
    expect(added.at(-3)?.text).toBe(lineText(total));
    expect(added.at(-2)).toMatchObject({ role: 'end-of-data', answeredBy: added.at(-1)?.index });

    const message = session.getSnapshot().context.messages.at(-1);
    expect(message).toMatchObject({ bytes, queueId: 'Q1' });
    expect(message?.body.split('\r\n').length).toBe(MESSAGE_HEAD_LINES + MESSAGE_TAIL_LINES + 1);
    expect(stateOf(session)).toBe('identified.idle');
  });

  it('keeps every line of a message that fits, with no elision entry', () => {
    const session = inData();
    const before = session.transcript.length;
    const count = MESSAGE_HEAD_LINES + MESSAGE_TAIL_LINES;
    for (let n = 1; n <= count; n++) session.send({ type: 'client.line', text: lineText(n) });
    session.send({ type: 'client.line', text: '.' });
    const added = session.transcript.slice(before);
    expect(added.map((entry) => entry.role)).not.toContain('elided');
    expect(added).toHaveLength(count + 1);
  });

  it('takes a recorded client.elided like the lines it stands for', () => {
    const live = inData();
    const replayed = inData();
    const window = new MessageWindow<string>((text) => text);
    const recorded: ({ lines: number; bytes: number } | string)[] = [];
    for (let n = 1; n <= 500; n++) {
      const text = lineText(n);
      live.send({ type: 'client.line', text });
      const kept = window.push(text);
      if (kept !== null) recorded.push(kept);
    }
    const end = window.end();
    if (end.elided !== null) recorded.push(end.elided);
    recorded.push(...end.tail);
    for (const item of recorded) replayed.send(typeof item === 'string' ? { type: 'client.line', text: item } : { type: 'client.elided', ...item });
    for (const session of [live, replayed]) session.send({ type: 'client.line', text: '.' });

    expect(replayed.transcript.map((entry) => entry.text)).toEqual(live.transcript.map((entry) => entry.text));
    expect(replayed.getSnapshot().context.draft).toEqual(live.getSnapshot().context.draft);
  });

  it('releases the held lines when the connection closes mid-message', () => {
    const session = inData();
    for (let n = 1; n <= 200; n++) session.send({ type: 'client.line', text: lineText(n) });
    session.send({ type: 'socket.closed', reason: null });
    const texts = session.transcript.map((entry) => entry.text);
    expect(texts).toContain(lineText(200));
    expect(texts.filter((text) => text.startsWith('… 130 more lines'))).toHaveLength(1);
  });
});
