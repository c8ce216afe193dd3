/**
 * The lab MX hosts as live targets: a learner's console may play the sending server and talk
 * to mx.example.net and the others directly, as a host outside every lab domain
 * (OUTSIDE_LAB_IP), in the learner's own world (zone and mailboxes).
 */
import { PERSONALITIES } from '../../protocol/simulator/personalities/index.ts';
import type { LabHost } from '../../protocol/world/default-world.ts';
import type { BridgeTarget } from '../bridge/bridge-options.ts';
import { OUTSIDE_LAB_IP } from '../world/lab-network/lab-connections.ts';
import type { LabNetwork } from '../world/lab-network/start-lab-network.ts';

/** A host named like its domain is found by that domain's A record, with no MX: the implicit MX (RFC 5321 §5.1). */
function role(host: LabHost): string {
  return host.domains.includes(host.name) ? 'implicit MX of' : 'MX of';
}

/** One target per host the lab network serves; the id is the host's name (what a lesson's `target` names). */
export function labTargets(hosts: readonly LabHost[], network: Pick<LabNetwork, 'addressOf'>): BridgeTarget[] {
  return hosts.flatMap((host) => {
    const address = network.addressOf(host.name);
    if (address === null) return [];
    const personality = PERSONALITIES[host.personality].label.replace(/ \(.*\)$/, '');
    return [
      {
        id: host.name,
        label: `Lab: ${host.name}, ${role(host)} ${host.domains.join(', ')} (${personality})`,
        host: address.host,
        port: address.port,
        // The transcript names the host as a sending server would: its name and the SMTP port.
        address: `${host.name}:25`,
        labHost: { name: host.name, fromIp: OUTSIDE_LAB_IP, personality: host.personality },
      },
    ];
  });
}
