/**
 * Simulated mode: the simulated server runs in this page behind the same Transport interface
 * as a socket. This side plays the client's part of the wire: it reports each client line as
 * it writes it, assembles the server's text into replies, and performs the (simulated) TLS
 * handshake after the server's 220 to STARTTLS.
 */
import type { ReplayEvent } from '../../../../protocol/replay/types.ts';
import { LineBuffer } from '../../../../protocol/line-buffer.ts';
import { ReplyAssembler } from '../../../../protocol/replies/index.ts';
import type { SandboxConfig } from '../../../../protocol/sandbox-config.ts';
import { createSimulatedTransport, type GreylistMemory, type SimulatedMessage } from '../../../../protocol/simulator/index.ts';
import type { Transport } from '../../../../protocol/transport.ts';
import type { MailboxMessage } from '../view-types.ts';
import type { ConnectionHooks, LabConnection } from './connection.ts';

/** How the transcript names the simulated server. */
export const SIMULATOR_NAME = 'simulated server (in your browser)';

/**
 * How the simulated server is set up (a lesson's server): its configuration, and the
 * greylisting memory its connections share, so a reconnect counts as a retry.
 */
export interface SimulatedSetup {
  readonly config?: SandboxConfig;
  readonly greylist?: GreylistMemory;
}

/** Opens simulated connections; `setup` is the current lesson's server, if any. */
export type SimulatedOpener = (hooks: ConnectionHooks, setup: SimulatedSetup) => LabConnection;

/** Opens a fresh simulated server; the greeting arrives on a later task, like from a socket. */
export function openSimulatedConnection(hooks: ConnectionHooks, setup: SimulatedSetup = {}): LabConnection {
  const lines = new LineBuffer();
  const assembler = new ReplyAssembler();
  let transport: Transport | null = null;
  let greeted = false;
  let closed = false;
  /** Client text written before the transport resolved (a replay link sends at once). */
  let early: string[] = [];

  const emit = (event: ReplayEvent): void => {
    if (!closed || event.type === 'socket.closed') hooks.event(event);
  };

  const startTls = (open: Transport): void => {
    open.startTls().then(
      (tls) => emit({ type: 'tls.established', tls }),
      (error: unknown) => emit({ type: 'tls.failed', reason: error instanceof Error ? error.message : String(error) }),
    );
  };

  const receive = (text: string): void => {
    for (const line of lines.push(text)) {
      const result = assembler.push(line);
      if (result === null) continue;
      if (result.kind === 'error') {
        emit({ type: 'server.unreadable', line: result.error.line, message: result.error.message });
        continue;
      }
      emit({ type: 'server.reply', reply: result.reply });
      // Only two replies carry 220: the greeting and "Ready to start TLS" after STARTTLS.
      if (result.reply.code === 220 && greeted && transport !== null) startTls(transport);
      greeted = true;
    }
  };

  const onMessage = (message: SimulatedMessage): void => hooks.mailbox({ kind: 'add', message: toMailboxMessage(message) });

  hooks.status({ status: 'connecting', message: 'Starting the simulated server…' });
  emit({ type: 'socket.opened', server: SIMULATOR_NAME });
  void createSimulatedTransport({ ...setup, onMessage })({
    onData: receive,
    onClose: (reason) => {
      if (closed) return;
      emit({ type: 'socket.closed', reason: reason ?? null });
      closed = true;
      hooks.status({ status: 'closed', message: 'The server closed the connection.' });
    },
  }).then((opened) => {
    transport = opened;
    if (closed) return opened.close();
    hooks.status({ status: 'open', message: 'Connected to the simulated server in your browser: no network is used.' });
    for (const text of early) opened.write(text);
    early = [];
  });

  return {
    send(text) {
      if (closed) return false;
      for (const line of splitWireLines(text)) emit({ type: 'client.line', text: line });
      if (transport === null) early.push(text);
      else transport.write(text);
      return true;
    },
    deleteMessage(id) {
      hooks.mailbox({ kind: 'remove', id });
    },
    deleteAllMessages() {
      hooks.mailbox({ kind: 'replace', messages: [] });
    },
    dispose() {
      if (closed) return;
      closed = true;
      transport?.close();
    },
  };
}

/** The lines of CRLF-terminated client text, without their line ends. */
export function splitWireLines(text: string): string[] {
  const parts = text.split('\r\n');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

let simulatedCount = 0;

/** A simulator message as the mailbox panel shows it. */
export function toMailboxMessage(message: SimulatedMessage): MailboxMessage {
  simulatedCount += 1;
  return {
    id: `sim-${simulatedCount}-${message.queueId}`,
    source: 'simulated',
    receivedAt: new Date().toISOString(),
    mailFrom: message.mailFrom,
    rcptTo: message.rcptTo,
    queueId: message.queueId,
    size: new TextEncoder().encode(message.data).length,
    raw: message.data,
    rawUrl: null,
    htmlUrl: null,
    messageUrl: null,
    headline: null,
  };
}
