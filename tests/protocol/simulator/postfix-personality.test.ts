/**
 * The `postfix` personality, difference by difference. Every expected reply below was copied
 * from the real lab Postfix 3.7 on 127.0.0.1:25 (.ci/postfix-lab.sh); tests/conformance
 * compares the two servers scenario by scenario.
 */
import { describe, expect, it } from 'vitest';
import { serverOverridesSchema } from '../../../protocol/lessons/server-config.ts';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, SimulatedServer, type SimulatedMessage } from '../../../protocol/simulator/index.ts';
import { converse, replies } from './converse.ts';

const POSTFIX_CONFIG = { ...DEFAULT_SANDBOX_CONFIG, personality: 'postfix', hostname: 'mx.lab.test' } as const;

function postfix(onMessage?: (message: SimulatedMessage) => void): SimulatedServer {
  const server = new SimulatedServer({ config: POSTFIX_CONFIG, newQueueId: () => '104F616C00E', ...(onMessage ? { onMessage } : {}) });
  server.greeting();
  return server;
}

const EHLO_REPLY = [
  '250-mx.lab.test',
  '250-PIPELINING',
  '250-SIZE 10240000',
  '250-VRFY',
  '250-ETRN',
  '250-ENHANCEDSTATUSCODES',
  '250-8BITMIME',
  '250-DSN',
  '250-SMTPUTF8',
  '250 CHUNKING',
].join('\r\n');

describe('the postfix personality', () => {
  it('greets with the lab banner and lists Postfix\'s extensions (no AUTH, no STARTTLS)', () => {
    const server = new SimulatedServer({ config: POSTFIX_CONFIG });
    expect(server.greeting()).toBe('220 mx.lab.test ESMTP Postfix\r\n');
    expect(replies(server, ['EHLO x.test', 'HELO x.test', 'EHLO', 'HELO'])).toEqual([
      EHLO_REPLY,
      '250 mx.lab.test',
      '501 Syntax: EHLO hostname',
      '501 Syntax: HELO hostname',
    ]);
  });

  it('is chosen by config.personality (also a lesson\'s server.personality); smtp-server stays the default', () => {
    expect(DEFAULT_SANDBOX_CONFIG.personality).toBe('smtp-server');
    expect(PERSONALITIES.postfix.evidence).toBe('verified-against-server');
    expect(serverOverridesSchema.parse({ personality: 'postfix' })).toEqual({ personality: 'postfix' });
    expect(serverOverridesSchema.safeParse({ personality: 'sendmail' }).success).toBe(false);
  });

  // Each line with its reply, on a fresh greeted server.
  it.each([
    {
      does: 'accepts MAIL before EHLO and tells DATA without recipients apart from DATA without a sender',
      script: [
        ['MAIL FROM:<a@b.test>', '250 2.1.0 Ok'],
        ['DATA', '554 5.5.1 Error: no valid recipients'],
        ['RCPT TO:<alice@lab.test>', '250 2.1.5 Ok'],
        ['RSET', '250 2.0.0 Ok'],
        ['DATA', '503 5.5.1 Error: need RCPT command'],
      ],
    },
    {
      does: 'keeps a refused SIZE in force until RSET',
      script: [
        ['MAIL FROM:<a@b.test> SIZE=99999999999', '552 5.3.4 Message size exceeds fixed limit'],
        ['MAIL FROM:<a@b.test>', '552 5.3.4 Message size exceeds fixed limit'],
        ['RSET', '250 2.0.0 Ok'],
        ['MAIL FROM:<a@b.test>', '250 2.1.0 Ok'],
      ],
    },
    {
      does: 'refuses arguments to RSET and DATA but not to NOOP',
      script: [
        ['MAIL FROM:<a@b.test>', '250 2.1.0 Ok'],
        ['RCPT TO:<bob@lab.test>', '250 2.1.5 Ok'],
        ['DATA now', '501 5.5.4 Syntax: DATA'],
        ['RSET now', '501 5.5.4 Syntax: RSET'],
        ['NOOP x', '250 2.0.0 Ok'],
      ],
    },
  ] as const)('$does', ({ script }) => {
    expect(replies(postfix(), script.map(([line]) => line))).toEqual(script.map(([, reply]) => reply));
  });

  it('hangs up on message header lines sent as commands after a refused DATA', () => {
    expect(converse(postfix(), ['HELO x', 'MAIL FROM:<a@b.test>', 'DATA', 'Subject: hi'])).toEqual({
      replies: ['250 mx.lab.test', '250 2.1.0 Ok', '554 5.5.1 Error: no valid recipients', '221 2.7.0 Error: I can break rules, too. Goodbye.'],
      closed: true,
    });
  });

  it('hangs up on forbidden commands (CONNECT, GET, POST, a line not starting with a letter)', () => {
    for (const line of ['CONNECT x', 'GET / HTTP/1.0', '123', 'X-Foo: y']) {
      expect(replies(postfix(), [line])).toEqual(['221 2.7.0 Error: I can break rules, too. Goodbye.']);
    }
  });

  it('answers unknown MAIL and RCPT parameters with 555', () => {
    expect(
      replies(postfix(), [
        'MAIL FROM:<a@b.test> FOO=bar',
        'MAIL FROM:<a@b.test> BODY=junk',
        'MAIL FROM:<a@b.test> SMTPUTF8=x',
        'MAIL FROM:<a@b.test> SIZE',
        'MAIL FROM:<a@b.test> BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x',
        'RCPT TO:<alice@lab.test> FOO',
        'RCPT TO:<bob@lab.test> ORCPT=rfc822;bob@lab.test NOTIFY=SUCCESS,FAILURE',
      ]),
    ).toEqual([
      '555 5.5.4 Unsupported option: FOO=bar',
      '555 5.5.4 Unsupported option: BODY=junk',
      '555 5.5.4 Unsupported option: SMTPUTF8=x',
      '555 5.5.4 Unsupported option: SIZE',
      '250 2.1.0 Ok',
      '555 5.5.4 Unsupported option: FOO',
      '250 2.1.5 Ok',
    ]);
  });

  it('gives the opposite verdict from smtp-server on lenient and strict address syntax', () => {
    const accepted = ['<"a b"@b.test>', '<a.@b.test>', '<a@b.test.>', '< a@b.test >', '<@r.test:a@b.test>', 'a@b.test', '<a..b@b.test>', '<a>', '<a@[127.0.0.1]>'];
    for (const address of accepted) {
      expect(replies(postfix(), [`MAIL FROM:${address}`])).toEqual(['250 2.1.0 Ok']);
    }
    expect(replies(postfix(), ['MAIL FROM :<a@b.test>', 'MAIL FROM:', 'MAIL', 'MAIL TO:<a@b.test>'])).toEqual(
      Array(4).fill('501 5.5.4 Syntax: MAIL FROM:<address>'),
    );
    expect(replies(postfix(), ['MAIL FROM:<a@b..test>', 'MAIL FROM:<a@-b.test>', 'MAIL FROM:<a@b.test'])).toEqual(
      Array(3).fill('501 5.1.7 Bad sender address syntax'),
    );
  });

  it('reads brackets, spaces and non-ASCII domains as Postfix does', () => {
    expect(
      replies(postfix(), [
        'MAIL FROM:<a b@example.com>',
        'MAIL FROM:<a@bücher.example>',
        'MAIL FROM:<<a@example.com>>',
        'RSET',
        'MAIL FROM:a@example.com>',
        'RSET',
        'MAIL FROM:<a@bücher.example> SMTPUTF8',
        'RCPT TO:<alice@[127.0.0.1]>',
        'RCPT TO:<alice@[127.0.0.2]>',
      ]),
    ).toEqual([
      '501 5.1.7 Bad sender address syntax',
      '501 5.1.7 Bad sender address syntax',
      '250 2.1.0 Ok',
      '250 2.0.0 Ok',
      '250 2.1.0 Ok',
      '250 2.0.0 Ok',
      '250 2.1.0 Ok',
      '250 2.1.5 Ok',
      '554 5.7.1 <alice@[127.0.0.2]>: Relay access denied',
    ]);
  });

  it('checks the DSN parameters (RFC 3461) and SIZE as Postfix does', () => {
    expect(
      replies(postfix(), [
        'MAIL FROM:<a@b.test> RET=NONSENSE',
        'MAIL FROM:<a@b.test> ENVID=a+ZZb',
        'MAIL FROM:<a@b.test> SIZE=9223372036854775808',
        'RSET',
        'MAIL FROM:<a@b.test> SIZE=9223372036854775807',
        'RSET',
        'MAIL FROM:<a@b.test>',
        'RCPT TO:<alice@lab.test> NOTIFY=NEVER,SUCCESS',
        'RCPT TO:<alice@lab.test> ORCPT=bogus',
        'RCPT TO:<alice@lab.test> NOTIFY=delay',
        'ETRN lab.test',
      ]),
    ).toEqual([
      '501 5.5.4 Bad RET parameter syntax',
      '501 5.5.4 Bad ENVID parameter syntax',
      '552 5.3.4 Message size exceeds file system imposed limit',
      '250 2.0.0 Ok',
      '552 5.3.4 Message size exceeds fixed limit',
      '250 2.0.0 Ok',
      '250 2.1.0 Ok',
      '501 5.5.4 Error: Bad NOTIFY parameter syntax',
      '501 5.5.4 Error: Bad ORCPT parameter syntax',
      '250 2.1.5 Ok',
      '503 Error: MAIL transaction in progress',
    ]);
  });

  it('knows its local users and refuses relaying', () => {
    const server = postfix();
    expect(
      replies(server, [
        'MAIL FROM:<a@b.test>',
        'RCPT TO:<ALICE@LAB.TEST>',
        'RCPT TO:<alice+x@lab.test>',
        'RCPT TO:<root@localhost>',
        'RCPT TO:<Postmaster@LocalHost>',
        'RCPT TO:<postmaster>',
        'RCPT TO:<zed@lab.test>',
        'RCPT TO:<"x y"@lab.test>',
        'RCPT TO:<x@example.com>',
        'RCPT TO:<alice>',
        'RCPT TO:<>',
        'RCPT TO:',
        'RCPT TO: <bob@lab.test>',
      ]),
    ).toEqual([
      '250 2.1.0 Ok',
      ...Array(5).fill('250 2.1.5 Ok'),
      '550 5.1.1 <zed@lab.test>: Recipient address rejected: User unknown in local recipient table',
      '550 5.1.1 <x y@lab.test>: Recipient address rejected: User unknown in local recipient table',
      '554 5.7.1 <x@example.com>: Relay access denied',
      '554 5.7.1 <alice>: Relay access denied',
      '501 5.1.3 Bad recipient address syntax',
      '501 5.5.4 Syntax: RCPT TO:<address>',
      '250 2.1.5 Ok',
    ]);
  });

  it('answers HELP and EXPN as unknown, really checks VRFY, refuses ETRN, AUTH and STARTTLS', () => {
    expect(
      replies(postfix(), [
        'HELP',
        'EXPN alice',
        'VRFY nobody@lab.test',
        'VRFY <alice@lab.test>',
        'VRFY zed@lab.test',
        'VRFY x@example.com',
        'VRFY',
        'VRFY a b',
        'ETRN lab.test',
        'ETRN',
        'AUTH PLAIN AGFsaWNlAHg=',
        'STARTTLS',
      ]),
    ).toEqual([
      '500 5.5.2 Error: command not recognized',
      '500 5.5.2 Error: command not recognized',
      '252 2.0.0 nobody@lab.test',
      '252 2.0.0 <alice@lab.test>',
      '550 5.1.1 <zed@lab.test>: Recipient address rejected: User unknown in local recipient table',
      '554 5.7.1 <x@example.com>: Relay access denied',
      '501 5.5.4 Syntax: VRFY address [SMTPUTF8]',
      '501 5.1.3 Bad recipient address syntax',
      '459 <lab.test>: service unavailable',
      '500 Syntax: ETRN domain',
      '503 5.5.1 Error: authentication not enabled',
      '502 5.5.1 Error: command not implemented',
    ]);
  });

  it('strips any single leading dot, ends data at a bare-LF dot line, and queues with its id', () => {
    const messages: SimulatedMessage[] = [];
    const server = postfix((message) => messages.push(message));
    expect(server.receive('HELO x\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\n')).toBe(
      '250 mx.lab.test\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n',
    );
    expect(server.receive('..two\r\n.one\r\nx.\nlast\n.\nNOOP\r\n')).toBe('250 2.0.0 Ok: queued as 104F616C00E\r\n250 2.0.0 Ok\r\n');
    expect(messages.map((message) => message.data)).toEqual(['.two\r\none\r\nx.\r\nlast\r\n']);
  });

  it('advertises CHUNKING and reads BDAT chunks by their size, whatever the verdict', () => {
    const messages: SimulatedMessage[] = [];
    const server = postfix((message) => messages.push(message));
    expect(server.receive('EHLO x\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<bob@lab.test>\r\nBDAT 5\r\nhel')).toContain('250 2.1.5 Ok\r\n');
    expect(server.receive('lo')).toBe('250 2.0.0 Ok: 5 bytes\r\n');
    expect(server.receive('DATA\r\nBDAT 2 LAST\r\nab')).toBe('503 5.5.1 Error: DATA after BDAT\r\n250 2.0.0 Ok: 9 bytes queued as 104F616C00E\r\n');
    expect(messages.map((message) => message.data)).toEqual(['helloab\r\n']);
    const refused = postfix();
    expect(refused.receive('BDAT 3\r\nabc')).toBe('503 5.5.1 Error: need RCPT command\r\n');
    expect(refused.receive('MAIL FROM:<a@b.test>\r\nBDAT 3 LAST\r\nabc')).toBe('250 2.1.0 Ok\r\n554 5.5.1 Error: no valid recipients\r\n');
    // A line end after the chunk is an empty command line, as on the real server.
    expect(replies(refused, ['', 'RCPT TO:<bob@lab.test>', 'BDAT 0 LAST'])).toEqual([
      '500 5.5.2 Error: bad syntax',
      '250 2.1.5 Ok',
      '250 2.0.0 Ok: 0 bytes queued as 104F616C00E',
    ]);
    expect(converse(postfix(), ['BDAT 1 FOO'])).toEqual({ replies: ['521 5.5.4 Syntax: BDAT count [LAST]'], closed: true });
  });

  it('counts every octet of a message past the size limit and still refuses it with 552', () => {
    const limit = 10_240_000;
    const server = postfix();
    expect(replies(server, ['EHLO x', 'MAIL FROM:<a@b.test>', 'RCPT TO:<bob@lab.test>'])).toHaveLength(3);
    expect(server.receive(`BDAT ${limit + 10}\r\n`)).toBe('');
    expect(server.receive('a'.repeat(limit))).toBe('');
    expect(server.receive('é'.repeat(5))).toBe(`250 2.0.0 Ok: ${limit + 10} bytes\r\n`);
    expect(server.receive('BDAT 3\r\nabc')).toBe(`250 2.0.0 Ok: ${limit + 13} bytes\r\n`);
    expect(server.receive('BDAT 1 LAST\r\nb')).toBe('552 5.3.4 Message size exceeds fixed limit\r\n');
    const line = `${'x'.repeat(998)}\r\n`;
    expect(server.receive('MAIL FROM:<a@b.test>\r\nRCPT TO:<bob@lab.test>\r\nDATA\r\n')).toContain('354 ');
    expect(server.receive(line.repeat(Math.ceil(limit / line.length)))).toBe('');
    expect(server.receive('y'.repeat(limit + 5))).toBe('');
    expect(server.receive('\r\n.\r\n')).toBe('552 5.3.4 Message size exceeds fixed limit\r\n');
  });

  it('reads what an early talker sent once it has greeted (no "You talk too soon")', () => {
    const server = new SimulatedServer({ config: POSTFIX_CONFIG });
    expect(server.receive('EHLO early\r\nNOOP\r\n')).toBe('');
    expect(server.greeting()).toBe(`220 mx.lab.test ESMTP Postfix\r\n${EHLO_REPLY}\r\n250 2.0.0 Ok\r\n`);
  });

  it('keeps answering 500 to unknown commands until the 20th error, then says 421 and hangs up', () => {
    const server = postfix();
    const answers = replies(server, Array.from({ length: 20 }, (_, index) => `FOO${index + 1}`));
    expect(answers.slice(0, 19)).toEqual(Array(19).fill('500 5.5.2 Error: command not recognized'));
    expect(answers[19]).toBe('500 5.5.2 Error: command not recognized\r\n421 4.7.0 mx.lab.test Error: too many errors');
    expect(server.closed).toBe(true);
  });

  it('reads the start of an over-long command line and skips the rest instead of closing', () => {
    const server = postfix();
    expect(server.receive(`NOOP ${'x'.repeat(1500)}`)).toBe('');
    expect(server.receive(`${'x'.repeat(1500)}\r\nQUIT\r\n`)).toBe('250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n');
    expect(replies(postfix(), ['', 'foo'])).toEqual(['500 5.5.2 Error: bad syntax', '500 5.5.2 Error: command not recognized']);
  });

  it('makes Postfix-style queue ids and Received headers', () => {
    expect(PERSONALITIES.postfix.newQueueId()).toMatch(/^[0-9A-F]{11}$/);
    const fields = { helo: 'x.test', clientAddress: '203.0.113.25', serverHostname: 'mx.lab.test', protocol: 'ESMTP', queueId: '104F616C00E' };
    const date = new Date(Date.UTC(2026, 11, 7, 13, 10, 0));
    expect(PERSONALITIES.postfix.receivedHeader?.({ ...fields, recipients: ['bob@lab.test'], date })).toBe(
      'Received: from x.test (unknown [203.0.113.25])\r\n\tby mx.lab.test (Postfix) with ESMTP id 104F616C00E\r\n\tfor <bob@lab.test>; Mon,  7 Dec 2026 13:10:00 +0000 (UTC)\r\n',
    );
    expect(PERSONALITIES.postfix.receivedHeader?.({ ...fields, recipients: ['a@lab.test', 'b@lab.test'], date })).toBe(
      'Received: from x.test (unknown [203.0.113.25])\r\n\tby mx.lab.test (Postfix) with ESMTP id 104F616C00E;\r\n\tMon,  7 Dec 2026 13:10:00 +0000 (UTC)\r\n',
    );
    expect(PERSONALITIES['smtp-server'].receivedHeader).toBeNull();
  });
});
