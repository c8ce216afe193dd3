import { describe, expect, it } from 'vitest';
import { GRAMMAR_MESSAGES, type GrammarTemplate } from '../../../protocol/commands/grammar-messages.ts';
import { GRAMMAR_REASONS } from '../../../protocol/commands/grammar-reasons.ts';
import { fillTemplate, type GrammarText } from '../../../protocol/commands/grammar-template.ts';
import {
  parseAuthResponse,
  parseCommand,
  SYNTAX_ERROR_CODES,
  type CommandSyntaxError,
} from '../../../protocol/commands/index.ts';

const MESSAGES: Readonly<Record<string, Readonly<Record<string, GrammarTemplate>>>> = GRAMMAR_MESSAGES;

/** A value for every parameter name the table may use; a new name must be added here on purpose. */
const SAMPLE_PARAMS: Readonly<Record<string, string | number>> = {
  address: 'alice@example.com',
  allowed: "!#$%&'*+-/=?^_`|~",
  char: '(',
  encoded: 'YWxpY2U=',
  example: 'MAIL FROM:<alice@example.com>',
  here: 'MAIL FROM',
  hex: 'U+001B',
  home: 'RCPT TO',
  host: 'client.example.com',
  keyword: 'SIZE',
  limit: 2048,
  line: 'FROM:<alice@example.com>',
  literal: '[192.0.2.1]',
  localPart: 'alice',
  mailbox: 'alice@example.com',
  mechanism: 'PLIAN',
  name: 'escape',
  octets: 600,
  padding: '==',
  reason: 'The domain is missing.',
  rest: ' client.example.com',
  size: 1000,
  suggestion: 'PLAIN',
  token: '-X',
  verb: 'EHLO',
  verbs: 'EHLO, HELO',
  word: 'EHLLO',
  domain: '192.0.2.1',
  text: '300.1.1.1',
};

function pieces(text: GrammarText): readonly string[] {
  return typeof text === 'string' ? [text] : text;
}

function placeholders(text: GrammarText): string[] {
  return pieces(text).flatMap((piece) => [...piece.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''));
}

/** Every table entry as [label, template]: the messages by code and variant, and the reasons. */
const TEMPLATES: ReadonlyArray<readonly [string, GrammarText]> = [
  ...Object.entries(MESSAGES).flatMap(([code, variants]) =>
    Object.entries(variants).flatMap(([variant, entry]) => [
      [`${code} ${variant} message`, entry.message] as const,
      [`${code} ${variant} fix`, entry.fix] as const,
    ])),
  ...Object.entries(GRAMMAR_REASONS).map(([key, text]) => [`reason ${key}`, text] as const),
];

/** A line that earns each message, by "code variant"; every entry of the table has one. */
const EXAMPLE_LINES: Readonly<Record<string, string>> = {
  'empty-line empty': '',
  'control-character tab': 'EHLO\tclient.example.com',
  'control-character named': 'NOOP \x1b',
  'control-character unnamed': 'NOOP \x01',
  'invalid-character lone-surrogate': 'NOOP \ud800',
  'line-too-long within-sandbox': `NOOP ${'a'.repeat(600)}`,
  'line-too-long beyond-sandbox': `NOOP ${'a'.repeat(2100)}`,
  'line-too-long auth-within-sandbox': `AUTH PLAIN ${'A'.repeat(600)}`,
  'line-too-long auth-beyond-sandbox': `AUTH PLAIN ${'A'.repeat(2100)}`,
  'unknown-command LHLO': 'LHLO client.example.com',
  'unknown-command ETRN': 'ETRN example.com',
  'unknown-command TURN': 'TURN',
  'unknown-command SEND': 'SEND',
  'unknown-command SOML': 'SOML',
  'unknown-command SAML': 'SAML',
  'unknown-command XCLIENT': 'XCLIENT ADDR=192.0.2.1',
  'unknown-command XFORWARD': 'XFORWARD NAME=x',
  'unknown-command END': 'END',
  'unknown-command .': '.',
  'unknown-command EXIT': 'exit',
  'unknown-command BYE': 'BYE',
  'unknown-command LOGOUT': 'LOGOUT',
  'unknown-command LOGIN': 'LOGIN',
  'unknown-command PLAIN': 'PLAIN',
  'unknown-command FROM:': 'From: Alice <alice@example.com>',
  'unknown-command TO:': 'To: Bob <bob@example.com>',
  'unknown-command SUBJECT:': 'Subject: hello',
  'unknown-command envelope-from': 'FROM:<alice@example.com>',
  'unknown-command envelope-to': 'TO:<bob@example.com>',
  'unknown-command joined-words': 'MAILFROM:<alice@example.com>',
  'unknown-command did-you-mean': 'EHLLO client.example.com',
  'unknown-command not-a-verb': 'HELLO-THERE',
  'unknown-command leading-space': ' EHLO client.example.com',
  'unknown-command only-spaces': '   ',
  'missing-argument hello': 'EHLO',
  'missing-argument sender': 'MAIL FROM:',
  'missing-argument recipient': 'RCPT TO:',
  'missing-argument vrfy': 'VRFY',
  'missing-argument expn': 'EXPN',
  'missing-argument auth': 'AUTH',
  'missing-argument bdat': 'BDAT',
  'unexpected-argument hello': 'EHLO client example',
  'unexpected-argument starttls': 'STARTTLS now',
  'unexpected-argument no-argument': 'DATA now',
  'unexpected-argument auth-words': 'AUTH PLAIN alice secret',
  'unexpected-argument cram-md5-response': 'AUTH CRAM-MD5 YWxpY2U=',
  'unexpected-argument bdat-extra': 'BDAT 10 LAST now',
  'unexpected-argument bdat-not-last': 'BDAT 10 FINAL',
  'missing-from-keyword nothing-after-verb': 'MAIL',
  'missing-from-keyword other-keyword': 'MAIL TO:<bob@example.com>',
  'missing-from-keyword typo': 'MAIL FORM:<alice@example.com>',
  'missing-from-keyword missing': 'MAIL <alice@example.com>',
  'missing-to-keyword nothing-after-verb': 'RCPT',
  'missing-to-keyword other-keyword': 'RCPT FROM:<alice@example.com>',
  'missing-to-keyword typo': 'RCPT T:<bob@example.com>',
  'missing-to-keyword missing': 'RCPT bob@example.com',
  'missing-angle-brackets missing': 'MAIL FROM:alice@example.com',
  'unclosed-angle-bracket unclosed': 'MAIL FROM:<alice@example.com',
  'invalid-address empty-recipient': 'RCPT TO:<>',
  'invalid-address unclosed-quote': 'MAIL FROM:<"john doe@example.com>',
  'invalid-address no-domain': 'MAIL FROM:<alice>',
  'invalid-address too-long': `MAIL FROM:<${'a'.repeat(64)}@${Array(4).fill('b'.repeat(60)).join('.')}.com>`,
  'invalid-address space': 'MAIL FROM:<alice@example .com>',
  'invalid-address nested-brackets': 'MAIL FROM:<alice@example<.com>',
  'invalid-address unexpected-character': 'MAIL FROM:<"alice"x@example.com>',
  'invalid-address extra-closing-bracket': 'MAIL FROM:<alice@example.com>>',
  'invalid-address missing-local-part': 'MAIL FROM:<@example.com>',
  'invalid-address malformed-source-route': 'MAIL FROM:<@relay.example alice@example.com>',
  'invalid-address invisible-character': 'MAIL FROM:<\u200balice@example.com>',
  'invalid-address local-part-too-long': `MAIL FROM:<${'a'.repeat(65)}@example.com>`,
  'invalid-address local-part-dots': 'MAIL FROM:<alice..smith@example.com>',
  'invalid-address local-part-character': 'MAIL FROM:<alice(x@example.com>',
  'invalid-domain hello-too-long': `EHLO ${'a'.repeat(301)}`,
  'invalid-domain hello-email-address': 'EHLO alice@example.com',
  'invalid-domain hello-not-a-host': 'EHLO client_example',
  'invalid-domain helo-address-literal': 'HELO [192.0.2.1]',
  'invalid-domain literal-unclosed': 'MAIL FROM:<alice@[192.0.2.1>',
  'invalid-domain refused': 'MAIL FROM:<alice@example..com>',
  'invalid-domain tolerated': 'MAIL FROM:<alice@192.0.2.1>',
  'invalid-parameter after-path': 'MAIL FROM:<alice@example.com>SIZE=10',
  'invalid-parameter not-a-parameter': 'MAIL FROM:<alice@example.com> -X',
  'unknown-parameter other-command': 'MAIL FROM:<alice@example.com> NOTIFY=NEVER',
  'unknown-parameter unknown': 'MAIL FROM:<alice@example.com> FOO',
  'duplicate-parameter duplicate': 'MAIL FROM:<alice@example.com> SIZE=1 SIZE=2',
  'invalid-parameter-value empty-value': 'MAIL FROM:<alice@example.com> SIZE=',
  'invalid-parameter-value needs-value': 'MAIL FROM:<alice@example.com> SIZE',
  'invalid-parameter-value flag-with-value': 'MAIL FROM:<alice@example.com> SMTPUTF8=yes',
  'invalid-parameter-value size': 'MAIL FROM:<alice@example.com> SIZE=big',
  'invalid-parameter-value body': 'MAIL FROM:<alice@example.com> BODY=UTF8',
  'invalid-parameter-value ret': 'MAIL FROM:<alice@example.com> RET=ALL',
  'invalid-parameter-value envid-too-long': `MAIL FROM:<alice@example.com> ENVID=${'x'.repeat(101)}`,
  'invalid-parameter-value auth-brackets': 'MAIL FROM:<alice@example.com> AUTH=<alice@example.com>',
  'invalid-parameter-value auth-mailbox': 'MAIL FROM:<alice@example.com> AUTH=alice',
  'invalid-parameter-value notify-never-combined': 'RCPT TO:<bob@example.com> NOTIFY=NEVER,DELAY',
  'invalid-parameter-value notify': 'RCPT TO:<bob@example.com> NOTIFY=ALWAYS',
  'invalid-parameter-value orcpt': 'RCPT TO:<bob@example.com> ORCPT=bob@example.com',
  'invalid-parameter-value xtext-refused': 'MAIL FROM:<alice@example.com> ENVID=a+0A',
  'invalid-parameter-value xtext-tolerated': 'MAIL FROM:<alice@example.com> ENVID=a=b',
  'invalid-base64 initial-response': 'AUTH XOAUTH2 not!base64',
  'invalid-base64 plain-initial-response': 'AUTH PLAIN alice:secret',
  'invalid-base64 login-initial-response': 'AUTH LOGIN alice!',
  'invalid-base64 unpadded': 'AUTH PLAIN YQ',
  'invalid-mechanism not-a-name': 'AUTH PLAIN!',
  'invalid-mechanism did-you-mean': 'AUTH PLIAN',
  'invalid-chunk-size not-digits': 'BDAT ten',
  'invalid-chunk-size too-large': 'BDAT 99999999999999999999',
  'missing-colon missing': 'MAIL FROM <alice@example.com>',
  'space-after-colon space': 'MAIL FROM: <alice@example.com>',
  'extra-whitespace trailing-space': 'DATA ',
  'extra-whitespace between-words': 'EHLO  client.example.com',
  'extra-whitespace verb-keyword-gap': 'MAIL  FROM:<alice@example.com>',
  'extra-whitespace space-before-colon': 'MAIL FROM :<alice@example.com>',
  'source-route obsolete': 'RCPT TO:<@relay.example:bob@example.com>',
  'server-may-reject binarymime': 'MAIL FROM:<alice@example.com> BODY=BINARYMIME',
  'server-may-reject quoted-local-part': 'MAIL FROM:<"alice smith"@example.com>',
  'missing-smtputf8 missing': 'MAIL FROM:<élise@example.com>',
};

/** AUTH continuation lines (after a 334), read by parseAuthResponse. */
const EXAMPLE_AUTH_RESPONSES: Readonly<Record<string, string>> = {
  'invalid-base64 lone-equals': '=',
  'invalid-base64 continuation': 'alice!',
};

function problemsOf(line: string): readonly CommandSyntaxError[] {
  const result = parseCommand(line);
  return result.ok ? result.warnings : [result.error];
}

describe('grammar message table', () => {
  it('has messages for every SyntaxErrorCode, and for no other code', () => {
    for (const code of SYNTAX_ERROR_CODES) expect(Object.keys(MESSAGES[code] ?? {}).length, code).toBeGreaterThan(0);
    expect(Object.keys(MESSAGES).sort()).toEqual([...SYNTAX_ERROR_CODES].sort());
  });

  it.each(TEMPLATES)('%s renders with sample parameters and leaves no placeholder', (_label, template) => {
    for (const name of placeholders(template)) expect(SAMPLE_PARAMS, `unknown parameter {${name}}`).toHaveProperty(name);
    const text = fillTemplate(template, SAMPLE_PARAMS);
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text).not.toMatch(/[{}]|undefined|NaN|\[object/);
    // Pieces are joined with one space: none may bring its own.
    for (const piece of pieces(template)) expect(piece).toBe(piece.trim());
    expect(pieces(template).join(' ')).not.toContain('  ');
  });

  it('inserts a learner\'s text as it is, never reading it as a template', () => {
    expect(fillTemplate('"{word}" is not an SMTP command.', { word: '{word}$&' })).toBe('"{word}$&" is not an SMTP command.');
    expect(fillTemplate(['A {x}', 'and {y}.'], { x: 1 })).toBe('A 1 and {y}.');
  });

  const examples = [
    ...Object.entries(EXAMPLE_LINES).map(([key, line]) => [key, line, problemsOf(line)] as const),
    ...Object.entries(EXAMPLE_AUTH_RESPONSES).map(([key, line]) => {
      const response = parseAuthResponse(line);
      return [key, line, response.kind === 'invalid' ? [response.error] : []] as const;
    }),
  ];

  it('has an example line for every message, so no entry is unreachable', () => {
    const entries = Object.entries(MESSAGES).flatMap(([code, variants]) => Object.keys(variants).map((variant) => `${code} ${variant}`));
    expect(examples.map(([key]) => key).sort()).toEqual(entries.sort());
  });

  it.each(examples)('%s: %j earns it, and its words are the table\'s with its own parameters', (key, _line, problems) => {
    const problem = problems.find((candidate) => `${candidate.code} ${candidate.variant}` === key);
    expect(problem, `found ${problems.map((p) => `${p.code} ${p.variant}`).join(', ')}`).toBeDefined();
    if (!problem) return;
    const entry = MESSAGES[problem.code]?.[problem.variant];
    expect(entry).toBeDefined();
    if (!entry) return;
    expect(problem.message).toBe(fillTemplate(entry.message, problem.params));
    expect(problem.fix).toBe(fillTemplate(entry.fix, problem.params));
    expect(`${problem.message} ${problem.fix}`).not.toMatch(/\{\w+\}/);
  });
});
