/** Shared helpers for the session model tests. */
import { ReplyAssembler } from '../../../protocol/replies/index.ts';
import type { Reply } from '../../../protocol/replies/types.ts';
import { createSessionActor, statePath, type SessionActor } from '../../../protocol/session/index.ts';

/** Builds a Reply from wire lines with the real reply grammar. */
export function reply(...lines: string[]): Reply {
  const assembler = new ReplyAssembler();
  for (const line of lines) {
    const result = assembler.push(line);
    if (result?.kind === 'reply') return result.reply;
    if (result?.kind === 'error') throw new Error(result.error.message);
  }
  throw new Error(`incomplete reply: ${lines.join(' | ')}`);
}

export const EHLO_REPLY = reply(
  '250-sandbox.test Nice to meet you',
  '250-PIPELINING',
  '250-8BITMIME',
  '250-AUTH PLAIN LOGIN',
  '250-STARTTLS',
  '250 SIZE 1000',
);

/** A session fed a script: "C: line" for client lines, "S: 250 text" for one-line replies. */
export function run(script: readonly (string | Reply)[], session: SessionActor = createSessionActor()): SessionActor {
  for (const step of script) {
    if (typeof step !== 'string') session.send({ type: 'server.reply', reply: step });
    else if (step.startsWith('C: ')) session.send({ type: 'client.line', text: step.slice(3) });
    else if (step.startsWith('S: ')) session.send({ type: 'server.reply', reply: reply(step.slice(3)) });
    else throw new Error(`bad script step ${step}`);
  }
  return session;
}

/** A session that is connected, greeted and identified with EHLO_REPLY. */
export function identified(): SessionActor {
  const session = createSessionActor();
  session.send({ type: 'socket.opened', server: 'sandbox.test:25' });
  return run(['S: 220 sandbox.test ESMTP', 'C: EHLO client.example', EHLO_REPLY], session);
}

export function stateOf(session: SessionActor): string {
  return statePath(session.getSnapshot().value);
}
