/**
 * Postfix conformance, part 3: address syntax and parameters, where Postfix and smtp-server
 * often give opposite verdicts. One scenario per form, so each verdict shows on its own and
 * no scenario collects enough errors to be slowed down.
 */
import { lines, type Scenario } from './scenario-types.ts';

const EHLO = lines('EHLO client.example');

/** Whatever follows `MAIL FROM` on the line: addresses, spacing and parameters. */
const MAIL_ARGUMENTS = [
  ':<a@example.com>',
  ':a@example.com',
  ': <a@example.com>',
  ' :<a@example.com>',
  ' : <a@example.com>',
  ':<"john doe"@example.com>',
  ':<"a\\"b"@example.com>',
  ':<a.@example.com>',
  ':<.a@example.com>',
  ':<a..b@example.com>',
  ':<a@example.com.>',
  ':< a@example.com>',
  ':<a@example.com >',
  ':<a b@example.com>',
  ':<@relay.example:a@example.com>',
  ':<@r1.example,@r2.example:a@example.com>',
  ':<a@[192.0.2.1]>',
  ':<a@[IPv6:2001:db8::1]>',
  ':<a@[300.1.1.1]>',
  ':<a>',
  ':<a@>',
  ':<@example.com>',
  ':<a@@example.com>',
  ':<a@exa_mple.com>',
  ':<a%b@example.com>',
  ':<a(comment)@example.com>',
  ':<<a@example.com>>',
  ':<a@example.com',
  ':a@example.com>',
  ':',
  '',
  ':<jörg@example.com>',
  ':<a@bücher.example>',
  ':<a@example.com> SIZE=1000',
  ':<a@example.com> SIZE=abc',
  ':<a@example.com> SIZE=',
  ':<a@example.com> size=1000 SIZE=2000',
  ':<a@example.com> BODY=8BITMIME',
  ':<a@example.com> BODY=7BIT',
  ':<a@example.com> BODY=BINARYMIME',
  ':<a@example.com> BODY=FOO',
  ':<a@example.com> SMTPUTF8',
  ':<jörg@example.com> SMTPUTF8',
  ':<a@example.com> SMTPUTF8=yes',
  ':<a@example.com> RET=HDRS ENVID=abc123',
  ':<a@example.com> RET=NONSENSE',
  ':<a@example.com> X-UNKNOWN',
  ':<a@example.com>  SIZE=10',
];

/** Whatever follows `RCPT TO` on the line, after an accepted sender. */
const RCPT_ARGUMENTS = [
  ':alice@lab.test',
  ': <alice@lab.test>',
  ' :<alice@lab.test>',
  ':<ALICE@LAB.TEST>',
  ':<"alice"@lab.test>',
  ':<alice@lab.test.>',
  ':<alice.@lab.test>',
  ':< alice@lab.test>',
  ':<@relay.example:alice@lab.test>',
  ':<alice+tag@lab.test>',
  ':<alice@[127.0.0.1]>',
  ':<alice>',
  ':<>',
  ':',
  ':<alice@lab.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@lab.test',
  ':<alice@lab.test> NOTIFY=NEVER',
  ':<alice@lab.test> NOTIFY=BOGUS',
  ':<alice@lab.test> SIZE=10',
];

export const POSTFIX_SYNTAX_SCENARIOS: readonly Scenario[] = [
  ...MAIL_ARGUMENTS.map((argument) => ({ name: `MAIL FROM${argument}`, steps: [EHLO, lines(`MAIL FROM${argument}`)] })),
  ...RCPT_ARGUMENTS.map((argument) => ({ name: `RCPT TO${argument}`, steps: [EHLO, lines('MAIL FROM:<a@example.com>', `RCPT TO${argument}`)] })),
];
