/**
 * A receiving lab MX in the page: the host's personality as a simulated server, under its
 * name, treating each connection as the server's lab network does (protocol/world/lab-host.ts:
 * down, a rate limit, the allow-list, a null-MX sender, greylisting on the page's lab clock,
 * its domains' mailboxes or its list's addresses, alice+tag). At end of data it prepends its
 * Received header (its personality's layout, the same code the server's lab network uses) and
 * hands the copy on. DMARC enforcement needs mailauth, which runs only in the lab server.
 */
import { DEFAULT_SANDBOX_CONFIG } from '../../sandbox-config.ts';
import { createSimulatedTransport, type SimulatedMessage } from '../../simulator/index.ts';
import type { Transport, TransportFactory } from '../../transport.ts';
import { ConnectionRate } from '../connection-rate.ts';
import type { LabHost } from '../default-world.ts';
import type { DnsRecord } from '../dns-record.ts';
import { GreylistTriplets } from '../greylisting.ts';
import type { HostSwitches } from '../host-settings.ts';
import { admitConnection, labHostReceived, labHostRecipients } from '../lab-host.ts';

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

  /**
   * Opens a connection from `fromIp` under `switches`, the sender's zone being `zone` (its
   * null MXs are refused); `accepted` gets each copy before the 250.
   */
  connect(fromIp: string, switches: HostSwitches, zone: readonly DnsRecord[], accepted: (copy: AcceptedCopy) => void): ConnectResult {
    const { host } = this;
    // The page has one world: the lab IP alone is the sender's key.
    const connection = { host, switches, fromIp, senderKey: fromIp };
    const admission = admitConnection(connection, this.#rate, this.#labNow());
    if (admission.kind === 'down') return { ok: false, reason: admission.reason };
    if (admission.kind === 'refused') return { ok: true, open: refusingTransport(`${admission.reply.code} ${admission.reply.text}\r\n`) };
    const localRecipients = labHostRecipients({ ...connection, zone, greylist: this.#greylist });
    const admitMessage = (message: SimulatedMessage) => {
      const labTime = this.#labNow();
      const received = labHostReceived(host, message, fromIp, labTime);
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
