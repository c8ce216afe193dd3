/**
 * Each step of the session model takes only the events the statechart sends it: any other
 * event is a bug in the chart and throws, never a placeholder reply or entry.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { initialSessionContext } from '../../../protocol/session/initial-context.ts';
import { sessionSetup } from '../../../protocol/session/session-setup.ts';
import * as steps from '../../../protocol/session/transition-steps.ts';
import type { SessionMachineEvent } from '../../../protocol/session/types.ts';
import { reply } from './helpers.ts';

const SAMPLE_EVENTS: readonly SessionMachineEvent[] = [
  { type: 'socket.opened', server: 'sandbox.test:25' },
  { type: 'client.line', text: 'RCPT TO:<bob@example.org>' },
  { type: 'client.heldLine', text: 'hello', transcriptIndex: 0, heldBehind: 'DATA', settledBy: 354 },
  { type: 'client.dataLines', texts: ['hello', '.'] },
  { type: 'client.elided', lines: 3, bytes: 120 },
  { type: 'server.reply', reply: reply('250 OK') },
  { type: 'tls.established', tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', simulated: true } },
  { type: 'tls.failed', reason: 'handshake timeout' },
  { type: 'socket.closed', reason: null },
];

const LINES = ['client.line', 'client.heldLine'];
const REPLY = ['server.reply'];

/** The events the statechart sends each step (session-machine.ts). */
const ACCEPTED: Record<keyof typeof steps, readonly string[]> = {
  queueCommand: LINES,
  queueEarlyLine: LINES,
  appendMessageLine: LINES,
  queueEndOfData: LINES,
  queueAuthResponse: LINES,
  discardLine: LINES,
  recordLineAfterClose: LINES,
  appendMessageLines: ['client.dataLines'],
  appendElidedLines: ['client.elided'],
  recordGreeting: REPLY,
  recordUnexpectedReply: REPLY,
  answerPending: REPLY,
  acceptIdentity: REPLY,
  acceptReset: REPLY,
  acceptSender: REPLY,
  acceptRecipient: REPLY,
  startMessage: REPLY,
  acceptMessage: REPLY,
  closeTransaction: REPLY,
  acceptAuth: REPLY,
  recordConnection: ['socket.opened'],
  recordTls: ['tls.established'],
  restartAfterTls: ['tls.established'],
  recordTlsFailure: ['tls.failed'],
  recordClose: ['socket.closed'],
};

describe('transition steps', () => {
  it('throw on an event the chart never sends them, and publish exactly one transcript event otherwise', () => {
    const names = Object.keys(steps) as (keyof typeof steps)[];
    expect(names.sort()).toEqual(Object.keys(ACCEPTED).sort());
    for (const name of names) {
      for (const event of SAMPLE_EVENTS) {
        const run = () => steps[name](initialSessionContext(), event);
        if (ACCEPTED[name].includes(event.type)) {
          expect(run().emitted, `${name} on ${event.type}`).toHaveLength(1);
        } else {
          expect(run, `${name} on ${event.type}`).toThrow(/Expected event .* to have/);
        }
      }
    }
  });

  it('acceptRecipient given a client line throws instead of recording a reply', () => {
    const line: SessionMachineEvent = { type: 'client.line', text: 'RCPT TO:<bob@example.org>' };
    expect(() => steps.acceptRecipient(initialSessionContext(), line)).toThrow('server.reply');
  });

  it('a chart that sends a step the wrong event stops the actor with an error and emits no entry', () => {
    const wrongChart = sessionSetup.createMachine({
      context: () => initialSessionContext(),
      on: { 'client.line': { actions: ['acceptRecipient', 'publishTranscript'] } },
    });
    const actor = createActor(wrongChart);
    const emitted: unknown[] = [];
    const errors: unknown[] = [];
    actor.on('*', (event) => emitted.push(event));
    actor.subscribe({ error: (error) => errors.push(error) });
    actor.start();
    actor.send({ type: 'client.line', text: 'RCPT TO:<bob@example.org>' });
    expect(actor.getSnapshot().status).toBe('error');
    expect(String(errors[0])).toContain('server.reply');
    expect(emitted).toEqual([]);
  });
});
