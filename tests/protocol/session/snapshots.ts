/** Session-model snapshots for console and controller tests, built from real simulator replies. */
import { createSessionActor, type SessionActor, type SessionSnapshot } from '../../../protocol/session/index.ts';
import { SimulatedServer } from '../../../protocol/simulator/index.ts';
import { replyReader } from '../replies/reply-reader.ts';

/**
 * Plays client lines against a fresh simulated server (greeting first) and returns the model.
 * `STARTTLS` answered 220 gets its simulated handshake.
 */
export function modelAfter(...clientLines: string[]): SessionActor {
  const server = new SimulatedServer({ newQueueId: () => 'QTEST1' });
  const model = createSessionActor();
  const deliver = replyReader((reply) => {
    model.send({ type: 'server.reply', reply });
    if (reply.code === 220 && server.awaitingTls) model.send({ type: 'tls.established', tls: server.startTls() });
  });
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
