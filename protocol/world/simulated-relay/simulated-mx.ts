/**
 * A receiving lab MX in the page: the host's personality as a simulated server, under its
 * name, behaving as the learner's host switches say where that makes sense without a server:
 * down (no connection), a rate limit per sending lab IP (421 at connect, then closed), an
 * allow-list (refused at RCPT in its words) and greylisting on the page's lab clock. It takes
 * RCPT only for its domains' lab mailboxes, and at end of data prepends its Received header
 * (its personality's layout, the same code the server's lab network uses) and hands the copy
 * on. DMARC enforcement needs mailauth, which runs only in the lab server.
 */
import { DEFAULT_SANDBOX_CONFIG } from '../../sandbox-config.ts';
import { createSimulatedTransport, type SimulatedMessage } from '../../simulator/index.ts';
import type { LocalRecipients } from '../../simulator/local-recipients.ts';
import type { Transport, TransportFactory } from '../../transport.ts';
import { ConnectionRate } from '../connection-rate.ts';
import { LAB_MAILBOXES, type LabHost } from '../default-world.ts';
import { GreylistTriplets, greylistReply } from '../greylisting.ts';
import { accessDeniedRefusal, rateLimitRefusal } from '../host-refusals.ts';
import type { HostSwitches } from '../host-settings.ts';
import { receivedHeader } from '../received-header.ts';

/** A copy the MX accepted: the message with its Received header on top, and the mailbox it goes to. */
export interface AcceptedCopy {
  readonly host: LabHost;
  readonly mailbox: string;
  readonly mailFrom: string;
  readonly raw: string;
  /** Lab ms. */
  readonly labTime: number;
}

export type ConnectResult =
  | { readonly ok: true; readonly open: TransportFactory }
  /** Nothing answers (a host switched down): the sender tries the next MX. */
  | { readonly ok: false; readonly reason: string };

const LAB_USERS: ReadonlySet<string> = new Set(LAB_MAILBOXES);

/** One lab host's state across connections (its greylist and rate counters), as a running server keeps it. */
export class SimulatedMx {
  readonly host: LabHost;
  readonly #greylist: GreylistTriplets;
  readonly #rate = new ConnectionRate();
  readonly #labNow: () => number;

  constructor(host: LabHost, labNow: () => number) {
    this.host = host;
    this.#labNow = labNow;
    this.#greylist = new GreylistTriplets({ now: labNow });
  }

  /** Opens a connection from `fromIp` under `switches`; `accepted` gets each copy before the 250. */
  connect(fromIp: string, switches: HostSwitches, accepted: (copy: AcceptedCopy) => void): ConnectResult {
    const { host } = this;
    if (switches.down) return { ok: false, reason: `connect ECONNREFUSED: ${host.name} is down in this lab world (its host switch "down" is on)` };
    if (switches.rateLimitPerLabMinute !== null && !this.#rate.admit(fromIp, switches.rateLimitPerLabMinute, this.#labNow())) {
      const refusal = rateLimitRefusal(host.personality, host.name, fromIp);
      return { ok: true, open: refusingTransport(`${refusal.code} ${refusal.text}\r\n`) };
    }
    const allowed = switches.allowList === null || switches.allowList.includes(fromIp.toLowerCase());
    const localRecipients: LocalRecipients = {
      domains: host.domains.map((domain) => domain.toLowerCase()),
      users: LAB_USERS,
      ...(!allowed
        ? { defer: () => accessDeniedRefusal(host.personality, fromIp) }
        : switches.greylisting
          ? { defer: (from: string, recipient: string) => (this.#greylist.admits(fromIp, from, recipient) ? null : greylistReply(host.personality, recipient)) }
          : {}),
    };
    const admitMessage = (message: SimulatedMessage) => {
      const labTime = this.#labNow();
      const received = receivedHeader(host.personality, {
        helo: message.clientHelo,
        clientAddress: fromIp,
        serverHostname: host.name,
        protocol: message.secure ? 'ESMTPS' : 'ESMTP',
        queueId: message.queueId,
        recipients: message.rcptTo,
        date: new Date(labTime),
        envelopeFrom: message.mailFrom,
      });
      for (const mailbox of message.rcptTo) accepted({ host, mailbox, mailFrom: message.mailFrom, raw: received + message.data, labTime });
      return Promise.resolve({ accept: true as const });
    };
    return {
      ok: true,
      open: createSimulatedTransport({
        config: { ...DEFAULT_SANDBOX_CONFIG, personality: host.personality, hostname: host.name },
        clientAddress: fromIp,
        localRecipients,
        admitMessage,
      }),
    };
  }
}

/** A server that answers the connection with one refusal and closes (as the lab network's `refuse` does). */
function refusingTransport(reply: string): TransportFactory {
  return (handlers) => {
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      handlers.onClose();
    };
    setTimeout(() => {
      if (!open) return;
      handlers.onData(reply);
      close();
    }, 0);
    const transport: Transport = {
      write: () => undefined,
      startTls: () => Promise.reject(new Error('the server closed the connection')),
      close: () => setTimeout(close, 0),
    };
    return Promise.resolve(transport);
  };
}
