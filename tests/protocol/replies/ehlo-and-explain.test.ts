import { connect, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';
import {
  EXTENSION_INFO,
  explainReply,
  formatReply,
  parseEhloExtensions,
  ReplyAssembler,
} from '../../../protocol/replies/index.ts';
import type { Reply } from '../../../protocol/replies/index.ts';

function assemble(lines: readonly string[]): Reply {
  const assembler = new ReplyAssembler();
  const results = lines.map((line) => assembler.push(line));
  const last = results.at(-1);
  if (last?.kind !== 'reply') throw new Error(`not a reply: ${JSON.stringify(results)}`);
  return last.reply;
}

// The order of handler_EHLO in smtp-server 3.21 (smtp-connection.js): PIPELINING, 8BITMIME,
// SMTPUTF8, ENHANCEDSTATUSCODES, DSN (both only when not hidden), AUTH, STARTTLS, REQUIRETLS
// (TLS only), SIZE.
const SANDBOX_EHLO = [
  '250-sandbox.smtp-lab.test Nice to meet you, [127.0.0.1]',
  '250-PIPELINING',
  '250-8BITMIME',
  '250-SMTPUTF8',
  '250-ENHANCEDSTATUSCODES',
  '250-AUTH PLAIN LOGIN',
  '250-STARTTLS',
  '250 SIZE 10485760',
];

describe('parseEhloExtensions', () => {
  it('reads keywords and parameters, skipping the greeting line', () => {
    const extensions = parseEhloExtensions(assemble(SANDBOX_EHLO));
    expect([...extensions]).toEqual([
      ['PIPELINING', []],
      ['8BITMIME', []],
      ['SMTPUTF8', []],
      ['ENHANCEDSTATUSCODES', []],
      ['AUTH', ['PLAIN', 'LOGIN']],
      ['STARTTLS', []],
      ['SIZE', ['10485760']],
    ]);
  });

  it('upper-cases keywords, keeps parameters as sent, and skips empty lines', () => {
    const reply = assemble(['250-mx Hello', '250-size  1000', '250-', '250 auth cram-md5']);
    expect([...parseEhloExtensions(reply)]).toEqual([
      ['SIZE', ['1000']],
      ['AUTH', ['cram-md5']],
    ]);
  });

  it('finds nothing in a one-line reply', () => {
    expect(parseEhloExtensions(assemble(['250 mx.example Hello'])).size).toBe(0);
  });

  it('describes every extension the brief lists, with its RFC', () => {
    for (const keyword of [
      'PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE', 'STARTTLS', 'AUTH', 'ENHANCEDSTATUSCODES', 'DSN', 'CHUNKING', 'BINARYMIME', 'REQUIRETLS',
    ]) {
      expect(EXTENSION_INFO[keyword]?.summary.length).toBeGreaterThan(0);
      expect(EXTENSION_INFO[keyword]?.rfc).toMatch(/^RFC \d{4}/);
    }
  });
});

describe('a real smtp-server EHLO reply', () => {
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      name: 'sandbox.smtp-lab.test',
      size: 10485760,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: true,
      allowInsecureAuth: true,
      // Like the sandbox (enhancedStatusCodes: true); smtp-server hides it by default.
      hideENHANCEDSTATUSCODES: false,
      disableReverseLookup: true,
      logger: false,
      onAuth: (_auth, _session, callback) => callback(new Error('not used')),
    });
    server.on('error', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Sends EHLO and collects replies through LineBuffer and ReplyAssembler until the EHLO reply. */
  function ehlo(): Promise<Reply[]> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const buffer = new LineBuffer();
      const assembler = new ReplyAssembler();
      const replies: Reply[] = [];
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        for (const line of buffer.push(chunk)) {
          const result = assembler.push(line);
          if (result?.kind === 'error') reject(new Error(result.error.message));
          if (result?.kind !== 'reply') continue;
          replies.push(result.reply);
          if (replies.length === 1) socket.write('EHLO client.example\r\n');
          else {
            socket.end('QUIT\r\n');
            resolve(replies);
          }
        }
      });
    });
  }

  it('is read line by line with the extensions in smtp-server order', async () => {
    const [greeting, reply] = await ehlo();
    expect(greeting?.code).toBe(220);
    expect(greeting?.texts[0]).toMatch(/^sandbox\.smtp-lab\.test ESMTP/);
    expect(reply?.code).toBe(250);
    expect(reply?.enhanced).toBeNull();
    expect(reply?.lines.slice(1)).toEqual(SANDBOX_EHLO.slice(1));
    expect(reply?.texts[0]).toMatch(/^sandbox\.smtp-lab\.test Nice to meet you, /);
    expect([...parseEhloExtensions(reply as Reply).keys()]).toEqual([
      'PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'AUTH', 'STARTTLS', 'SIZE',
    ]);
  });
});

describe('explainReply', () => {
  it('explains each extension of an EHLO reply', () => {
    const text = explainReply(assemble(SANDBOX_EHLO));
    expect(text).toMatch(/^250: the server accepted your EHLO and supports these 7 extensions\./);
    expect(text).toContain('PIPELINING: you may send several commands');
    expect(text).toContain('(RFC 2920)');
    expect(text).toContain('AUTH PLAIN LOGIN: you can log in with AUTH');
    expect(text).toContain('SIZE 10485760: the number is the largest message in bytes');
    expect(text).toContain('STARTTLS: you can turn on TLS encryption');
  });

  it('names unknown extensions without inventing a meaning', () => {
    const text = explainReply(assemble(['250-mx Hello', '250 XCLIENT NAME ADDR']), 'EHLO');
    expect(text).toContain('this extension. XCLIENT NAME ADDR: an extension this catalog does not describe.');
  });

  it('says when an EHLO reply lists no extensions', () => {
    expect(explainReply(assemble(['250 mx Hello']), 'ehlo')).toMatch(/advertises no extensions/);
  });

  it('combines the code, the enhanced code and what to do after a failure', () => {
    const reply = assemble(formatReply(535, ['Error: Authentication credentials invalid'], '5.7.8'));
    expect(explainReply(reply, 'AUTH')).toBe(
      '535 Authentication credentials invalid (enhanced code 5.7.8: permanent failure, authentication credentials invalid). ' +
        'AUTH failed: the user name or password is wrong. ' +
        'Check the user name and password (and their base64 encoding), then try AUTH again.',
    );
  });

  it('leaves out the client action after success', () => {
    const reply = assemble(formatReply(250, ['OK'], '2.0.0'));
    expect(explainReply(reply, 'NOOP')).toBe(
      '250 Requested mail action okay, completed (enhanced code 2.0.0: success). The command worked.',
    );
  });

  it('says what a 250 means for the command it answers', () => {
    const accepted = assemble(formatReply(250, ['Accepted'], '2.1.0'));
    expect(explainReply(accepted, 'MAIL')).toMatch(/^250 Sender accepted \(enhanced code 2\.1\.0: .*\)\. The server accepted the envelope sender/);
    const queued = assemble(formatReply(250, ['OK: message queued as 4F2A9C01B7'], '2.6.0'));
    expect(explainReply(queued, 'DATA')).toMatch(/taken responsibility for delivering it/);
  });

  it('uses the meaning specific to the command answered', () => {
    const reply = assemble(formatReply(220, ['Ready to start TLS'], '2.0.0'));
    expect(explainReply(reply, 'STARTTLS')).toMatch(/^220 Ready to start TLS \(enhanced code 2\.0\.0: success\)\. The server agrees to encrypt/);
    expect(explainReply(assemble(['220 mx.example ESMTP']))).toMatch(/^220 <domain> Service ready\./);
    expect(explainReply(assemble(formatReply(452, ['Error: too many recipients'], '4.5.3')), 'RCPT')).toMatch(
      /^452 Too many recipients \(enhanced code 4\.5\.3: temporary failure, too many recipients\)/,
    );
  });

  it('explains a reply without an enhanced code and an unlisted code', () => {
    expect(explainReply(assemble(['354 End data with <CR><LF>.<CR><LF>']), 'DATA')).toMatch(
      /^354 Start mail input; end with <CRLF>\.<CRLF>\. The server is ready .* end it with a line holding only "\."\.$/,
    );
    expect(explainReply(assemble(['421 4.4.2 Timeout - closing connection']))).toMatch(/temporary failure, bad connection/);
    expect(explainReply(assemble(['259 hm']))).toMatch(/^259 Unlisted code \(about the mail system\)\. Success/);
  });
});

describe('explainReply: a sender refused for its null MX (RFC 7505 §4.2)', () => {
  it('tells the learner that Postfix\'s 550 at RCPT is about MAIL FROM, with 5.7.27', () => {
    const reply = assemble(['550 5.7.27 <alice@null-mx.example>: Sender address rejected: Domain null-mx.example does not accept mail (nullMX)']);
    const text = explainReply(reply, 'RCPT', 'postfix');
    expect(text).toContain('550 Sender refused: its domain publishes a null MX (enhanced code 5.7.27: permanent failure, sender address has null MX)');
    expect(text).toContain('about MAIL FROM, not this recipient');
    expect(text).toContain('smtpd_delay_reject=yes');
  });

  it('explains the modelled servers\' RFC 7505 words the same way', () => {
    const text = explainReply(assemble(['550 5.7.27 Sender address has null MX']), 'RCPT', 'exim');
    expect(text).toContain('Sender refused: its domain publishes a null MX');
    expect(text).not.toContain('smtpd_delay_reject');
  });
});
