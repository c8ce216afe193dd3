import { describe, expect, it } from 'vitest';
import { parseCommand, type Command, type EsmtpParam, type Path, type SyntaxErrorCode } from '../../../protocol/commands/index.ts';

/** A path whose `<` sits at column `start`. */
function path(address: string, start: number): Path {
  const at = address.lastIndexOf('@');
  return {
    address,
    localPart: at === -1 ? address : address.slice(0, at),
    domain: at === -1 ? '' : address.slice(at + 1),
    range: { start, end: start + address.length + 2 },
  };
}

/** A parameter written at column `start`. */
function param(keyword: string, value: string | null, start: number): EsmtpParam {
  const length = keyword.length + (value === null ? 0 : value.length + 1);
  return { keyword, value, range: { start, end: start + length } };
}

type Row =
  | { readonly line: string; readonly command: Command; readonly warnings?: readonly SyntaxErrorCode[] }
  | { readonly line: string; readonly error: SyntaxErrorCode; readonly range: readonly [number, number] };

const A = 'alice@example.com';
const B = 'bob@example.com';

const rows: readonly Row[] = [
  // EHLO / HELO
  { line: 'EHLO client.example.com', command: { verb: 'EHLO', domain: 'client.example.com' } },
  { line: 'ehlo client.example.com', command: { verb: 'EHLO', domain: 'client.example.com' } },
  { line: 'HELO mail.example.org', command: { verb: 'HELO', domain: 'mail.example.org' } },
  { line: 'EHLO [192.0.2.1]', command: { verb: 'EHLO', domain: '[192.0.2.1]' } },
  { line: 'EHLO [IPv6:2001:db8::1]', command: { verb: 'EHLO', domain: '[IPv6:2001:db8::1]' } },
  { line: 'EHLO localhost', command: { verb: 'EHLO', domain: 'localhost' } },
  { line: 'EHLO', error: 'missing-argument', range: [0, 4] },
  { line: 'EHLO ', error: 'missing-argument', range: [0, 4] },
  { line: 'EHLO alice@example.com', command: { verb: 'EHLO', domain: A }, warnings: ['invalid-domain'] },
  { line: 'EHLO 192.0.2.1', command: { verb: 'EHLO', domain: '192.0.2.1' }, warnings: ['invalid-domain'] },
  { line: 'EHLO my_host', command: { verb: 'EHLO', domain: 'my_host' }, warnings: ['invalid-domain'] },
  { line: 'HELO [192.0.2.1]', command: { verb: 'HELO', domain: '[192.0.2.1]' }, warnings: ['invalid-domain'] },
  { line: 'EHLO [192.0.2.1', command: { verb: 'EHLO', domain: '[192.0.2.1' }, warnings: ['invalid-domain'] },
  { line: 'EHLO  client.example.com', command: { verb: 'EHLO', domain: 'client.example.com' }, warnings: ['extra-whitespace'] },
  { line: 'EHLO my host', error: 'unexpected-argument', range: [8, 12] },
  { line: `EHLO ${'a'.repeat(301)}`, error: 'invalid-domain', range: [5, 306] },
  { line: 'EHLLO client.example.com', error: 'unknown-command', range: [0, 5] },
  { line: 'HELLO client.example.com', error: 'unknown-command', range: [0, 5] },

  // MAIL FROM
  { line: `MAIL FROM:<${A}>`, command: { verb: 'MAIL', path: path(A, 10), params: [] } },
  { line: `mail from:<${A}>`, command: { verb: 'MAIL', path: path(A, 10), params: [] } },
  { line: 'MAIL FROM:<>', command: { verb: 'MAIL', path: { address: '', localPart: '', domain: '', range: { start: 10, end: 12 } }, params: [] } },
  { line: `MAIL FROM:<${A}> SIZE=1000`, command: { verb: 'MAIL', path: path(A, 10), params: [param('SIZE', '1000', 30)] } },
  {
    line: 'MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8',
    command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('BODY', '8BITMIME', 26), param('SMTPUTF8', null, 40)] },
  },
  {
    line: 'MAIL FROM:<a@example.com> ret=hdrs ENVID=QQ314159',
    command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('RET', 'hdrs', 26), param('ENVID', 'QQ314159', 35)] },
  },
  { line: 'MAIL FROM:<a@example.com> AUTH=<>', command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('AUTH', '<>', 26)] } },
  {
    line: 'MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com',
    command: { verb: 'MAIL', path: path('e=mc2@example.com', 10), params: [param('AUTH', 'e+3Dmc2@example.com', 30)] },
  },
  { line: 'MAIL FROM:<a@example.com> AUTH=<a@example.com>', command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('AUTH', '<a@example.com>', 26)] }, warnings: ['invalid-parameter-value'] },
  { line: `MAIL FROM: <${A}>`, command: { verb: 'MAIL', path: path(A, 11), params: [] }, warnings: ['space-after-colon'] },
  { line: `MAIL FROM :<${A}>`, command: { verb: 'MAIL', path: path(A, 11), params: [] }, warnings: ['extra-whitespace'] },
  { line: `MAIL FROM:<${A}> `, command: { verb: 'MAIL', path: path(A, 10), params: [] }, warnings: ['extra-whitespace'] },
  { line: `MAIL ${A}`, error: 'missing-from-keyword', range: [5, 22] },
  { line: `MAIL <${A}>`, error: 'missing-from-keyword', range: [5, 24] },
  { line: `MAIL FORM:<${A}>`, error: 'missing-from-keyword', range: [5, 9] },
  { line: `MAIL TO:<${B}>`, error: 'missing-from-keyword', range: [5, 7] },
  { line: `MAIL FROM <${A}>`, error: 'missing-colon', range: [5, 9] },
  { line: `MAIL FROM:${A}`, error: 'missing-angle-brackets', range: [10, 27] },
  { line: `MAIL FROM:<${A}`, error: 'unclosed-angle-bracket', range: [10, 28] },
  { line: 'MAIL FROM:', error: 'missing-argument', range: [5, 10] },
  { line: 'MAIL FROM:   ', error: 'missing-argument', range: [5, 10] },
  { line: 'MAIL', error: 'missing-from-keyword', range: [0, 4] },
  { line: 'MAIL  FROM:<a@example.com>', error: 'extra-whitespace', range: [4, 6] },
  { line: 'MAIL FROM:<a@example.com> SIZE=abc', error: 'invalid-parameter-value', range: [26, 34] },
  { line: 'MAIL FROM:<a@example.com> SIZE', error: 'invalid-parameter-value', range: [26, 30] },
  { line: 'MAIL FROM:<a@example.com> SIZE=', error: 'invalid-parameter-value', range: [26, 31] },
  { line: 'MAIL FROM:<a@example.com> BODY=9BIT', error: 'invalid-parameter-value', range: [26, 35] },
  { line: 'MAIL FROM:<a@example.com> BODY=BINARYMIME', command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('BODY', 'BINARYMIME', 26)] }, warnings: ['server-may-reject'] },
  { line: 'MAIL FROM:<a@example.com> SMTPUTF8=yes', error: 'invalid-parameter-value', range: [26, 38] },
  { line: 'MAIL FROM:<a@example.com> RET=ALL', error: 'invalid-parameter-value', range: [26, 33] },
  { line: 'MAIL FROM:<a@example.com> ENVID=a+0Ab', error: 'invalid-parameter-value', range: [26, 37] },
  { line: 'MAIL FROM:<a@example.com> SIZE=1 SIZE=2', error: 'duplicate-parameter', range: [33, 39] },
  { line: 'MAIL FROM:<a@example.com> X-FOO=bar', command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('X-FOO', 'bar', 26)] }, warnings: ['unknown-parameter'] },
  { line: 'MAIL FROM:<a@example.com> NOTIFY=NEVER', command: { verb: 'MAIL', path: path('a@example.com', 10), params: [param('NOTIFY', 'NEVER', 26)] }, warnings: ['unknown-parameter'] },
  { line: 'MAIL FROM:<a@example.com>SIZE=1', error: 'invalid-parameter', range: [25, 31] },
  { line: 'MAIL FROM:<a@example.com> =1', error: 'invalid-parameter', range: [26, 28] },
  { line: 'MAIL FROM:<jöhn@bücher.example>', command: { verb: 'MAIL', path: path('jöhn@bücher.example', 10), params: [] }, warnings: ['missing-smtputf8'] },
  { line: 'MAIL FROM:<jöhn@bücher.example> SMTPUTF8', command: { verb: 'MAIL', path: path('jöhn@bücher.example', 10), params: [param('SMTPUTF8', null, 32)] } },
  { line: 'MAIL FROM:<"john doe"@example.com>', command: { verb: 'MAIL', path: path('"john doe"@example.com', 10), params: [] }, warnings: ['server-may-reject'] },
  { line: 'MAIL FROM:<"john.doe"@example.com>', command: { verb: 'MAIL', path: path('"john.doe"@example.com', 10), params: [] } },
  { line: 'MAIL FROM:<john..doe@example.com>', error: 'invalid-address', range: [11, 20] },
  { line: 'MAIL FROM:<.john@example.com>', error: 'invalid-address', range: [11, 16] },
  { line: 'MAIL FROM:<alice@>', error: 'invalid-domain', range: [10, 18] },
  { line: 'MAIL FROM:<alice@exa_mple.com>', error: 'invalid-domain', range: [17, 29] },
  { line: 'MAIL FROM:<alice@example..com>', error: 'invalid-domain', range: [17, 29] },
  { line: 'MAIL FROM:<alice@-example.com>', command: { verb: 'MAIL', path: path('alice@-example.com', 10), params: [] }, warnings: ['invalid-domain'] },
  { line: 'MAIL FROM:<alice>', error: 'invalid-address', range: [11, 16] },
  { line: 'MAIL FROM:<alice smith@example.com>', error: 'invalid-address', range: [10, 35] },
  { line: `MAIL FROM:<<${A}>>`, error: 'invalid-address', range: [10, 30] },
  { line: 'MAIL FROM:<alice@[192.0.2.300]>', error: 'invalid-domain', range: [17, 30] },
  { line: 'MAIL FROM:<alice@[192.0.2.1>', error: 'invalid-domain', range: [17, 27] },
  { line: 'MAIL FROM:<alice@[IPv6:2001:db8::1]>', command: { verb: 'MAIL', path: path('alice@[IPv6:2001:db8::1]', 10), params: [] } },
  { line: 'MAIL FROM:<alice@192.0.2.1>', command: { verb: 'MAIL', path: path('alice@192.0.2.1', 10), params: [] }, warnings: ['invalid-domain'] },
  {
    line: `MAIL FROM:<@relay.example:${A}>`,
    command: { verb: 'MAIL', path: { ...path(A, 10), range: { start: 10, end: 44 } }, params: [] },
    warnings: ['source-route'],
  },
  { line: `MAIL FROM:<@relay.example,${A}>`, error: 'invalid-address', range: [11, 25] },
  { line: 'MAIL FROM:<@example.com>', error: 'invalid-address', range: [11, 23] },
  { line: 'MAIL FROM:<a(b)@example.com>', command: { verb: 'MAIL', path: path('a(b)@example.com', 10), params: [] }, warnings: ['invalid-address'] },
  { line: 'MAIL FROM:<a@b@example.com>', error: 'invalid-domain', range: [13, 26] },
  { line: 'MAIL FROM:<ali\u200bce@example.com>', error: 'invalid-address', range: [11, 17] },

  // RCPT TO
  { line: `RCPT TO:<${B}>`, command: { verb: 'RCPT', path: path(B, 8), params: [] } },
  { line: `rcpt to:<${B}>`, command: { verb: 'RCPT', path: path(B, 8), params: [] } },
  { line: 'RCPT TO:<Postmaster>', command: { verb: 'RCPT', path: path('Postmaster', 8), params: [] } },
  { line: 'RCPT TO:<postmaster@example.com>', command: { verb: 'RCPT', path: path('postmaster@example.com', 8), params: [] } },
  { line: 'RCPT TO:<>', error: 'invalid-address', range: [8, 10] },
  { line: 'RCPT TO:', error: 'missing-argument', range: [5, 8] },
  { line: `RCPT FROM:<${B}>`, error: 'missing-to-keyword', range: [5, 9] },
  { line: `RCPT <${B}>`, error: 'missing-to-keyword', range: [5, 22] },
  { line: `RCPT TO:${B}`, error: 'missing-angle-brackets', range: [8, 23] },
  { line: 'RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE', command: { verb: 'RCPT', path: path('b@example.com', 8), params: [param('NOTIFY', 'SUCCESS,FAILURE', 24)] } },
  { line: 'RCPT TO:<b@example.com> NOTIFY=NEVER,DELAY', error: 'invalid-parameter-value', range: [24, 42] },
  { line: 'RCPT TO:<b@example.com> NOTIFY=SOMETIMES', error: 'invalid-parameter-value', range: [24, 40] },
  { line: 'RCPT TO:<b@example.com> ORCPT=rfc822;b@example.com', command: { verb: 'RCPT', path: path('b@example.com', 8), params: [param('ORCPT', 'rfc822;b@example.com', 24)] } },
  { line: 'RCPT TO:<b@example.com> ORCPT=b@example.com', error: 'invalid-parameter-value', range: [24, 43] },
  { line: 'RCPT TO:<b@example.com> SIZE=10', command: { verb: 'RCPT', path: path('b@example.com', 8), params: [param('SIZE', '10', 24)] }, warnings: ['unknown-parameter'] },
  { line: `RCTP TO:<${B}>`, error: 'unknown-command', range: [0, 4] },
  { line: `RCPTTO:<${B}>`, error: 'unknown-command', range: [0, 24] },

  // Verbs without arguments, and free-text arguments
  { line: 'DATA', command: { verb: 'DATA' } },
  { line: 'data', command: { verb: 'DATA' } },
  { line: 'DATA now', command: { verb: 'DATA' }, warnings: ['unexpected-argument'] },
  { line: 'RSET', command: { verb: 'RSET' } },
  { line: 'QUIT', command: { verb: 'QUIT' } },
  { line: 'QUIT ', command: { verb: 'QUIT' }, warnings: ['extra-whitespace'] },
  { line: 'NOOP', command: { verb: 'NOOP', argument: null } },
  { line: 'NOOP hello there', command: { verb: 'NOOP', argument: 'hello there' } },
  { line: 'HELP', command: { verb: 'HELP', topic: null } },
  { line: 'HELP MAIL', command: { verb: 'HELP', topic: 'MAIL' } },
  { line: 'VRFY alice', command: { verb: 'VRFY', argument: 'alice' } },
  { line: 'VRFY', error: 'missing-argument', range: [0, 4] },
  { line: 'EXPN staff', command: { verb: 'EXPN', argument: 'staff' } },
  { line: 'EXPN ', error: 'missing-argument', range: [0, 4] },
  { line: 'STARTTLS', command: { verb: 'STARTTLS' } },
  { line: 'STARTTLS now', error: 'unexpected-argument', range: [9, 12] },
  { line: 'STARTLS', error: 'unknown-command', range: [0, 7] },
  { line: 'RESET', error: 'unknown-command', range: [0, 5] },

  // AUTH
  { line: 'AUTH PLAIN', command: { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: null } },
  { line: 'auth plain AGFsaWNlAHNlY3JldA==', command: { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGFsaWNlAHNlY3JldA==' } },
  { line: 'AUTH LOGIN YWxpY2U=', command: { verb: 'AUTH', mechanism: 'LOGIN', initialResponse: 'YWxpY2U=' } },
  { line: 'AUTH CRAM-MD5', command: { verb: 'AUTH', mechanism: 'CRAM-MD5', initialResponse: null } },
  { line: 'AUTH EXTERNAL =', command: { verb: 'AUTH', mechanism: 'EXTERNAL', initialResponse: '=' } },
  { line: 'AUTH SCRAM-SHA-256', command: { verb: 'AUTH', mechanism: 'SCRAM-SHA-256', initialResponse: null } },
  { line: 'AUTH PLAIN YQ', command: { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: 'YQ' }, warnings: ['invalid-base64'] },
  { line: 'AUTH PLIAN', command: { verb: 'AUTH', mechanism: 'PLIAN', initialResponse: null }, warnings: ['invalid-mechanism'] },
  { line: 'AUTH', error: 'missing-argument', range: [0, 4] },
  { line: 'AUTH CRAM-MD5 abcd', error: 'unexpected-argument', range: [14, 18] },
  { line: 'AUTH PLAIN alice secret', error: 'unexpected-argument', range: [17, 23] },
  { line: 'AUTH PLAIN abc!', error: 'invalid-base64', range: [14, 15] },
  { line: 'AUTH PLAIN ==AA', error: 'invalid-base64', range: [11, 12] },
  { line: 'AUTH LOGIN alice', error: 'invalid-base64', range: [11, 16] },
  { line: 'AUTH PLAIN=', error: 'invalid-mechanism', range: [5, 11] },
  { line: 'AUTH A_VERY_LONG_MECHANISM_NAME', error: 'invalid-mechanism', range: [5, 31] },

  // BDAT
  { line: 'BDAT 1000', command: { verb: 'BDAT', size: 1000, last: false } },
  { line: 'bdat 0 last', command: { verb: 'BDAT', size: 0, last: true } },
  { line: 'BDAT', error: 'missing-argument', range: [0, 4] },
  { line: 'BDAT ten', error: 'invalid-chunk-size', range: [5, 8] },
  { line: 'BDAT 10 FINAL', error: 'unexpected-argument', range: [8, 13] },
  { line: 'BDAT 10 LAST NOW', error: 'unexpected-argument', range: [13, 16] },
  { line: 'BDAT 99999999999999999999', error: 'invalid-chunk-size', range: [5, 25] },

  // Whole-line problems
  { line: '', error: 'empty-line', range: [0, 0] },
  { line: '   ', error: 'unknown-command', range: [0, 3] },
  { line: ' EHLO x', error: 'unknown-command', range: [0, 1] },
  { line: 'EHLO\tclient', error: 'control-character', range: [4, 5] },
  { line: 'MAIL FROM:<a@b.c>\r', error: 'control-character', range: [17, 18] },
  { line: 'NOOP \u0000', error: 'control-character', range: [5, 6] },
  { line: 'NOOP \u0085', error: 'control-character', range: [5, 6] },
  { line: 'NOOP \ud800', error: 'invalid-character', range: [5, 6] },
  { line: 'NOOP \udc00x', error: 'invalid-character', range: [5, 6] },
  { line: 'NOOP 😀', command: { verb: 'NOOP', argument: '😀' } },
  { line: 'FOO', error: 'unknown-command', range: [0, 3] },
  { line: '.', error: 'unknown-command', range: [0, 1] },
  { line: 'Subject: hello', error: 'unknown-command', range: [0, 8] },
  { line: `NOOP ${'a'.repeat(505)}`, command: { verb: 'NOOP', argument: 'a'.repeat(505) } },
  { line: `NOOP ${'a'.repeat(506)}`, command: { verb: 'NOOP', argument: 'a'.repeat(506) }, warnings: ['line-too-long'] },
];

describe('parseCommand table', () => {
  it.each(rows.map((row) => [row.line.length > 60 ? `${row.line.slice(0, 57)}…` : row.line, row] as const))('%s', (_name, row) => {
    const result = parseCommand(row.line);
    if ('command' in row) {
      expect(result.ok ? null : result.error).toBeNull();
      if (!result.ok) return;
      expect(result.command).toEqual(row.command);
      expect(result.warnings.map((warning) => warning.code)).toEqual(row.warnings ?? []);
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(row.error);
      expect([result.error.range.start, result.error.range.end]).toEqual(row.range);
    }
  });

  it('has at least 60 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });
});
