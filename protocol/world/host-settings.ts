/**
 * The switches a learner may flip on their world's receiving hosts (the zone is what DNS says;
 * these are how the hosts behind it behave): a host that is down, greylisting, a connection
 * rate limit per sending lab IP, an allow-list of client addresses, and DMARC enforcement.
 * One list per namespace, `{hosts: [{name, …switches}]}` on the wire; a host the list leaves
 * out keeps its defaults from DEFAULT_HOSTS. Checked like a zone: one learner-readable
 * problem per bad entry, with its index, and nothing changes unless all are good.
 */
import * as z from 'zod';
import { DEFAULT_HOSTS, type LabHost } from './default-world.ts';
import { canonicalName, type ZoneProblem } from './dns-record.ts';
import { isLabIpv4, isLabIpv6, LAB_RANGES_TEXT } from './lab-addresses.ts';

/** Enough to teach "too many, try later" and small enough that the counters stay tiny. */
export const MAX_RATE_LIMIT_PER_LAB_MINUTE = 1000;
/** A lab allow-list names a few lab hosts, not a network plan. */
export const MAX_ALLOW_LIST = 32;

export const hostSwitchesSchema = z.strictObject({
  name: z.string({ error: 'name must be the name of a lab MX host, such as "mx1.example.org".' }),
  /** Refuses every connection: a sender falls back to the next MX (RFC 5321 §5.1). */
  down: z.boolean({ error: 'down must be true or false.' }),
  /** Defers a first attempt with a 4xx at RCPT (RFC 6647). */
  greylisting: z.boolean({ error: 'greylisting must be true or false.' }),
  /** Connections one sending lab IP may open per lab minute; the next is refused with 421 4.7.0. null: no limit. */
  rateLimitPerLabMinute: z
    .number({ error: 'rateLimitPerLabMinute must be a number of connections, or null for no limit.' })
    .int({ error: 'rateLimitPerLabMinute must be a whole number.' })
    .min(1, { error: `rateLimitPerLabMinute must be from 1 to ${MAX_RATE_LIMIT_PER_LAB_MINUTE}, or null for no limit.` })
    .max(MAX_RATE_LIMIT_PER_LAB_MINUTE, { error: `rateLimitPerLabMinute must be from 1 to ${MAX_RATE_LIMIT_PER_LAB_MINUTE}, or null for no limit.` })
    .nullable(),
  /** The only sending lab IPs it takes mail from; others are refused in its words. null: everyone. */
  allowList: z
    .array(z.string({ error: 'allowList must hold lab addresses as text, such as "192.0.2.10".' }), { error: 'allowList must be a list of lab addresses, or null to accept every client.' })
    .max(MAX_ALLOW_LIST, { error: `allowList holds at most ${MAX_ALLOW_LIST} addresses.` })
    .nullable(),
  /** Refuses DMARC p=reject failures at end of data; off, it delivers them (and marks nothing). */
  enforceDmarc: z.boolean({ error: 'enforceDmarc must be true or false.' }),
});

export type HostSwitches = z.infer<typeof hostSwitchesSchema>;

/** A problem is reported as the zone's are (entry position and message), so the API shape is one. */
export type HostSettingsCheck =
  | { readonly ok: true; readonly hosts: readonly HostSwitches[] }
  | { readonly ok: false; readonly problems: readonly ZoneProblem[] };

/** The hosts a learner can switch: the ones the lab network serves (the sandbox is the learner's own). */
function switchableHosts(hosts: readonly LabHost[] = DEFAULT_HOSTS): LabHost[] {
  return hosts.filter((host) => host.role !== 'sandbox');
}

/** A host's switches as DEFAULT_HOSTS sets them. */
export function defaultSwitches(host: LabHost): HostSwitches {
  return { name: host.name, down: false, greylisting: host.greylisting, rateLimitPerLabMinute: null, allowList: null, enforceDmarc: host.enforceDmarc };
}

export function defaultHostSettings(hosts: readonly LabHost[] = DEFAULT_HOSTS): HostSwitches[] {
  return switchableHosts(hosts).map(defaultSwitches);
}

/** `hostName`'s switches in `settings`, or its defaults; null for a name that is no switchable host. */
export function switchesOf(settings: readonly HostSwitches[], hostName: string, hosts: readonly LabHost[] = DEFAULT_HOSTS): HostSwitches | null {
  const name = canonicalName(hostName);
  const own = settings.find((entry) => entry.name === name);
  if (own) return own;
  const host = switchableHosts(hosts).find((candidate) => candidate.name === name);
  return host ? defaultSwitches(host) : null;
}

/**
 * Checks a list sent by a learner; on success the full list, one entry per switchable host in
 * DEFAULT_HOSTS order (those left out at their defaults), names and addresses normalised.
 */
export function checkHostSettings(input: readonly unknown[], hosts: readonly LabHost[] = DEFAULT_HOSTS): HostSettingsCheck {
  const known = switchableHosts(hosts);
  const problems: ZoneProblem[] = [];
  const given = new Map<string, HostSwitches>();
  input.forEach((item, index) => {
    const parsed = hostSwitchesSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push({ index, message: issue?.code === 'unrecognized_keys' ? `Unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}: a host has name, down, greylisting, rateLimitPerLabMinute, allowList and enforceDmarc.` : (issue?.message ?? 'This entry is not a host\'s switches.') });
      return;
    }
    const name = canonicalName(parsed.data.name);
    if (!known.some((host) => host.name === name)) {
      problems.push({ index, message: `"${parsed.data.name}" is not a lab MX host; the hosts you can switch are ${known.map((host) => host.name).join(', ')}.` });
      return;
    }
    if (given.has(name)) {
      problems.push({ index, message: `${name} is listed twice: give each host once.` });
      return;
    }
    const allowList = parsed.data.allowList?.map((address) => address.trim().toLowerCase()) ?? null;
    const outside = allowList?.find((address) => !isLabIpv4(address) && !isLabIpv6(address));
    if (outside !== undefined) {
      problems.push({ index, message: `allowList: "${outside}" is not a lab address; lab addresses are in ${LAB_RANGES_TEXT}.` });
      return;
    }
    given.set(name, { ...parsed.data, name, allowList });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, hosts: known.map((host) => given.get(host.name) ?? defaultSwitches(host)) };
}

/** The host as it behaves under `switches`: the fields the lab network and the MX check read. */
export function withSwitches(host: LabHost, switches: HostSwitches | null): LabHost {
  return switches === null ? host : { ...host, greylisting: switches.greylisting, enforceDmarc: switches.enforceDmarc };
}
