import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { sessionMachine, statePath, summarizeSession } from '../../../protocol/session/index.ts';
import { EHLO_REPLY, identified, reply, run, stateOf } from './helpers.ts';

describe('session model: pure transitions', () => {
  it('advances on the server reply, not on the client line, and emits transcript entries', () => {
    let [snapshot] = initialTransition(sessionMachine);
    [snapshot] = transition(sessionMachine, snapshot, { type: 'socket.opened', server: 's:25' });
    expect(statePath(snapshot.value)).toBe('awaitingGreeting');
    [snapshot] = transition(sessionMachine, snapshot, { type: 'server.reply', reply: reply('220 s ESMTP') });
    expect(statePath(snapshot.value)).toBe('greeted');
    const [afterLine, actions] = transition(sessionMachine, snapshot, { type: 'client.line', text: 'EHLO me.example' });
    expect(statePath(afterLine.value)).toBe('greeted');
    expect(afterLine.context.pending.map((pending) => pending.kind)).toEqual(['EHLO']);
    const emitted = actions.filter((action) => (action.type as string) === 'xstate.emit');
    expect(emitted).toHaveLength(1);
    const [afterReply] = transition(sessionMachine, afterLine, { type: 'server.reply', reply: EHLO_REPLY });
    expect(statePath(afterReply.value)).toBe('identified.idle');
    expect(afterReply.context.identity).toEqual({ verb: 'EHLO', domain: 'me.example' });
    expect(Object.keys(afterReply.context.extensions ?? {})).toEqual(['PIPELINING', '8BITMIME', 'AUTH', 'STARTTLS', 'SIZE']);
  });
});

describe('session model: conversations', () => {
  it('follows the happy path and records the accepted message', () => {
    const session = identified();
    run(['C: MAIL FROM:<alice@example.com>', 'S: 250 ok'], session);
    expect(stateOf(session)).toBe('identified.transaction.hasSender');
    run(['C: RCPT TO:<bob@example.org>', 'S: 250 ok'], session);
    expect(stateOf(session)).toBe('identified.transaction.hasRecipients');
    run(['C: DATA'], session);
    expect(stateOf(session)).toBe('awaitingDataGo');
    run(['S: 354 go ahead', 'C: Subject: hi', 'C: ', 'C: Hello', 'C: .'], session);
    expect(stateOf(session)).toBe('awaitingDataReply');
    run(['S: 250 2.0.0 OK: message queued as 4F2A9C01B3', 'C: QUIT', 'S: 221 Bye'], session);
    expect(stateOf(session)).toBe('closing');
    session.send({ type: 'socket.closed', reason: null });
    const summary = summarizeSession(session.getSnapshot());
    expect(summary.state).toBe('closed');
    expect(summary.messages).toEqual([
      { sender: 'alice@example.com', recipients: ['bob@example.org'], body: 'Subject: hi\r\n\r\nHello\r\n', bytes: 22, queueId: '4F2A9C01B3' },
    ]);
    expect(summary.envelope).toEqual({ sender: null, recipients: [] });
  });

  it('pairs pipelined replies in order and keeps only the accepted recipient', () => {
    const session = run(
      ['C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.com>', 'C: RCPT TO:<c@example.com>', 'C: DATA'],
      identified(),
    );
    expect(stateOf(session)).toBe('identified.idle');
    run(['S: 250 ok', 'S: 550 no such user', 'S: 250 ok'], session);
    expect(session.getSnapshot().context.envelope).toEqual({ sender: 'a@example.com', recipients: ['c@example.com'] });
    expect(stateOf(session)).toBe('awaitingDataGo');
    const replies = session.transcript.filter((entry) => entry.from === 'server').slice(-3);
    const answered = replies.map((entry) => session.transcript[entry.answers ?? -1]?.text);
    expect(answered).toEqual(['MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
    expect(replies[1]?.notes).toContain('Rejected: the session state did not change.');
    expect(replies[1]?.notes[0]).toBe('This reply answers RCPT TO (pipelined).');
  });

  it('keeps the state after a rejected command', () => {
    const session = run(['C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'C: MAIL FROM:<b@example.com>', 'S: 503 nested MAIL'], identified());
    expect(stateOf(session)).toBe('identified.transaction.hasSender');
    expect(session.getSnapshot().context.envelope.sender).toBe('a@example.com');
    run(['C: DATA', 'S: 503 need RCPT'], session);
    expect(stateOf(session)).toBe('identified.transaction.hasSender');
    expect(session.getSnapshot().context.counts.rejections).toBe(2);
  });

  it('classifies lines sent before the 354 as message data when DATA is accepted', () => {
    const session = run(
      ['C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.com>', 'C: DATA', 'C: Subject: x', 'C: ..hidden', 'C: .', 'C: QUIT'],
      identified(),
    );
    expect(session.getSnapshot().context.held).toHaveLength(4);
    run(['S: 250 ok', 'S: 250 ok', 'S: 354 go'], session);
    expect(stateOf(session)).toBe('awaitingDataReply');
    const roles = session.transcript.filter((entry) => entry.from === 'client').slice(-4).map((entry) => entry.role);
    expect(roles).toEqual(['message-data', 'message-data', 'end-of-data', 'command']);
    const hidden = session.transcript.find((entry) => entry.text === '..hidden');
    expect(hidden?.notes).toContain('Dot-stuffed. RFC 5321 §4.5.2: the server removes the first dot, storing `.hidden`; smtp-server does so too.');
    run(['S: 250 queued as Q1', 'S: 221 bye'], session);
    expect(session.getSnapshot().context.messages[0]?.body).toBe('Subject: x\r\n.hidden\r\n');
    expect(stateOf(session)).toBe('closing');
  });

  it('classifies lines sent before the reply as commands when DATA is refused', () => {
    const session = run(['C: MAIL FROM:<a@example.com>', 'C: DATA', 'C: NOOP', 'C: RSET'], identified());
    run(['S: 250 ok', 'S: 503 need RCPT'], session);
    expect(stateOf(session)).toBe('identified.transaction.hasSender');
    expect(session.getSnapshot().context.pending.map((pending) => pending.kind)).toEqual(['NOOP', 'RSET']);
    const noop = session.transcript.find((entry) => entry.text === 'NOOP');
    expect(noop?.role).toBe('command');
    expect(noop?.notes).toContain('The server refused DATA, so it read this line, sent before that reply, as a command.');
    run(['S: 250 ok', 'S: 250 flushed'], session);
    expect(stateOf(session)).toBe('identified.idle');
  });

  it('follows AUTH PLAIN through a 334 continuation and learns the user', () => {
    const token = btoa('\u0000student\u0000learn-smtp');
    const session = run(['C: AUTH PLAIN'], identified());
    expect(stateOf(session)).toBe('authenticating.awaitingReply');
    run(['S: 334 '], session);
    expect(stateOf(session)).toBe('authenticating.awaitingResponse');
    run([`C: ${token}`], session);
    expect(stateOf(session)).toBe('authenticating.awaitingReply');
    run(['S: 235 Authentication successful'], session);
    expect(stateOf(session)).toBe('identified.idle');
    expect(session.getSnapshot().context.auth).toEqual({ mechanism: 'PLAIN', user: 'student' });
  });

  it('treats `*` as a cancelled AUTH exchange', () => {
    const session = run(['C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: *', 'S: 501 Authentication aborted'], identified());
    expect(stateOf(session)).toBe('identified.idle');
    expect(session.getSnapshot().context.auth).toBeNull();
    expect(session.transcript.find((entry) => entry.text === '*')?.role).toBe('auth-response');
  });

  it('resets extensions after STARTTLS and needs a new EHLO', () => {
    const session = run(['C: STARTTLS', 'C: MAIL FROM:<a@example.com>'], identified());
    expect(stateOf(session)).toBe('startingTls.awaitingReady');
    run(['S: 220 Ready to start TLS'], session);
    expect(stateOf(session)).toBe('startingTls.handshaking');
    expect(session.transcript.find((entry) => entry.text === 'MAIL FROM:<a@example.com>')?.role).toBe('discarded');
    session.send({ type: 'tls.established', tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', simulated: false } });
    const context = session.getSnapshot().context;
    expect(stateOf(session)).toBe('greeted');
    expect(context.extensions).toBeNull();
    expect(context.identity).toBeNull();
    expect(context.tls?.protocol).toBe('TLSv1.3');
    expect(context.pending).toEqual([]);
    run(['C: EHLO client.example', reply('250-s', '250 AUTH PLAIN')], session);
    expect(stateOf(session)).toBe('identified.idle');
    expect(Object.keys(session.getSnapshot().context.extensions ?? {})).toEqual(['AUTH']);
  });

  it('closes on an unsolicited 421', () => {
    const session = run(['C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'S: 421 Timeout - closing connection'], identified());
    expect(stateOf(session)).toBe('closing');
    expect(session.getSnapshot().context.counts.unexpectedReplies).toBe(1);
    session.send({ type: 'socket.closed', reason: 'server closed' });
    expect(stateOf(session)).toBe('closed');
  });

  it('resets the envelope on RSET', () => {
    const session = run(['C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'C: RCPT TO:<b@example.com>', 'S: 250 ok', 'C: RSET', 'S: 250 Flushed'], identified());
    expect(stateOf(session)).toBe('identified.idle');
    expect(session.getSnapshot().context.envelope).toEqual({ sender: null, recipients: [] });
  });

  it('records several messages in one session', () => {
    const session = identified();
    for (const name of ['one', 'two', 'three']) {
      run(['C: MAIL FROM:<a@example.com>', 'S: 250 ok', `C: RCPT TO:<${name}@example.com>`, 'S: 250 ok', 'C: DATA', 'S: 354 go', `C: Body ${name}`, 'C: .', `S: 250 queued as ID${name}`], session);
    }
    const messages = session.getSnapshot().context.messages;
    expect(messages.map((message) => [message.recipients[0], message.body, message.queueId])).toEqual([
      ['one@example.com', 'Body one\r\n', 'IDone'],
      ['two@example.com', 'Body two\r\n', 'IDtwo'],
      ['three@example.com', 'Body three\r\n', 'IDthree'],
    ]);
  });

  it('removes the first dot of a data line (`..foo` is stored as `.foo`)', () => {
    const session = run(['C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'C: RCPT TO:<b@example.com>', 'S: 250 ok', 'C: DATA', 'S: 354 go', 'C: ..foo', 'C: ...', 'C: .'], identified());
    expect(session.getSnapshot().context.draft?.body).toBe('.foo\r\n..\r\n');
  });

  it('explains a malformed line with the grammar\'s error and counts it', () => {
    const session = run(['C: MAIL FROM:alice@example.com', 'S: 501 bad syntax'], identified());
    const entry = session.transcript.find((candidate) => candidate.text === 'MAIL FROM:alice@example.com');
    expect(entry?.explanation).toMatch(/angle brackets/);
    expect(session.getSnapshot().context.counts.syntaxErrors).toBe(1);
    expect(stateOf(session)).toBe('identified.idle');
  });
});
