/**
 * The emitted transcript events that hosts (the bridge, the browser) follow: a data batch
 * arrives as one `transcript.appendedMany`, and a reply's entry links back to its command.
 */
import { describe, expect, it } from 'vitest';
import { addChangedIndexes, type SessionEmitted } from '../../../protocol/session/index.ts';
import { BARE_CR_NOTE } from '../../../protocol/session/line-steps.ts';
import { identified, run } from './helpers.ts';

describe('transcript events', () => {
  it('sends the lines of a message as one batch, and the reply links to the end of data', () => {
    const session = identified();
    const emitted: SessionEmitted[] = [];
    session.actor.on('*', (event) => emitted.push(event as SessionEmitted));
    run(['C: MAIL FROM:<a@example.com>', 'S: 250 OK', 'C: RCPT TO:<b@example.org>', 'S: 250 OK', 'C: DATA', 'S: 354 go ahead'], session);
    emitted.length = 0;
    for (const text of ['Subject: hi', '', '..dot', '.']) session.send({ type: 'client.line', text });
    session.getSnapshot();

    const batches = emitted.filter((event) => event.type === 'transcript.appendedMany');
    expect(batches).toHaveLength(1);
    const batch = batches[0];
    if (batch?.type !== 'transcript.appendedMany') throw new Error('no batch');
    expect(batch.entries.map((entry) => entry.text)).toEqual(['Subject: hi', '', '..dot', '.']);

    run(['S: 250 queued as X1'], session);
    const transcript = session.transcript;
    const end = transcript.findIndex((entry) => entry.text === '.');
    const replyEntry = transcript[transcript.length - 1];
    expect(replyEntry?.answers).toBe(end);
    expect(transcript[end]?.answeredBy).toBe(replyEntry?.index);
  });

  it('reports every transcript index an event changed, including the line a reply answers', () => {
    const session = identified();
    const changed = new Set<number>();
    session.actor.on('*', (event) => addChangedIndexes(event as SessionEmitted, changed));
    run(['C: NOOP', 'S: 250 OK'], session);
    const noop = session.transcript.findIndex((entry) => entry.text === 'NOOP');
    expect([...changed].sort((a, b) => a - b)).toEqual([noop, noop + 1]);
  });

  it('flags a message line holding a bare CR, and only that line', () => {
    const session = identified();
    run(['C: MAIL FROM:<a@example.com>', 'S: 250 OK', 'C: RCPT TO:<b@example.org>', 'S: 250 OK', 'C: DATA', 'S: 354 go ahead'], session);
    for (const text of ['Subject: hi', '', 'one\rtwo', 'plain', '.']) session.send({ type: 'client.line', text });
    const notesOf = (text: string) => session.transcript.find((entry) => entry.text === text)?.notes ?? [];
    expect(notesOf('one\rtwo')).toContain(BARE_CR_NOTE);
    expect(notesOf('plain')).not.toContain(BARE_CR_NOTE);
  });
});
