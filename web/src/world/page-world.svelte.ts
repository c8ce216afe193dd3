/**
 * The lab world of simulated mode, kept in this page only (a reload starts from the default
 * world again): the learner's zone and host switches, checked with the same checkZone and
 * checkHostSettings the server uses, and the simulated relay that moves mail the simulated
 * sandbox accepts through them (protocol/world/simulated-relay). Deliveries go to the mailbox
 * of the connection that opened last, so mail retried after a new session still arrives.
 */
import { checkZone, type DnsRecord } from '../../../protocol/world/dns-record.ts';
import { defaultWorld, type DefaultWorldKeys, type LabWorld } from '../../../protocol/world/default-world.ts';
import { checkHostSettings, defaultHostSettings, type HostSwitches } from '../../../protocol/world/host-settings.ts';
import type { Journey } from '../../../protocol/world/journey.ts';
import type { SimulatedMessage } from '../../../protocol/simulator/index.ts';
import { createPageLabClock } from '../../../protocol/world/simulated-relay/page-lab-clock.ts';
import { SimulatedRelay, type DeliveredMail } from '../../../protocol/world/simulated-relay/simulated-relay.ts';
import { makePageDkimKeys } from './page-dkim-keys.ts';
import type { HostsResult, ZoneResult } from './world-api.ts';
import type { WorldSource } from './world-source.ts';

export class PageWorld {
  /** Bumped whenever the relay moves something: an open Journey reads again. */
  version = $state(0);
  #records: readonly DnsRecord[] = [];
  #hosts: readonly HostSwitches[] = defaultHostSettings();
  #defaults: LabWorld | null = null;
  readonly #ready: Promise<void>;
  readonly #relay: SimulatedRelay;
  #deliver: ((mail: DeliveredMail) => void) | null = null;

  constructor(keys: Promise<DefaultWorldKeys> = makePageDkimKeys()) {
    this.#ready = keys.then((made) => {
      this.#defaults = defaultWorld(made);
      this.#records = this.#defaults.records;
    });
    this.#relay = new SimulatedRelay({
      world: () => ({ records: this.#records, hosts: this.#hosts, unreachable: this.#defaults?.unreachable ?? [] }),
      clock: createPageLabClock(),
      onDelivered: (mail) => this.#deliver?.(mail),
      onChange: () => {
        this.version += 1;
      },
    });
  }

  /** Where delivered copies and DSNs go from now on (the newest simulated connection's mailbox). */
  deliverTo(deliver: (mail: DeliveredMail) => void): void {
    this.#deliver = deliver;
  }

  /** Relays what the simulated sandbox accepted; resolves with its journey id, or null when nothing leaves the sandbox. */
  async submit(message: SimulatedMessage): Promise<number | null> {
    await this.#ready;
    return this.#relay.submit(message);
  }

  journey(id: number): Journey | null {
    return this.#relay.journey(id);
  }

  /** The DNS editor's and host presets' view of this world, answering like the server's API. */
  readonly api: WorldSource = {
    zone: async (): Promise<ZoneResult> => {
      await this.#ready;
      return { ok: true, records: [...this.#records] };
    },
    save: async (records): Promise<ZoneResult> => {
      await this.#ready;
      const checked = checkZone(records);
      if (!checked.ok) return { ok: false, message: 'The zone was not saved: some records have problems.', problems: checked.problems };
      this.#records = checked.records;
      return { ok: true, records: [...checked.records] };
    },
    reset: async (): Promise<ZoneResult> => {
      await this.#ready;
      this.#records = this.#defaults?.records ?? [];
      this.#hosts = defaultHostSettings();
      return { ok: true, records: [...this.#records] };
    },
    hosts: (): Promise<HostsResult> => Promise.resolve({ ok: true, hosts: [...this.#hosts] }),
    saveHosts: (hosts): Promise<HostsResult> => {
      const checked = checkHostSettings(hosts);
      if (!checked.ok) return Promise.resolve({ ok: false, message: 'The host switches were not saved.', problems: checked.problems });
      this.#hosts = checked.hosts;
      return Promise.resolve({ ok: true, hosts: [...checked.hosts] });
    },
  };
}

let shared: PageWorld | null = null;

/** The page's one simulated world, made on first use (its DKIM keys take a moment). */
export function pageWorld(): PageWorld {
  shared ??= new PageWorld();
  return shared;
}
