/**
 * The personalities modelled on documentation (exim, gmail, exchange): each one's banner,
 * EHLO keywords, unknown-user and relay replies, a sequence error, its early-talker or
 * pipelining behaviour, and the documented texts it uses (sources in their data files).
 */
import { describe, expect, it } from 'vitest';
import { serverOverridesSchema } from '../../../protocol/lessons/server-config.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, SimulatedServer, type SimulatedMessage } from '../../../protocol/simulator/index.ts';
import { GMAIL_SESSION_ID } from '../../../protocol/simulator/personalities/modelled/gmail-personality.ts';
import { converse, replies } from './converse.ts';

function connect(name: PersonalityName, onMessage?: (message: SimulatedMessage) => void): SimulatedServer {
  const config = { ...DEFAULT_SANDBOX_CONFIG, personality: name, hostname: PERSONALITIES[name].labHostname };
  return new SimulatedServer({ config, newQueueId: () => 'Q1', ...(onMessage ? { onMessage } : {}) });
}

function greeted(name: PersonalityName, onMessage?: (message: SimulatedMessage) => void): SimulatedServer {
  const server = connect(name, onMessage);
  server.greeting();
  return server;
}

const MESSAGE = 'Subject: hi\r\n\r\nhello\r\n.\r\n';

describe('every modelled personality', () => {
  it.each(['exim', 'gmail', 'exchange'] as const)('%s is labelled as modelled on documentation and delivers to a lab user', (name) => {
    expect(PERSONALITIES[name].evidence).toBe('modelled-on-documentation');
    expect(PERSONALITIES[name].labHostname).toMatch(/\.lab\.test$/);
    expect(serverOverridesSchema.parse({ personality: name })).toEqual({ personality: name });
    const messages: SimulatedMessage[] = [];
    const server = greeted(name, (message) => messages.push(message));
    replies(server, ['EHLO client.example', 'MAIL FROM:<me@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA']);
    server.receive(MESSAGE);
    expect(messages.map((message) => message.rcptTo)).toEqual([['alice@lab.test']]);
  });
});

describe('the exim personality (smtp_in.c, configure.default)', () => {
  it('greets with Exim\'s banner and lists its extensions after "Hello"', () => {
    const server = connect('exim');
    expect(server.greeting()).toMatch(/^220 mx\.exim\.lab\.test ESMTP Exim 4\.98 \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$/);
    expect(replies(server, ['EHLO client.example'])).toEqual([
      [
        '250-mx.exim.lab.test Hello client.example [203.0.113.25]',
        '250-SIZE 52428800',
        '250-LIMITS MAILMAX=1000 RCPTMAX=50000',
        '250-8BITMIME',
        '250-PIPELINING',
        '250-SMTPUTF8',
        '250 HELP',
      ].join('\r\n'),
    ]);
  });

  it('takes MAIL before EHLO, refuses unknown users and relaying, and queues with an Exim id', () => {
    const server = greeted('exim');
    expect(replies(server, [
      'MAIL FROM:<me@example.com>',
      'MAIL FROM:<me@example.com>',
      'RCPT TO:<nobody@lab.test>',
      'RCPT TO:<friend@example.org>',
      'DATA',
      'RCPT TO:<bob@lab.test>',
      'DATA',
    ])).toEqual([
      '250 OK',
      '503 sender already given',
      '550 Unknown user',
      '550 relay not permitted',
      '503 Valid RCPT command must precede DATA',
      '250 Accepted',
      '354 Enter message, ending with "." on a line by itself',
    ]);
    expect(server.receive(MESSAGE)).toBe('250 OK id=Q1\r\n');
    expect(replies(server, ['RSET', 'NOOP', 'QUIT'])).toEqual(['250 Reset OK', '250 OK', '221 mx.exim.lab.test closing connection']);
  });

  it('answers RCPT without MAIL, a bare EHLO and HELP with its own texts', () => {
    expect(replies(greeted('exim'), ['RCPT TO:<alice@lab.test>', 'EHLO', 'HELO', 'HELP'])).toEqual([
      '503 sender not yet given',
      '501 Syntactically invalid EHLO argument(s)',
      '501 Syntactically invalid HELO argument(s)',
      '214-Commands supported:\r\n214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP',
    ]);
  });

  it('refuses a client that talks before the greeting with 554 and hangs up', () => {
    const server = connect('exim');
    expect(server.receive('EHLO client.example\r\n')).toBe('554 SMTP synchronization error\r\n');
    expect(server.closed).toBe(true);
    expect(server.greeting()).toBe('');
  });

  it('hangs up with 554 when a command that must end a pipelined group is followed by more input', () => {
    const server = greeted('exim');
    replies(server, ['EHLO client.example']);
    // MAIL and RCPT may be pipelined; NOOP must be the last of its group.
    expect(server.receive('MAIL FROM:<me@example.com>\r\nRCPT TO:<alice@lab.test>\r\nNOOP\r\nRSET\r\n')).toBe(
      '250 OK\r\n250 Accepted\r\n554 SMTP synchronization error\r\n',
    );
    expect(server.closed).toBe(true);
  });

  it('ends the session on the fourth unknown command', () => {
    expect(converse(greeted('exim'), ['FOO', 'FOO', 'FOO', 'FOO'])).toEqual({
      replies: ['500 unrecognized command', '500 unrecognized command', '500 unrecognized command', '500 Too many unrecognized commands'],
      closed: true,
    });
  });
});

describe('the gmail personality (Google Workspace SMTP error reference)', () => {
  it('greets like mx.google.com and lists its extensions "at your service"', () => {
    const server = connect('gmail');
    expect(server.greeting()).toBe(`220 mx.gmail.lab.test ESMTP ${GMAIL_SESSION_ID} - gsmtp\r\n`);
    expect(replies(server, ['EHLO client.example'])).toEqual([
      [
        '250-mx.gmail.lab.test at your service, [203.0.113.25]',
        '250-SIZE 157286400',
        '250-8BITMIME',
        '250-STARTTLS',
        '250-ENHANCEDSTATUSCODES',
        '250-PIPELINING',
        '250 SMTPUTF8',
      ].join('\r\n'),
    ]);
  });

  it('wants EHLO/HELO before MAIL', () => {
    expect(replies(greeted('gmail'), ['MAIL FROM:<me@example.com>'])).toEqual([`503 5.5.1 EHLO/HELO first. ${GMAIL_SESSION_ID} - gsmtp`]);
  });

  it('refuses an unknown user with the documented three-line 550 5.1.1', () => {
    expect(replies(greeted('gmail'), ['EHLO client.example', 'MAIL FROM:<me@example.com>', 'RCPT TO:<nobody@lab.test>']).at(-1)).toBe([
      '550-5.1.1 The email account that you tried to reach does not exist. Please try',
      "550-5.1.1 double-checking the recipient's email address for typos or",
      `550 5.1.1 unnecessary spaces. ${GMAIL_SESSION_ID} - gsmtp`,
    ].join('\r\n'));
  });

  it('keeps smtp-server\'s early-talker refusal (no documented text of its own)', () => {
    const server = connect('gmail');
    expect(server.receive('EHLO client.example\r\n')).toBe('421 mx.gmail.lab.test You talk too soon\r\n');
    expect(server.closed).toBe(true);
  });
});

describe('the exchange personality (published Exchange sessions and NDRs)', () => {
  it('greets as the Microsoft ESMTP MAIL Service and lists its extensions after "Hello"', () => {
    const server = connect('exchange');
    expect(server.greeting()).toMatch(/^220 mx\.exchange\.lab\.test Microsoft ESMTP MAIL Service ready at \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$/);
    expect(replies(server, ['EHLO client.example'])).toEqual([
      [
        '250-mx.exchange.lab.test Hello [203.0.113.25]',
        '250-SIZE 78643200',
        '250-PIPELINING',
        '250-DSN',
        '250-ENHANCEDSTATUSCODES',
        '250-STARTTLS',
        '250 8BITMIME',
      ].join('\r\n'),
    ]);
  });

  it('answers the transaction with its texts and RESOLVER.ADR.RecipientNotFound for an unknown user', () => {
    const server = greeted('exchange');
    expect(replies(server, [
      'EHLO client.example',
      'MAIL FROM:<me@example.com>',
      'RCPT TO:<nobody@lab.test>',
      'RCPT TO:<carol@lab.test>',
      'DATA',
    ]).slice(1)).toEqual([
      '250 2.1.0 Sender OK',
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      '250 2.1.5 Recipient OK',
      '354 Start mail input; end with <CRLF>.<CRLF>',
    ]);
    expect(server.receive(MESSAGE)).toBe('250 2.6.0 <Q1> Queued mail for delivery\r\n');
  });

  it('keeps smtp-server\'s sequence error where no source gives Exchange\'s text', () => {
    expect(replies(greeted('exchange'), ['EHLO client.example', 'RCPT TO:<alice@lab.test>'])).toEqual([
      expect.any(String),
      '503 Error: need MAIL command',
    ]);
  });
});
