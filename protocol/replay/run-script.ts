/**
 * Plays a parsed script against any SMTP server reachable through a Transport and records the
 * conversation as events. Pure: the transport does the I/O.
 *
 * The client driver does the wire (line splitting, reply pairing, STARTTLS when the model says
 * so) and the pacer decides when each write group goes, from the session model: it waits for
 * the greeting (smtp-server answers `421 You talk too soon` to early talkers), sends a line
 * with its `+ ` lines in one write, the message after 354 in one write up to `.`, a BDAT chunk
 * without waiting, and waits until every line that expects a reply has one. These are the
 * same pacer and driver the web app's "Show solution" uses.
 */
import { ClientDriver } from '../client/client-driver.ts';
import { paceScript, waitUntil, mustWait, type PacedConnection } from '../client/pacer.ts';
import { createSessionActor, statePath, type SessionActor } from '../session/index.ts';
import type { TransportFactory } from '../transport.ts';
import type { ReplayEnd, ReplayEvent, ReplayOptions, ReplayResult, ScriptLine } from './types.ts';

const DEFAULT_REPLY_TIMEOUT_MS = 5000;

/**
 * Connects through `open`, plays `lines` and resolves with every event and why it stopped.
 * Rejects only when `open` rejects (the server is unreachable), with its one-line reason.
 */
export async function runScript(
  lines: readonly ScriptLine[],
  open: TransportFactory,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  const session = options.session ?? createSessionActor(options.personality === undefined ? {} : { personality: options.personality });
  const events: ReplayEvent[] = [];
  let wake: (() => void) | null = null;
  // Remembered at the reply: the model moves on at the close that follows.
  let quitAnswered = false;
  const driver = new ClientDriver(
    {
      onEvents(batch) {
        for (const event of batch) {
          events.push(event);
          if (event.type !== 'server.unreadable') session.send(event);
          if (event.type === 'server.reply') quitAnswered ||= session.getSnapshot().context.answered?.kind === 'QUIT';
          options.onEvent?.(event);
        }
        wake?.();
      },
      snapshot: () => session.getSnapshot(),
    },
    { handshakeTimeoutMs: timeoutMs },
  );
  const connection: PacedConnection = {
    snapshot: () => session.getSnapshot(),
    get closed() {
      return driver.isClosed || driver.tlsFailure !== null;
    },
    write: (group) => driver.send(group.map((line) => `${line}\r\n`).join('')),
    nextChange: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve(false);
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve(true);
        };
      }),
  };

  try {
    await driver.connect(open, options.serverName ?? 'server');
    const paced = await paceScript(lines, connection, { delayMs: 0, timeoutMs });
    // The last group's replies (or, after QUIT, the server's close) are still to come.
    const settled = paced === 'finished' ? await waitUntil(() => connection.closed || !mustWait(session.getSnapshot()), connection, { timeoutMs }) : paced;
    return { events, end: finish(driver, session, quitAnswered, settled === 'stuck', timeoutMs) };
  } finally {
    if (options.session === undefined) session.stop();
  }
}

/** Why the replay stopped; closes the connection from the client side unless it is closed. */
function finish(driver: ClientDriver, session: SessionActor, quitAnswered: boolean, stuck: boolean, timeoutMs: number): ReplayEnd {
  if (driver.tlsFailure !== null) {
    driver.close('the TLS handshake failed');
    return 'tls-failed';
  }
  if (driver.isClosed) return quitAnswered ? 'quit' : 'server-closed';
  if (quitAnswered || statePath(session.getSnapshot().value) === 'closing') {
    driver.close(`the server did not close within ${timeoutMs} ms after QUIT; the client closed the connection`);
    return quitAnswered ? 'quit' : 'server-closed';
  }
  if (stuck) {
    driver.close(`no reply within ${timeoutMs} ms; the client gave up and closed the connection`);
    return 'reply-timeout';
  }
  driver.close('end of script: the client closed the connection');
  return 'end-of-script';
}
