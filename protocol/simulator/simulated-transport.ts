/**
 * The simulated server behind the same Transport interface as a real TCP connection, so the
 * console and the replay engine cannot tell the difference: replies arrive asynchronously,
 * in order, and the connection closes after "221 Bye" or a 421.
 */
import type { TlsInfo, Transport, TransportFactory, TransportHandlers } from '../transport.ts';
import { SimulatedServer } from './simulated-server.ts';
import type { SimulatedServerOptions } from './types.ts';

/**
 * Makes a TransportFactory that opens a fresh simulated server per connection. The greeting
 * arrives on a later macrotask, like bytes from a socket.
 */
export function createSimulatedTransport(options: SimulatedServerOptions = {}): TransportFactory {
  return (handlers) => Promise.resolve(openSimulatedConnection(new SimulatedServer(options), handlers));
}

function openSimulatedConnection(server: SimulatedServer, handlers: TransportHandlers): Transport {
  let open = true;
  /** False once the client closed: later writes go nowhere, pending output is dropped. */
  let writable = true;

  /** Runs steps one macrotask apart, in order, like events from a socket. */
  const queue: Array<() => void> = [];
  let timerSet = false;
  const runNext = (): void => {
    timerSet = false;
    const step = queue.shift();
    // Arm the next turn first, so a throwing handler cannot stall the queue.
    if (queue.length > 0) armTimer();
    step?.();
  };
  const armTimer = (): void => {
    timerSet = true;
    setTimeout(runNext, 0);
  };
  const schedule = (step: () => void): void => {
    queue.push(step);
    if (!timerSet) armTimer();
  };

  const closeOnce = (): void => {
    if (!open) return;
    open = false;
    handlers.onClose();
  };

  /** Delivers server output, then reports the close if the server hung up. */
  const deliver = (text: string): void => {
    const closedAfter = server.closed;
    schedule(() => {
      // Once the client closed, nothing more is read, as with a destroyed socket.
      if (!open || !writable) return;
      if (text) handlers.onData(text);
      if (closedAfter) closeOnce();
    });
  };

  deliver(server.greeting());

  return {
    write(text) {
      if (!writable || server.closed) return;
      deliver(server.receive(text));
    },
    startTls() {
      return new Promise<TlsInfo>((resolve, reject) => {
        schedule(() => {
          if (!open || !server.awaitingTls) {
            reject(new Error('STARTTLS was not accepted: the server must answer STARTTLS with 220 first'));
            return;
          }
          resolve(server.startTls());
        });
      });
    },
    close() {
      writable = false;
      schedule(() => closeOnce());
    },
  };
}
