import { describe, expect, it } from 'vitest';
import { checkHostSettings, defaultHostSettings, switchesOf } from '../../../protocol/world/host-settings.ts';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { FORWARDER_NOTE, HOST_PRESETS } from '../../../web/src/world/host-presets.ts';

const preset = (id: string) => HOST_PRESETS.find((candidate) => candidate.id === id)!;

describe('host Break it presets', () => {
  it('each changes exactly one switch of one host, gives a list the server accepts, and says what to look for', () => {
    const defaults = defaultHostSettings();
    for (const { id, apply, changes, lookFor } of HOST_PRESETS) {
      const after = apply(defaults);
      const changed = after.filter((entry, index) => JSON.stringify(entry) !== JSON.stringify(defaults[index]));
      expect(changed, id).toHaveLength(1);
      expect(checkHostSettings(after), id).toMatchObject({ ok: true, hosts: after });
      expect(changes.length + lookFor.length, id).toBeGreaterThan(40);
    }
  });

  it('make the changes the brief names: mx1 down, greylisting on example.net, a rate limit, an allow-list without the sandbox', () => {
    const defaults = defaultHostSettings();
    expect(switchesOf(preset('primary-mx-down-org').apply(defaults), 'mx1.example.org')?.down).toBe(true);
    expect(switchesOf(preset('greylisting-net').apply(defaults), 'mx.example.net')?.greylisting).toBe(true);
    expect(switchesOf(preset('rate-limit-net').apply(defaults), 'mx.example.net')?.rateLimitPerLabMinute).toBe(1);
    expect(switchesOf(preset('allow-list-net').apply(defaults), 'mx.example.net')?.allowList).not.toContain('192.0.2.10');
    expect(switchesOf(preset('dmarc-not-enforced-net').apply(defaults), 'mx.example.net')?.enforceDmarc).toBe(false);
  });

  it('keep the learner\'s other switches', () => {
    const mine = preset('rate-limit-net').apply(defaultHostSettings());
    const both = preset('primary-mx-down-org').apply(mine);
    expect(switchesOf(both, 'mx.example.net')?.rateLimitPerLabMinute).toBe(1);
    expect(switchesOf(both, 'mx1.example.org')?.down).toBe(true);
  });

  it('point the forwarder note at the default world\'s forwarder: its domain, its lab IP, where it forwards to', () => {
    const forwarder = DEFAULT_HOSTS.find((host) => host.role === 'forwarder')!;
    expect(FORWARDER_NOTE.lookFor).toContain(`@${forwarder.domains[0]}`);
    expect(FORWARDER_NOTE.lookFor).toContain(forwarder.ip);
    expect(FORWARDER_NOTE.lookFor).toContain(`@${forwarder.forwardsTo}`);
  });
});
