/**
 * Live mode: a real SMTP server (the sandbox, or a target the operator allowed) through the
 * WebSocket bridge. The bridge echoes every client line it writes and reports every reply,
 * so the events match simulated mode's. The mailbox comes from the HTTP API and is kept
 * current by the bridge's `message.captured` pushes.
 */
import { fromWireEvent, type ServerMessage, type WireMessageSummary } from '../../../protocol/wire/contract.ts';
import type { ConnectionHooks, LabConnection } from '../session/connection.ts';
import { BridgeSocket, bridgeUrl, type BridgeSocketOptions, type SocketStatus } from './bridge-socket.ts';
import { toMailboxMessage } from './message-pages.ts';

/** The newest messages the session keeps as its list (the mailbox pages further itself). */
const SESSION_LIST_LIMIT = 100;

export interface LiveConnectionOptions extends BridgeSocketOptions {
  /** The target id to open; the first offered one when null or not offered. */
  readonly target: string | null;
  /** The bridge URL; by default `/ws` on this page's host. */
  readonly url?: string;
  /** Base URL of the HTTP API (default: this page's origin). */
  readonly apiBase?: string;
  readonly fetchImpl?: typeof fetch;
}

/** Opens the bridge and, once welcomed, an SMTP session on the chosen target. */
export function openLiveConnection(hooks: ConnectionHooks, options: LiveConnectionOptions): LabConnection {
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const apiBase = options.apiBase ?? '';
  let sessionId: string | null = null;
  let sessionOpen = false;

  // The server's summaries carry the list fields (its one parse of each message): no raw fetch.
  const loadMailbox = (): void => {
    fetchImpl(`${apiBase}/api/messages?limit=${SESSION_LIST_LIMIT}`)
      .then((response) => (response.ok ? (response.json() as Promise<{ messages: WireMessageSummary[]; total: number }>) : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then((page) => hooks.mailbox({ kind: 'replace', messages: page.messages.map(toMailboxMessage), total: page.total }))
      .catch((error: unknown) => hooks.notice(`The mailbox could not be loaded: ${(error as Error).message}.`));
  };

  const onMessage = (message: ServerMessage): void => {
    switch (message.type) {
      case 'welcome': {
        hooks.targets(message.targets);
        const target = message.targets.find((candidate) => candidate.id === options.target) ?? message.targets[0];
        if (target === undefined) {
          hooks.status({ status: 'error', message: 'The live server offers no SMTP server to talk to.' });
          return;
        }
        sessionId = null;
        hooks.status({ status: 'connecting', message: `Opening a connection to ${target.label}…` });
        socket.send({ type: 'session.open', target: target.id });
        loadMailbox();
        return;
      }
      case 'session.opened':
        sessionId = message.sessionId;
        sessionOpen = true;
        hooks.status({ status: 'open', message: `Connected to ${message.label}: a real SMTP server.` });
        return;
      case 'session.event':
        if (message.sessionId === sessionId) hooks.event(fromWireEvent(message.event));
        return;
      case 'session.closed':
        if (sessionId !== null && message.sessionId !== sessionId) return;
        sessionOpen = false;
        hooks.status({ status: message.by === 'error' ? 'error' : 'closed', message: closedMessage(message.reason) });
        return;
      case 'message.captured':
        hooks.mailbox({ kind: 'add', message: toMailboxMessage(message.summary) });
        return;
      case 'error':
        hooks.notice(message.message);
        return;
      case 'pong':
        return;
    }
  };

  const onStatus = (status: SocketStatus, detail: string): void => {
    if (status === 'open') return; // the session's own status follows with session.opened
    if (status !== 'connecting') sessionOpen = false;
    hooks.status({ status: status === 'connecting' ? 'connecting' : 'error', message: detail });
  };

  const socket = new BridgeSocket(options.url ?? bridgeUrl(window.location), { onMessage, onStatus }, options);

  return {
    send(text) {
      if (!sessionOpen) {
        hooks.notice('There is no open connection to the live server, so nothing was sent.');
        return false;
      }
      return socket.send({ type: 'session.send', text });
    },
    deleteMessage(id) {
      fetchImpl(`${apiBase}/api/messages/${encodeURIComponent(id)}`, { method: 'DELETE' })
        .then((response) => {
          if (response.ok || response.status === 404) hooks.mailbox({ kind: 'remove', id });
          else hooks.notice(`The message could not be deleted (HTTP ${response.status}).`);
        })
        .catch((error: unknown) => hooks.notice(`The message could not be deleted: ${(error as Error).message}.`));
    },
    deleteAllMessages() {
      fetchImpl(`${apiBase}/api/messages`, { method: 'DELETE' })
        .then((response) => {
          if (response.ok) hooks.mailbox({ kind: 'replace', messages: [] });
          else hooks.notice(`The messages could not be deleted (HTTP ${response.status}).`);
        })
        .catch((error: unknown) => hooks.notice(`The messages could not be deleted: ${(error as Error).message}.`));
    },
    dispose() {
      if (sessionOpen) socket.send({ type: 'session.close' });
      socket.dispose();
    },
  };
}

function closedMessage(reason: string): string {
  const sentence = reason.endsWith('.') ? reason : `${reason}.`;
  return `Connection closed: ${sentence}`;
}
