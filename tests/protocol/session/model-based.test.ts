/**
 * Model-based test: paths generated from the session model with xstate/graph are replayed
 * against the REAL smtp-server (the sandbox on port 0). The traversal logic feeds the model each
 * client command and a reply synthesized from predictCommand (what an RFC 5321 server does);
 * the replay feeds a fresh model the real server's replies. At every step both must agree on
 * the state and the envelope, and the real reply code must be the predicted one (a 501 where
 * the model predicts 503 leaves the state alike, so the state alone would not catch it).
 *
 * smtp-server accepts AUTH during a mail transaction, where RFC 4954 §4 requires 503; the
 * traversal does not generate AUTH there (in live use the model follows the real reply).
 * Before EHLO, smtp-server (like Postfix) answers any RCPT with 503, even one the grammar
 * refuses; the model predicts 501 for a line it cannot read in any state, so the traversal
 * does not send the malformed RCPT before EHLO either (both codes are refusals; RFC 5321 does
 * not order the checks).
 * STARTTLS is left to the conversation tests: it needs a TLS client.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTransition, initialTransition, transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { parseCommand } from '../../../protocol/commands/index.ts';
import { ReplyAssembler } from '../../../protocol/replies/index.ts';
import type { Reply } from '../../../protocol/replies/types.ts';
import {
  createSessionActor,
  predictCommand,
  serializeState,
  sessionMachine,
  statePath,
  type SessionSnapshot,
} from '../../../protocol/session/index.ts';
import { createSandbox, type Sandbox } from '../../../server/sandbox/create-sandbox.ts';
import { reply } from './helpers.ts';

const STEPS = {
  EHLO: 'EHLO client.example',
  HELO: 'HELO client.example',
  MAIL: 'MAIL FROM:<alice@example.com>',
  RCPT: 'RCPT TO:<bob@example.org>',
  RCPT_BAD: 'RCPT TO:<>',
  DATA: 'DATA',
  RSET: 'RSET',
  NOOP: 'NOOP',
  AUTH_GOOD: `AUTH PLAIN ${btoa('\u0000student\u0000learn-smtp')}`,
  AUTH_BAD: `AUTH PLAIN ${btoa('\u0000student\u0000wrong')}`,
  QUIT: 'QUIT',
} as const;
type StepType = keyof typeof STEPS;
type StepEvent = { readonly type: StepType };

const MESSAGE = ['Subject: model-based test', '', '..a line that starts with a dot'];
const EHLO_REPLY = reply('250-sandbox Nice to meet you', '250-PIPELINING', '250-AUTH PLAIN LOGIN', '250-STARTTLS', '250 SIZE 10485760');

function feed(snapshot: SessionSnapshot, event: Parameters<typeof transition<typeof sessionMachine>>[2]): SessionSnapshot {
  return transition(sessionMachine, snapshot, event)[0];
}

/** The reply an RFC-conforming server gives (credentials decide AUTH, as the test knows them). */
function expectedCode(snapshot: SessionSnapshot, step: StepType): number {
  const prediction = predictCommand(snapshot, parseCommand(STEPS[step]));
  if (prediction.outcome === 'unknown' && step.startsWith('AUTH')) return step === 'AUTH_GOOD' ? 235 : 535;
  if (prediction.code === null) throw new Error(`no prediction for ${step} in ${statePath(snapshot.value)}`);
  return prediction.code;
}

function synthesized(code: number, step: StepType): Reply {
  return step === 'EHLO' && code === 250 ? EHLO_REPLY : reply(`${code} synthesized`);
}

function modelStep(snapshot: SessionSnapshot, event: StepEvent): SessionSnapshot {
  const code = expectedCode(snapshot, event.type);
  let next = feed(snapshot, { type: 'client.line', text: STEPS[event.type] });
  next = feed(next, { type: 'server.reply', reply: synthesized(code, event.type) });
  if (event.type === 'DATA' && code === 354) {
    for (const text of [...MESSAGE, '.']) next = feed(next, { type: 'client.line', text });
    next = feed(next, { type: 'server.reply', reply: reply('250 OK: message queued as MODEL') });
  }
  return next;
}

function greetedModel(): SessionSnapshot {
  let snapshot = initialTransition(sessionMachine)[0];
  snapshot = feed(snapshot, { type: 'socket.opened', server: 'sandbox' });
  return feed(snapshot, { type: 'server.reply', reply: reply('220 sandbox ESMTP') });
}

const testLogic = fromTransition((snapshot: SessionSnapshot, event: StepEvent) => modelStep(snapshot, event), greetedModel());

function inTransaction(snapshot: SessionSnapshot): boolean {
  return snapshot.context.envelope.sender !== null;
}

/** A line-based SMTP client for the real server: send a line, wait for the complete reply. */
class SmtpTestClient {
  readonly #socket: net.Socket;
  readonly #assembler = new ReplyAssembler();
  readonly #replies: Reply[] = [];
  #waiting: ((reply: Reply) => void) | null = null;
  #buffer = '';

  constructor(port: number) {
    this.#socket = net.connect(port, '127.0.0.1');
    this.#socket.setEncoding('utf8');
    this.#socket.on('error', () => undefined);
    this.#socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let end = this.#buffer.indexOf('\r\n');
      while (end >= 0) {
        const result = this.#assembler.push(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 2);
        if (result?.kind === 'reply') this.#deliver(result.reply);
        end = this.#buffer.indexOf('\r\n');
      }
    });
  }

  #deliver(received: Reply): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(received);
    else this.#replies.push(received);
  }

  nextReply(): Promise<Reply> {
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  write(lines: readonly string[]): void {
    this.#socket.write(lines.map((line) => `${line}\r\n`).join(''));
  }

  close(): void {
    this.#socket.destroy();
  }
}

let sandbox: Sandbox;
let port: number;

beforeAll(async () => {
  sandbox = createSandbox();
  port = (await sandbox.listen(0, '127.0.0.1')).port;
});

afterAll(async () => {
  await sandbox.close();
});

const paths = getShortestPaths(testLogic, {
  events: Object.keys(STEPS).map((type) => ({ type }) as StepEvent),
  filterEvents: (snapshot, event) =>
    !(event.type.startsWith('AUTH') && inTransaction(snapshot.context)) && !(event.type === 'RCPT_BAD' && snapshot.context.context.identity === null),
  // A refused command leaves the model where it was, so a shortest-path traversal would never
  // take one: the key names the refused command and its code, making each refusal in each
  // state a place of its own that some path reaches.
  serializeState: (snapshot, event, previous) => {
    if (event === undefined || previous === undefined || !(event.type in STEPS)) return serializeState(snapshot.context);
    const code = expectedCode(previous.context, event.type);
    return code >= 400 ? `${serializeState(snapshot.context)} ${event.type} ${code}` : serializeState(snapshot.context);
  },
  stopWhen: (snapshot) => statePath(snapshot.context.value) === 'closing',
});

/** The path's command events, without the traversal's own `xstate.init`. */
function eventsOf(path: (typeof paths)[number]): StepEvent[] {
  return path.steps.flatMap((step) => (step.event.type in STEPS ? [step.event] : []));
}

describe('session model against the real smtp-server', () => {
  it('generates dozens of paths covering every command state', () => {
    expect(paths.length).toBeGreaterThanOrEqual(24);
    const reached = new Set(paths.map((path) => statePath(path.state.context.value)));
    expect([...reached].sort()).toEqual(
      ['closing', 'greeted', 'identified.idle', 'identified.transaction.hasRecipients', 'identified.transaction.hasSender'].sort(),
    );
  });

  it.each(paths.map((path) => [eventsOf(path).map((event) => event.type).join(' → ') || '(greeting only)', path] as const))(
    '%s',
    async (_name, path) => {
      const client = new SmtpTestClient(port);
      const session = createSessionActor();
      session.send({ type: 'socket.opened', server: 'sandbox' });
      try {
        const greeting = await client.nextReply();
        expect(greeting.code).toBe(220);
        session.send({ type: 'server.reply', reply: greeting });
        expect(statePath(session.getSnapshot().value)).toBe('greeted');
        // The path gives the events; the prediction is rebuilt along them, because the graph
        // keeps one snapshot per key (the last it met), which may hold more messages.
        let predicted = greetedModel();
        for (const event of eventsOf(path)) {
          const line = STEPS[event.type];
          const where = `after ${event.type}`;
          client.write([line]);
          session.send({ type: 'client.line', text: line });
          const answer = await client.nextReply();
          expect(answer.code, `reply to ${event.type} in ${statePath(predicted.value)}`).toBe(expectedCode(predicted, event.type));
          predicted = modelStep(predicted, event);
          session.send({ type: 'server.reply', reply: answer });
          if (event.type === 'DATA' && answer.code === 354) {
            client.write([...MESSAGE, '.']);
            for (const text of [...MESSAGE, '.']) session.send({ type: 'client.line', text });
            const stored = await client.nextReply();
            expect(stored.code, 'reply to the end of the message').toBe(250);
            session.send({ type: 'server.reply', reply: stored });
          }
          const actual = session.getSnapshot();
          expect(statePath(actual.value), where).toBe(statePath(predicted.value));
          expect(actual.context.envelope, where).toEqual(predicted.context.envelope);
          expect(actual.context.auth !== null, where).toBe(predicted.context.auth !== null);
          expect(actual.context.messages.map((message) => message.body), where).toEqual(predicted.context.messages.map((message) => message.body));
        }
      } finally {
        client.close();
      }
    },
  );
});
