/** Each goal primitive and combinator, against sessions played on the simulator. */
import { beforeAll, describe, expect, it } from 'vitest';
import { conditionSchema, evaluateGoal, type Condition, type LessonCheckContext } from '../../../protocol/lessons/index.ts';
import { contextAfter } from '../../lessons/session-context.ts';

const ONE_MESSAGE = `EHLO laptop.example
MAIL FROM:<alice@example.com>
RCPT TO:<bob@example.org>
RCPT TO:<nobody@example.com>
RCPT TO:<carol@example.org>
DATA
From: Alice <alice@example.com>
To: Bob <bob@example.org>
Subject: Folded
 header line
<empty>
..dot line
.
`;

let greeted: LessonCheckContext;
let sent: LessonCheckContext;

beforeAll(async () => {
  greeted = await contextAfter('');
  sent = await contextAfter(ONE_MESSAGE);
});

/** Validates the condition (as the frontmatter would) and evaluates it. */
function check(condition: unknown, context: LessonCheckContext): boolean {
  return evaluateGoal(conditionSchema.parse(condition), context).passed;
}

describe('reply', () => {
  it('matches by what the reply answered and its code, class and enhanced code', () => {
    expect(check({ reply: { to: 'EHLO', code: 250 } }, sent)).toBe(true);
    expect(check({ reply: { to: 'GREETING', code: 220 } }, greeted)).toBe(true);
    expect(check({ reply: { to: 'DATA', class: 3 } }, sent)).toBe(true);
    expect(check({ reply: { to: 'END-OF-DATA', code: 250, enhanced: '2.6.0' } }, sent)).toBe(true);
    expect(check({ reply: { to: 'EHLO', code: 250 } }, greeted)).toBe(false);
    expect(check({ reply: { to: 'RCPT', code: 250, enhanced: '2.1.0' } }, sent)).toBe(false);
  });

  it('matches the answered line with a case-insensitive pattern', async () => {
    const context = await contextAfter('end data\n');
    expect(check({ reply: { sent: '^END\\s+DATA', code: 500 } }, context)).toBe(true);
    expect(check({ reply: { to: 'UNKNOWN', code: 500 } }, context)).toBe(true);
    expect(check({ reply: { sent: '^NOOP', code: 500 } }, context)).toBe(false);
  });
});

describe('rejected', () => {
  it('matches only 4xx and 5xx replies', () => {
    expect(check({ rejected: { to: 'RCPT', code: 550, enhanced: '5.1.1' } }, sent)).toBe(true);
    expect(check({ rejected: { to: 'RCPT' } }, sent)).toBe(true);
    expect(check({ rejected: { to: 'MAIL' } }, sent)).toBe(false);
    expect(check({ rejected: { class: 4 } }, sent)).toBe(false);
  });

  it('refuses a 2xx code in the goal itself', () => {
    expect(conditionSchema.safeParse({ rejected: { code: 250 } }).success).toBe(false);
  });
});

describe('state', () => {
  it('matches the state path or a state inside it', async () => {
    expect(check({ state: 'greeted' }, greeted)).toBe(true);
    const transaction = await contextAfter('EHLO a.example\nMAIL FROM:<a@example.com>\n');
    expect(check({ state: 'identified' }, transaction)).toBe(true);
    expect(check({ state: 'identified.transaction.hasSender' }, transaction)).toBe(true);
    expect(check({ state: 'identified.idle' }, transaction)).toBe(false);
    expect(check({ state: 'ident' }, transaction)).toBe(false);
  });
});

describe('identity', () => {
  it('checks the verb and the domain pattern of the accepted greeting', async () => {
    expect(check({ identity: {} }, sent)).toBe(true);
    expect(check({ identity: { verb: 'HELO' } }, sent)).toBe(false);
    expect(check({ identity: { verb: 'EHLO', domain: '^[^@]+$' } }, sent)).toBe(true);
    const address = await contextAfter('EHLO alice@example.com\n');
    expect(check({ identity: { verb: 'EHLO' } }, address)).toBe(true);
    expect(check({ identity: { domain: '^[^@]+$' } }, address)).toBe(false);
    expect(check({ identity: {} }, greeted)).toBe(false);
  });
});

describe('extension', () => {
  it('finds advertised keywords in an EHLO reply', async () => {
    expect(check({ extension: { advertised: 'SIZE' } }, sent)).toBe(true);
    expect(check({ extension: { advertised: 'CHUNKING' } }, sent)).toBe(false);
    expect(check({ extension: { advertised: 'SIZE' } }, await contextAfter('HELO a.example\n'))).toBe(false);
  });

  it('sees PIPELINING used only when a command went out before an earlier reply', async () => {
    expect(check({ extension: { used: 'PIPELINING' } }, sent)).toBe(false);
    const pipelined = await contextAfter('EHLO a.example\nMAIL FROM:<a@example.com>\n+ RCPT TO:<b@example.org>\n');
    expect(check({ extension: { used: 'PIPELINING' } }, pipelined)).toBe(true);
  });

  it('sees MAIL parameters, STARTTLS and AUTH used', async () => {
    const context = await contextAfter('EHLO a.example\nMAIL FROM:<j\u00f6rg@example.com> SMTPUTF8 BODY=8BITMIME SIZE=100\n');
    expect(check({ extension: { used: 'SMTPUTF8' } }, context)).toBe(true);
    expect(check({ extension: { used: '8BITMIME' } }, context)).toBe(true);
    expect(check({ extension: { used: 'SIZE' } }, context)).toBe(true);
    expect(check({ extension: { used: 'SIZE' } }, sent)).toBe(false);
    expect(check({ extension: { used: 'STARTTLS' } }, context)).toBe(false);
    expect(check({ extension: { used: 'AUTH' } }, await contextAfter('EHLO a.example\nAUTH PLAIN AHN0dWRlbnQAd3Jvbmc=\n'))).toBe(true);
  });
});

describe('tls and auth', () => {
  it('reads TLS and the authenticated user from the session', async () => {
    const secured = await contextAfter('EHLO a.example\nSTARTTLS\nEHLO a.example\nAUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==\n');
    expect(check({ tls: true }, secured)).toBe(true);
    expect(check({ tls: false }, secured)).toBe(false);
    expect(check({ tls: false }, sent)).toBe(true);
    expect(check({ auth: { user: 'student', mechanism: 'plain' } }, secured)).toBe(true);
    expect(check({ auth: { user: 'alice' } }, secured)).toBe(false);
    expect(check({ auth: {} }, sent)).toBe(false);
  });
});

describe('message and messages', () => {
  it('matches sender, recipient count, headers (folded too) and body', async () => {
    expect(check({ message: {} }, sent)).toBe(true);
    expect(check({ message: {} }, greeted)).toBe(false);
    expect(check({ message: { sender: 'ALICE@example.com', recipients: 2 } }, sent)).toBe(true);
    expect(check({ message: { recipients: { min: 3 } } }, sent)).toBe(false);
    expect(check({ message: { headers: [{ name: 'subject', matches: '^Folded header line$' }, { name: 'To' }] } }, sent)).toBe(true);
    expect(check({ message: { headers: [{ name: 'Date' }] } }, sent)).toBe(false);
    expect(check({ message: { body: '^\\.dot line$' } }, sent)).toBe(true);
    expect(check({ message: { body: '^\\.\\.dot' } }, sent)).toBe(false);
    expect(check({ message: { sender: '' } }, sent)).toBe(false);
  });

  it('counts the accepted messages', () => {
    expect(check({ messages: 1 }, sent)).toBe(true);
    expect(check({ messages: { min: 2 } }, sent)).toBe(false);
    expect(check({ messages: { max: 0 } }, greeted)).toBe(true);
  });
});

describe('combinators', () => {
  const ehlo: Condition = { reply: { to: 'EHLO', code: 250 } };
  const data: Condition = { reply: { to: 'DATA', code: 354 } };
  const tls: Condition = { tls: true };

  it('all, any and not', () => {
    expect(evaluateGoal({ all: [ehlo, data] }, sent).passed).toBe(true);
    expect(evaluateGoal({ all: [ehlo, tls] }, sent).passed).toBe(false);
    expect(evaluateGoal({ any: [tls, data] }, sent).passed).toBe(true);
    expect(evaluateGoal({ any: [tls] }, sent).passed).toBe(false);
    expect(evaluateGoal({ not: tls }, sent).passed).toBe(true);
    expect(evaluateGoal({ not: ehlo }, sent).passed).toBe(false);
  });

  it('sequence needs the events in order', () => {
    expect(evaluateGoal({ sequence: [{ reply: { to: 'EHLO' } }, { reply: { to: 'DATA' } }] }, sent).passed).toBe(true);
    const reversed = evaluateGoal({ sequence: [{ reply: { to: 'DATA' } }, { reply: { to: 'EHLO' } }] }, sent);
    expect(reversed.passed).toBe(false);
    expect(reversed.children.map((child) => child.passed)).toEqual([true, false]);
    expect(reversed.message).toBe('Not yet: the server has not answered EHLO with a reply yet (after the step before it).');
  });

  it('sequence accepts only reply and rejected steps', () => {
    expect(conditionSchema.safeParse({ sequence: [{ tls: true }, { reply: {} }] }).success).toBe(false);
  });

  it('earlierConnection looks only at connections closed before this one', () => {
    const goal: Condition = { earlierConnection: { message: {} } };
    expect(evaluateGoal(goal, sent).passed).toBe(false);
    expect(evaluateGoal(goal, { ...greeted, earlier: [sent] }).passed).toBe(true);
  });
});

describe('results', () => {
  it('says what is missing with "Not yet:" and uses an author label when given', () => {
    const plain = evaluateGoal({ rejected: { to: 'RCPT', code: 451 } }, sent);
    expect(plain).toMatchObject({
      passed: false,
      label: 'The server refuses RCPT TO with 451',
      message: 'Not yet: the server has not refused RCPT TO with 451 yet.',
    });
    const labelled = evaluateGoal({ label: 'A recipient is greylisted', rejected: { code: 451 } }, sent);
    expect(labelled.message).toBe('Not yet: a recipient is greylisted.');
    const done = evaluateGoal({ label: 'A message is accepted', message: {} }, sent);
    expect(done).toMatchObject({ passed: true, message: 'A message is accepted' });
  });

  it('all reports its first unmet condition', () => {
    const result = evaluateGoal({ all: [{ message: {} }, { tls: true }, { auth: {} }] }, sent);
    expect(result.message).toBe('Not yet: the connection is not encrypted with TLS.');
    expect(result.children.map((child) => child.passed)).toEqual([true, false, false]);
  });
});
