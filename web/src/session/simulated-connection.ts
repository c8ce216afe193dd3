/**
 * Simulated mode: the simulated server runs in this page behind the same Transport interface
 * as a socket, and the same client driver as the bridge and the replay CLI plays the client's
 * part of the wire: it reports each client line as it writes it, assembles the server's text
 * into replies, and starts the (simulated) TLS handshake when the session model says so.
 */
import { ClientDriver } from '../../../protocol/client/client-driver.ts';
import type { SandboxConfig } from '../../../protocol/sandbox-config.ts';
import type { SessionSnapshot } from '../../../protocol/session/index.ts';
import { createSimulatedTransport, type GreylistMemory, type SimulatedMessage } from '../../../protocol/simulator/index.ts';
import type { DeliveredMail } from '../../../protocol/world/simulated-relay/simulated-relay.ts';
import { pageWorld } from '../world/page-world.svelte.ts';
import type { MailboxMessage } from './view-types.ts';
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
  /** True when the setup chooses the personality (a lesson's `server.personality`): the learner's pick waits. */
  readonly choosesPersonality?: boolean;
  /**
   * False for a lesson that sets up its own server: it plays that server alone. Otherwise mail
   * the simulated sandbox (smtp-server, the learners' outbound MTA) accepts for another lab
   * domain goes on through the page's relay.
   */
  readonly relay?: boolean;
}

/**
 * Opens simulated connections; `setup` is the current lesson's server, if any, and `snapshot`
 * reads the session model the host feeds with the connection's events.
 */
export type SimulatedOpener = (hooks: ConnectionHooks, setup: SimulatedSetup, snapshot: () => SessionSnapshot) => LabConnection;

/** Opens a fresh simulated server; the greeting arrives on a later task, like from a socket. */
export function openSimulatedConnection(hooks: ConnectionHooks, setup: SimulatedSetup, snapshot: () => SessionSnapshot): LabConnection {
  const driver = new ClientDriver({
    onEvents: (events) => {
      for (const event of events) hooks.event(event);
    },
    snapshot,
    onClosed: (_reason, byServer) => {
      if (byServer) hooks.status({ status: 'closed', message: 'The server closed the connection.' });
    },
  });
  const relays = setup.relay !== false && (setup.config?.personality ?? 'smtp-server') === 'smtp-server';
  const world = relays ? pageWorld() : null;
  // Copies delivered (or bounced back) later, after a retry too, go to the newest connection's mailbox.
  world?.deliverTo((mail) => hooks.mailbox({ kind: 'add', message: deliveredMailboxMessage(mail) }));
  const onMessage = (message: SimulatedMessage): void => {
    const listed = toMailboxMessage(message);
    hooks.mailbox({ kind: 'add', message: listed });
    void world?.submit(message).then((journeyId) => {
      if (journeyId !== null) hooks.mailbox({ kind: 'update', message: { ...listed, journeyId } });
    });
  };

  hooks.status({ status: 'connecting', message: 'Starting the simulated server…' });
  void driver.connect(createSimulatedTransport({ ...setup, onMessage }), SIMULATOR_NAME).then(() => {
    if (driver.isOpen) hooks.status({ status: 'open', message: 'Connected to the simulated server in your browser: no network is used.' });
  });

  return {
    send(text) {
      if (driver.isClosed) return false;
      // Written once the simulator is up (a replay link sends at once), or the TLS handshake is done.
      driver.send(text);
      return true;
    },
    deleteMessage(id) {
      hooks.mailbox({ kind: 'remove', id });
    },
    deleteAllMessages() {
      hooks.mailbox({ kind: 'replace', messages: [] });
    },
    dispose() {
      driver.close(null, false);
    },
  };
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

/** A copy the page's relay delivered to a lab mailbox (or a DSN it wrote), as the mailbox panel shows it. */
export function deliveredMailboxMessage(mail: DeliveredMail): MailboxMessage {
  return {
    id: `sim-lab-${mail.id}`,
    source: 'simulated',
    receivedAt: new Date().toISOString(),
    mailFrom: mail.mailFrom,
    rcptTo: [mail.mailbox],
    queueId: null,
    size: new TextEncoder().encode(mail.raw).length,
    raw: mail.raw,
    rawUrl: null,
    htmlUrl: null,
    messageUrl: null,
    headline: null,
    mailbox: mail.mailbox,
    journeyId: mail.id,
  };
}
