/**
 * The simulated server behind the same Transport interface as a real TCP connection, so the
 * console and the replay engine cannot tell the difference: replies arrive asynchronously,
 * in order, and the connection closes after "221 Bye" or a 421.
 */
import { DEFAULT_SANDBOX_CONFIG } from '../sandbox-config.ts';
import type { TlsInfo, Transport, TransportFactory, TransportHandlers } from '../transport.ts';
import { GreylistMemory } from './server-behaviours.ts';
import { SimulatedServer } from './simulated-server.ts';
import type { SimulatedServerOptions } from './types.ts';

/** The last line of a reply: code then space (or nothing); `250-` continues. */
const FINAL_LINE = /^\d{3}(?: |$)/;

/**
 * Makes a TransportFactory that opens a fresh simulated server per connection; all of them
 * share one greylisting memory, so a reconnect counts as a retry. The greeting arrives on a
 * later macrotask, like bytes from a socket; with `replyDelayMs` each reply comes that much
 * later than the one before it, like the sandbox's slow replies.
 */
export function createSimulatedTransport(options: SimulatedServerOptions = {}): TransportFactory {
  const shared: SimulatedServerOptions = { ...options, greylist: options.greylist ?? new GreylistMemory() };
  const replyDelayMs = (options.config ?? DEFAULT_SANDBOX_CONFIG).behaviours.replyDelayMs;
  return (handlers) => Promise.resolve(openSimulatedConnection(new SimulatedServer(shared), handlers, replyDelayMs));
}

/** Splits wire text into whole replies (a multiline reply stays one piece). */
function splitReplies(text: string): string[] {
  const replies: string[] = [];
  let current = '';
  for (const line of text.split(/(?<=\r\n)/)) {
    current += line;
    if (FINAL_LINE.test(line)) {
      replies.push(current);
      current = '';
    }
  }
  if (current) replies.push(current);
  return replies;
}

function openSimulatedConnection(server: SimulatedServer, handlers: TransportHandlers, replyDelayMs: number): Transport {
  let open = true;
  /** False once the client closed: later writes go nowhere, pending output is dropped. */
  let writable = true;

  /** Runs steps in order, each its delay after the one before (one macrotask at least). */
  const queue: Array<{ run: () => void; delayMs: number }> = [];
  let timerSet = false;
  const runNext = (): void => {
    timerSet = false;
    const step = queue.shift();
    // Arm the next turn first, so a throwing handler cannot stall the queue.
    if (queue.length > 0) armTimer();
    step?.run();
  };
  const armTimer = (): void => {
    timerSet = true;
    setTimeout(runNext, queue[0]?.delayMs ?? 0);
  };
  const schedule = (run: () => void, delayMs = 0): void => {
    queue.push({ run, delayMs });
    if (!timerSet) armTimer();
  };

  const closeOnce = (): void => {
    if (!open) return;
    open = false;
    handlers.onClose();
  };

  /** Delivers server output, reply by reply, then reports the close if the server hung up. */
  const deliver = (text: string): void => {
    const closedAfter = server.closed;
    const pieces = replyDelayMs > 0 && text ? splitReplies(text) : [text];
    pieces.forEach((piece, index) => {
      const last = index === pieces.length - 1;
      schedule(
        () => {
          // Once the client closed, nothing more is read, as with a destroyed socket.
          if (!open || !writable) return;
          if (piece) handlers.onData(piece);
          if (last && closedAfter) closeOnce();
        },
        piece ? replyDelayMs : 0,
      );
    });
  };

  // A reply the host holds (admitMessage deciding on a message) goes out once it settles.
  let awaiting = false;
  const awaitHeldReply = (): void => {
    const pending = server.pendingReply;
    if (pending === null || awaiting) return;
    awaiting = true;
    void pending.then((text) => {
      awaiting = false;
      deliver(text);
      awaitHeldReply();
    });
  };

  deliver(server.greeting());

  return {
    write(text) {
      if (!writable || server.closed) return;
      deliver(server.receive(text));
      awaitHeldReply();
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
