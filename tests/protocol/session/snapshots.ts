/** Session-model snapshots for console and controller tests, built from real simulator replies. */
import { LineBuffer } from '../../../protocol/client/line-buffer.ts';
import { ReplyAssembler } from '../../../protocol/replies/index.ts';
import { createSessionActor, type SessionActor, type SessionSnapshot } from '../../../protocol/session/index.ts';
import { SimulatedServer } from '../../../protocol/simulator/index.ts';

/**
 * Plays client lines against a fresh simulated server (greeting first) and returns the model.
 * `STARTTLS` answered 220 gets its simulated handshake.
 */
export function modelAfter(...clientLines: string[]): SessionActor {
  const server = new SimulatedServer({ newQueueId: () => 'QTEST1' });
  const model = createSessionActor();
  const lines = new LineBuffer();
  const assembler = new ReplyAssembler();
  const deliver = (text: string): void => {
    for (const line of lines.push(text)) {
      const result = assembler.push(line);
      if (result?.kind === 'error') throw new Error(result.error.message);
      if (result?.kind === 'reply') {
        model.send({ type: 'server.reply', reply: result.reply });
        if (result.reply.code === 220 && server.awaitingTls) model.send({ type: 'tls.established', tls: server.startTls() });
      }
    }
  };
  model.send({ type: 'socket.opened', server: 'simulator' });
  deliver(server.greeting());
  for (const line of clientLines) {
    model.send({ type: 'client.line', text: line });
    deliver(server.receive(`${line}\r\n`));
  }
  return model;
}

/** The snapshot after these client lines. */
export function snapshotAfter(...clientLines: string[]): SessionSnapshot {
  return modelAfter(...clientLines).getSnapshot();
}
