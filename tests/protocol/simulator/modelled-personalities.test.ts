/**
 * The personalities modelled on documentation (exim, gmail, exchange): each one's banner,
 * EHLO keywords, unknown-user and relay replies, a sequence error, its early-talker or
 * pipelining behaviour, and the documented texts it uses (sources in their data files).
 */
import { describe, expect, it } from 'vitest';
import { serverOverridesSchema } from '../../../protocol/lessons/server-config.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, SimulatedServer, type SimulatedMessage } from '../../../protocol/simulator/index.ts';
import type { LocalRecipients } from '../../../protocol/simulator/local-recipients.ts';
import { GMAIL_SESSION_ID } from '../../../protocol/simulator/personalities/modelled/gmail-personality.ts';
import { MODELLED_LOCAL_DOMAINS, MODELLED_LOCAL_USERS } from '../../../protocol/simulator/personalities/modelled/modelled-table.ts';
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

  // The banner, then the EHLO reply's lines.
  it.each([
    {
      name: 'exim',
      greets: 'with Exim\'s banner and lists its extensions after "Hello"',
      banner: expect.stringMatching(/^220 mx\.exim\.lab\.test ESMTP Exim 4\.99\.1 \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$/),
      ehlo: ['250-mx.exim.lab.test Hello client.example [203.0.113.25]', '250-SIZE 52428800', '250-LIMITS MAILMAX=1000 RCPTMAX=50000', '250-8BITMIME', '250-PIPELINING', '250-SMTPUTF8', '250 HELP'],
    },
    {
      name: 'gmail',
      greets: "with smtp-server's words (Google publishes none) and only the extensions its documented errors presuppose",
      banner: '220 mx.gmail.lab.test ESMTP\r\n',
      ehlo: ['250-mx.gmail.lab.test Nice to meet you, [203.0.113.25]', '250-SIZE', '250-PIPELINING', '250-ENHANCEDSTATUSCODES', '250 STARTTLS'],
    },
    {
      name: 'exchange',
      greets: 'as the Microsoft ESMTP MAIL Service and lists its extensions after "Hello"',
      banner: expect.stringMatching(/^220 mx\.exchange\.lab\.test Microsoft ESMTP MAIL Service ready at \w{3}, [1-9]\d? \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$/),
      ehlo: ['250-mx.exchange.lab.test Hello [203.0.113.25]', '250-SIZE 37748736', '250-PIPELINING', '250-DSN', '250-ENHANCEDSTATUSCODES', '250-STARTTLS', '250 8BITMIME'],
    },
  ] as const)('$name greets $greets', ({ name, banner, ehlo }) => {
    const server = connect(name);
    expect(server.greeting()).toEqual(banner);
    expect(replies(server, ['EHLO client.example'])).toEqual([ehlo.join('\r\n')]);
  });

  // A transaction in the personality's own texts: each line with its reply, then the reply to
  // the message and the replies to the lines said after it.
  it.each([
    {
      name: 'exim',
      does: 'takes MAIL before EHLO, refuses unknown users and relaying, and queues with an Exim id',
      transaction: [
        ['MAIL FROM:<me@example.com>', '250 OK'],
        ['MAIL FROM:<me@example.com>', '503 sender already given'],
        ['RCPT TO:<nobody@lab.test>', '550 Unknown user'],
        ['RCPT TO:<friend@example.org>', '550 relay not permitted'],
        ['DATA', '503 valid RCPT command must precede DATA'],
        ['RCPT TO:<bob@lab.test>', '250 Accepted'],
        ['DATA', '354 Enter message, ending with "." on a line by itself'],
      ],
      queued: '250 OK id=Q1\r\n',
      after: [['RSET', '250 Reset OK'], ['NOOP', '250 OK'], ['QUIT', '221 mx.exim.lab.test closing connection']],
    },
    {
      name: 'exchange',
      does: "answers the transaction with the Telnet guide's texts",
      transaction: [
        ['EHLO client.example', expect.any(String)],
        ['MAIL FROM:<me@example.com>', '250 2.1.0 Sender OK'],
        ['RCPT TO:<nobody@lab.test>', '550 5.1.1 User unknown'],
        ['RCPT TO:<carol@lab.test>', '250 2.1.5 Recipient OK'],
        ['DATA', '354 Start mail input; end with <CRLF>.<CRLF>'],
      ],
      queued: '250 2.6.0 <Q1> Queued mail for delivery\r\n',
      after: [['FOO', '500 5.3.3 Unrecognized command'], ['MAIL FROM:<me@@example.com>', '550 5.1.7 Invalid address'], ['QUIT', '221 2.0.0 Service closing transmission channel']],
    },
  ] as const)('$name $does', ({ name, transaction, queued, after }) => {
    const server = greeted(name);
    expect(replies(server, transaction.map(([line]) => line))).toEqual(transaction.map(([, reply]) => reply));
    expect(server.receive(MESSAGE)).toBe(queued);
    expect(replies(server, after.map(([line]) => line))).toEqual(after.map(([, reply]) => reply));
  });
});

describe('the recipient check of a modelled personality', () => {
  const ADDRESSES = ['postmaster', 'alice@lab.test', 'Alice@LAB.test', 'alice@lab.test.', 'alice+news@lab.test', 'dave@lab.test', 'alice@elsewhere.test'];
  const rcptReplies = (name: PersonalityName, localRecipients?: LocalRecipients) => {
    const config = { ...DEFAULT_SANDBOX_CONFIG, personality: name, hostname: PERSONALITIES[name].labHostname };
    const server = new SimulatedServer({ config, newQueueId: () => 'Q1', ...(localRecipients ? { localRecipients } : {}) });
    server.greeting();
    return replies(server, ['EHLO client.example', 'MAIL FROM:<bob@elsewhere.test>', ...ADDRESSES.map((address) => `RCPT TO:<${address}>`)]).slice(2);
  };

  it.each(['exim', 'gmail', 'exchange'] as const)('%s decides with its table exactly as a lab MX host with the same domains and users does (one check)', (name) => {
    const own = rcptReplies(name);
    expect(own).toEqual(rcptReplies(name, { domains: MODELLED_LOCAL_DOMAINS, users: MODELLED_LOCAL_USERS }));
    // Accepted: the domainless postmaster, a lab user in any case; refused: a trailing dot (address syntax), a tag (no delimiter), an unknown user, another domain.
    expect(own.map((reply) => reply.slice(0, 1))).toEqual(['2', '2', '2', '5', '5', '5', '5']);
  });
});

describe('the exim personality (smtp_in.c, configure.default)', () => {
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
  it('wants EHLO/HELO before MAIL', () => {
    expect(replies(greeted('gmail'), ['MAIL FROM:<me@example.com>'])).toEqual([`503 5.5.1 EHLO/HELO first. ${GMAIL_SESSION_ID} - gsmtp`]);
  });

  it('answers the sequence and syntax errors and an unknown user with the documented texts, each ending in "- gsmtp"', () => {
    const gsmtp = ` ${GMAIL_SESSION_ID} - gsmtp`;
    expect(replies(greeted('gmail'), ['EHLO', 'EHLO client.example', 'RCPT TO:<alice@lab.test>', 'MAIL FROM:<me@@example.com>', 'MAIL FROM:<me@example.com>', 'DATA', 'RCPT TO:<nobody@lab.test>', 'RCPT TO:<friend@example.org>', 'FOO'])).toEqual([
      `501 5.5.4 HELO/EHLO argument is invalid.${gsmtp}`,
      expect.any(String),
      `503 5.5.1 MAIL first.${gsmtp}`,
      `555 5.5.2 Syntax error.${gsmtp}`,
      '250 Accepted',
      `503 5.5.1 RCPT first.${gsmtp}`,
      `550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.${gsmtp}`,
      `550 5.7.0 Mail relay denied.${gsmtp}`,
      `502 5.5.1 Unrecognized command.${gsmtp}`,
    ]);
  });

  it('keeps smtp-server\'s early-talker refusal (no documented text of its own)', () => {
    const server = connect('gmail');
    expect(server.receive('EHLO client.example\r\n')).toBe('421 mx.gmail.lab.test You talk too soon\r\n');
    expect(server.closed).toBe(true);
  });
});

describe("the exchange personality (Microsoft's Exchange Telnet guide)", () => {
  it('keeps smtp-server\'s sequence error where no source gives Exchange\'s text', () => {
    expect(replies(greeted('exchange'), ['EHLO client.example', 'RCPT TO:<alice@lab.test>'])).toEqual([
      expect.any(String),
      '503 Error: need MAIL command',
    ]);
  });
});

describe('the message size limit of a modelled personality (RFC 1870)', () => {
  /** About 1 MB of message lines. */
  const MEGABYTE = `${'x'.repeat(1022)}\r\n`.repeat(1024);
  const SIZED = [
    ['exim', 52_428_800, '552 Message size exceeds maximum permitted'],
    ['exchange', 37_748_736, '552 5.3.4 Error: message exceeds fixed maximum message size 37748736'],
  ] as const;

  function sized(name: PersonalityName, maxMessageSize: number, onMessage?: (message: SimulatedMessage) => void): SimulatedServer {
    const config = { ...DEFAULT_SANDBOX_CONFIG, personality: name, hostname: PERSONALITIES[name].labHostname, maxMessageSize };
    const server = new SimulatedServer({ config, newQueueId: () => 'Q1', ...(onMessage ? { onMessage } : {}) });
    server.greeting();
    return server;
  }

  it.each(SIZED)('%s announces SIZE %i and refuses a larger MAIL SIZE= at MAIL in its words', (name, limit, text) => {
    const [ehlo, over, at] = replies(sized(name, DEFAULT_SANDBOX_CONFIG.maxMessageSize), ['EHLO client.example', `MAIL FROM:<bob@lab.test> SIZE=${limit + 1}`, `MAIL FROM:<bob@lab.test> SIZE=${limit}`]);
    expect(ehlo).toContain(`SIZE ${limit}`);
    expect(over).toBe(text);
    expect(at).toMatch(/^250 /);
  });

  it.each(SIZED)('%s reads a message over its limit to the end, then refuses it with 552 and delivers nothing', (name, limit, text) => {
    const delivered: SimulatedMessage[] = [];
    const server = sized(name, DEFAULT_SANDBOX_CONFIG.maxMessageSize, (message) => delivered.push(message));
    replies(server, ['EHLO client.example', 'MAIL FROM:<bob@lab.test>', 'RCPT TO:<alice@lab.test>', 'DATA']);
    for (let sent = 0; sent <= limit; sent += MEGABYTE.length) expect(server.receive(MEGABYTE)).toBe('');
    expect(server.receive('.\r\n')).toBe(`${text}\r\n`);
    expect(delivered).toEqual([]);
    // The transaction is over; the session goes on.
    expect(replies(server, ['MAIL FROM:<bob@lab.test>'])[0]).toMatch(/^250 /);
  });

  it('gmail announces SIZE without a number and holds to the lab\'s configured limit, in the reference\'s words', () => {
    const words = `552 5.2.3 Your message exceeded Google's message size limits. ${GMAIL_SESSION_ID} - gsmtp`;
    const server = sized('gmail', 64 * 1024);
    const [ehlo, over] = replies(server, ['EHLO client.example', `MAIL FROM:<bob@lab.test> SIZE=${64 * 1024 + 1}`]);
    expect(ehlo?.split('\r\n')).toContain('250-SIZE');
    expect(over).toBe(words);
    replies(server, ['MAIL FROM:<bob@lab.test>', 'RCPT TO:<alice@lab.test>', 'DATA']);
    expect(server.receive(`${'y'.repeat(998)}\r\n`.repeat(70))).toBe('');
    expect(server.receive('.\r\n')).toBe(`${words}\r\n`);
  });
});
