import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthResponse, parseCommand, VERBS, type CommandSyntaxError } from '../../../protocol/commands/index.ts';

/** The invariants every problem must keep, so the console can always underline it. */
function expectValidProblem(problem: CommandSyntaxError, line: string): void {
  const { start, end } = problem.range;
  expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
  expect(0 <= start && start <= end && end <= line.length).toBe(true);
  if (line.length > 0) expect(start).toBeLessThan(end);
  expect(problem.message.length).toBeGreaterThan(0);
  expect(problem.fix.length).toBeGreaterThan(0);
}

function expectWellFormed(line: string): void {
  const result = parseCommand(line);
  if (result.ok) for (const warning of result.warnings) expectValidProblem(warning, line);
  else expectValidProblem(result.error, line);
}

const prefixes = fc.constantFrom(
  '', ...VERBS.map((verb) => `${verb} `), 'MAIL FROM:', 'MAIL FROM:<', 'RCPT TO:<', 'mail from: <',
  'RCPT TO:<a@', 'MAIL FROM:<a@b.example> ', 'AUTH PLAIN ', 'EHLO [', 'MAIL FROM:<"',
);
const grammarCharacters = fc.constantFrom(
  '<', '>', '"', '\\', '@', ':', ' ', '=', '[', ']', ',', '.', '-', '+', 'a', 'Z', '0', '9', 'é', '😀',
  '\t', '\u0000', '\u007f', '\u200b', '\ud800', '\udfff', 'IPv6:', 'SIZE=', 'FROM', 'LAST',
);
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

describe('parseCommand never throws and keeps every range inside the line', () => {
  it('for arbitrary binary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), expectWellFormed), { numRuns: 2000 });
  });

  it('for arbitrary code units, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: anyCodeUnit }), expectWellFormed), { numRuns: 1000 });
  });

  it('for verb prefixes followed by grammar punctuation and control characters', () => {
    fc.assert(
      fc.property(prefixes, fc.string({ unit: grammarCharacters, maxLength: 40 }), (prefix, tail) => expectWellFormed(prefix + tail)),
      { numRuns: 5000 },
    );
  });

  it('for long lines made of one repeated character', () => {
    fc.assert(
      fc.property(prefixes, grammarCharacters, fc.integer({ min: 100, max: 5000 }), (prefix, unit, count) =>
        expectWellFormed(prefix + unit.repeat(count)),
      ),
      { numRuns: 200 },
    );
  });

  it.each(['<', '"', '@', '[', ' ', '=', '+', '\\', 'a'])('for 100 KB lines of %j after every prefix', (unit) => {
    const body = unit.repeat(100_000);
    for (const prefix of ['', 'MAIL FROM:', 'MAIL FROM:<', 'MAIL FROM:<"', 'RCPT TO:<a@', 'MAIL FROM:<a@b.example> ', 'EHLO ', 'AUTH PLAIN ', 'NOOP ']) {
      expectWellFormed(prefix + body);
    }
  });
});

const atextCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".split('');
const atom = fc.string({ unit: fc.constantFrom(...atextCharacters), minLength: 1, maxLength: 8 });
const utf8Atom = fc.string({ unit: fc.constantFrom('a', 'z', 'é', 'ü', 'ß', '日', '本', 'Ж', '😀'), minLength: 1, maxLength: 6 });
const dotString = (part: fc.Arbitrary<string>) => fc.array(part, { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join('.'));
const quotedString = fc
  .string({ unit: fc.constantFrom('a', 'b', '.', '(', ')', ',', ':', ';', '[', ']', '\\"', '\\\\'), minLength: 1, maxLength: 8 })
  .map((text) => `"${text}"`);

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const letDig = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const label = fc.oneof(
  letter,
  fc.tuple(letter, fc.string({ unit: fc.constantFrom('a', 'q', '7', '-'), maxLength: 8 }), letDig).map((parts) => parts.join('')),
);
const utf8Label = fc.string({ unit: fc.constantFrom('b', 'ü', 'c', 'h', 'e', 'r', '日', '本'), minLength: 1, maxLength: 8 });
const domainOf = (part: fc.Arbitrary<string>) => fc.array(part, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const addressLiteral = fc.oneof(ipv4.map((ip) => `[${ip}]`), fc.ipV6().map((ip) => `[IPv6:${ip}]`));

const asciiAddress = fc.record({
  localPart: fc.oneof(dotString(atom), quotedString),
  domain: fc.oneof({ weight: 4, arbitrary: domainOf(label) }, { weight: 1, arbitrary: addressLiteral }),
});
const utf8Address = fc.record({ localPart: dotString(utf8Atom), domain: domainOf(utf8Label) });

const mixedCase = (word: string) => fc.constantFrom(word.toUpperCase(), word.toLowerCase(), word[0] + word.slice(1).toLowerCase());
const xtext = fc
  .string({ unit: fc.constantFrom('a', 'Z', '0', '!', '~', '+2B', '+3D', '+20', '@', '.'), minLength: 1, maxLength: 12 });

/** Some of the MAIL parameters, each at most once, in any order. */
const mailParams = fc
  .tuple(
    fc.option(fc.nat().map((size) => ['SIZE', String(size)] as const)),
    fc.option(fc.constantFrom('7BIT', '8BITMIME', '8bitmime').map((body) => ['BODY', body] as const)),
    fc.option(fc.constantFrom('FULL', 'HDRS', 'hdrs').map((ret) => ['RET', ret] as const)),
    fc.option(xtext.map((id) => ['ENVID', id] as const)),
    fc.option(fc.constant(['AUTH', '<>'] as const)),
  )
  .map((options) => options.filter((option) => option !== null))
  .chain((params) => fc.shuffledSubarray(params, { minLength: params.length }));

function written(params: readonly (readonly [string, string | null])[]): string {
  return params.map(([keyword, value]) => (value === null ? ` ${keyword}` : ` ${keyword}=${value}`)).join('');
}

describe('generated valid commands parse to the expected structure', () => {
  it('MAIL FROM with ASCII or UTF-8 addresses and parameters', () => {
    fc.assert(
      fc.property(
        mixedCase('MAIL'),
        mixedCase('FROM'),
        fc.oneof(asciiAddress.map((address) => ({ ...address, utf8: false })), utf8Address.map((address) => ({ ...address, utf8: true }))),
        mailParams,
        (verb, keyword, address, params) => {
          const all: (readonly [string, string | null])[] = [...params];
          if (address.utf8) all.push(['SMTPUTF8', null]);
          const mailbox = `${address.localPart}@${address.domain}`;
          const line = `${verb} ${keyword}:<${mailbox}>${written(all)}`;
          const result = parseCommand(line);
          expect(result.ok ? result.warnings.filter((w) => w.code !== 'server-may-reject') : result.error).toEqual([]);
          if (!result.ok || result.command.verb !== 'MAIL') throw new Error(`not a MAIL command: ${line}`);
          expect(result.command.path).toEqual({
            address: mailbox,
            localPart: address.localPart,
            domain: address.domain,
            range: { start: verb.length + keyword.length + 2, end: verb.length + keyword.length + 4 + mailbox.length },
          });
          expect(result.command.params.map((param) => [param.keyword, param.value])).toEqual(all.map(([keyword, value]) => [keyword, value]));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('RCPT TO with NOTIFY and ORCPT', () => {
    const notify = fc.oneof(
      fc.constant('NEVER'),
      fc.shuffledSubarray(['SUCCESS', 'FAILURE', 'delay'], { minLength: 1 }).map((values) => values.join(',')),
    );
    const rcptParams = fc.tuple(fc.option(notify), fc.option(xtext.map((text) => `rfc822;${text}`)));
    fc.assert(
      fc.property(mixedCase('RCPT'), mixedCase('TO'), asciiAddress, rcptParams, (verb, keyword, address, [notifyValue, orcpt]) => {
        const params: [string, string][] = [];
        if (notifyValue !== null) params.push(['NOTIFY', notifyValue]);
        if (orcpt !== null) params.push(['ORCPT', orcpt]);
        const mailbox = `${address.localPart}@${address.domain}`;
        const result = parseCommand(`${verb} ${keyword}:<${mailbox}>${written(params)}`);
        if (!result.ok || result.command.verb !== 'RCPT') throw new Error(`not parsed: ${JSON.stringify(result)}`);
        expect(result.warnings.filter((w) => w.code !== 'server-may-reject')).toEqual([]);
        expect([result.command.path.localPart, result.command.path.domain]).toEqual([address.localPart, address.domain]);
        expect(result.command.params.map((param) => [param.keyword, param.value])).toEqual(params);
      }),
      { numRuns: 1000 },
    );
  });

  it('EHLO and HELO with domains and address literals', () => {
    fc.assert(
      fc.property(fc.constantFrom('EHLO', 'ehlo', 'HELO'), fc.oneof(domainOf(label), addressLiteral), (verb, domain) => {
        const result = parseCommand(`${verb} ${domain}`);
        expect(result.ok && result.command).toEqual({ verb: verb.toUpperCase(), domain });
        const expectWarning = verb === 'HELO' && domain.startsWith('[');
        expect(result.ok && result.warnings.map((w) => w.code)).toEqual(expectWarning ? ['invalid-domain'] : []);
      }),
      { numRuns: 500 },
    );
  });

  it('AUTH with a base64 initial response', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('PLAIN', 'login', 'XOAUTH2', 'EXTERNAL', 'SCRAM-SHA-256'),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 90 })),
        (mechanism, bytes) => {
          const response = bytes === null ? null : btoa(String.fromCharCode(...bytes));
          const result = parseCommand(`AUTH ${mechanism}${response === null ? '' : ` ${response}`}`);
          expect(result.ok && result.command).toEqual({ verb: 'AUTH', mechanism: mechanism.toUpperCase(), initialResponse: response });
          expect(result.ok && result.warnings).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('BDAT with a size and an optional LAST', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.boolean(), mixedCase('BDAT'), (size, last, verb) => {
        const result = parseCommand(`${verb} ${size}${last ? ' LAST' : ''}`);
        expect(result.ok && result.command).toEqual({ verb: 'BDAT', size, last });
      }),
    );
  });
});

describe('parseAuthResponse properties', () => {
  it('never throws, and every invalid line has a range inside it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: anyCodeUnit }), fc.string({ unit: grammarCharacters })), (line) => {
        const response = parseAuthResponse(line);
        if (response.kind === 'invalid') expectValidProblem(response.error, line);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes any base64 of UTF-8 text back to that text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const bytes = new TextEncoder().encode(text);
        const encoded = btoa(String.fromCharCode(...bytes));
        expect(parseAuthResponse(encoded)).toEqual({ kind: 'base64', value: encoded, decoded: text.replace(/[\ud800-\udfff]/gu, '\ufffd') });
      }),
      { numRuns: 1000 },
    );
  });
});
