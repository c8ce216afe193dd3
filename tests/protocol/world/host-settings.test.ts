import { describe, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../../protocol/world/default-world.ts';
import { accessDeniedRefusal, rateLimitRefusal } from '../../../protocol/world/host-refusals.ts';
import { checkHostSettings, defaultHostSettings, switchesOf, withSwitches } from '../../../protocol/world/host-settings.ts';

const mx1 = { name: 'mx1.example.org', down: true, greylisting: false, rateLimitPerLabMinute: 3, allowList: ['192.0.2.10', '2001:DB8::1'], enforceDmarc: false };

describe('host switches', () => {
  it('default to DEFAULT_HOSTS for every receiving host, the sandbox left out', () => {
    const defaults = defaultHostSettings();
    expect(defaults.map((entry) => entry.name)).toEqual(DEFAULT_HOSTS.filter((host) => host.role !== 'sandbox').map((host) => host.name));
    expect(defaults.find((entry) => entry.name === 'mx1.example.org')).toEqual({ name: 'mx1.example.org', down: false, greylisting: true, rateLimitPerLabMinute: null, allowList: null, enforceDmarc: true });
    expect(defaults.find((entry) => entry.name === 'mx.forwarder.example')?.enforceDmarc).toBe(false);
  });

  it('accept a partial list: names and addresses normalised, the hosts left out at their defaults, in DEFAULT_HOSTS order', () => {
    const check = checkHostSettings([{ ...mx1, name: 'MX1.Example.ORG.' }]);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.hosts).toHaveLength(defaultHostSettings().length);
    expect(switchesOf(check.hosts, 'mx1.example.org')).toEqual({ ...mx1, allowList: ['192.0.2.10', '2001:db8::1'] });
    expect(switchesOf(check.hosts, 'mx.example.net')).toEqual(defaultHostSettings().find((entry) => entry.name === 'mx.example.net'));
    expect(switchesOf(check.hosts, 'mail.example.com')).toBeNull();
  });

  it('report one problem per bad entry, by index', () => {
    const check = checkHostSettings([
      { ...mx1, name: 'mail.example.com' },
      { ...mx1, rateLimitPerLabMinute: 0 },
      { ...mx1, name: 'mx2.example.org', allowList: ['93.184.216.34'] },
      { ...mx1, name: 'mx.example.net', colour: 'red' },
      { ...mx1, name: 'mx.p-none.example', down: 'yes' },
      mx1,
      { ...mx1, name: 'no-mx.example' },
      { ...mx1, name: 'no-mx.example' },
    ]);
    expect(check).toEqual({
      ok: false,
      problems: [
        { index: 0, message: expect.stringMatching(/^"mail\.example\.com" is not a lab MX host; the hosts you can switch are mx\.example\.net, /) },
        { index: 1, message: 'rateLimitPerLabMinute must be from 1 to 1000, or null for no limit.' },
        { index: 2, message: expect.stringMatching(/^allowList: "93\.184\.216\.34" is not a lab address; lab addresses are in 192\.0\.2\.0\/24/) },
        { index: 3, message: expect.stringMatching(/^Unknown field "colour"/) },
        { index: 4, message: 'down must be true or false.' },
        { index: 7, message: 'no-mx.example is listed twice: give each host once.' },
      ],
    });
  });

  it('change only greylisting and enforceDmarc of the host the listener serves', () => {
    const host = DEFAULT_HOSTS.find((candidate) => candidate.name === 'mx1.example.org')!;
    expect(withSwitches(host, mx1)).toEqual({ ...host, greylisting: false, enforceDmarc: false });
    expect(withSwitches(host, null)).toBe(host);
  });
});

describe('host refusals in each personality\'s words', () => {
  it('rate limit: 421 4.7.0, Postfix\'s anvil text word for word', () => {
    expect(rateLimitRefusal('postfix', 'mx.example.net', '192.0.2.10')).toEqual({ code: 421, text: '4.7.0 mx.example.net Error: too many connections from 192.0.2.10' });
    for (const personality of ['exim', 'exchange', 'gmail', 'smtp-server'] as const) {
      expect(rateLimitRefusal(personality, 'mx.example.org', '192.0.2.10')).toMatchObject({ code: 421, text: expect.stringMatching(/^4\.7\.0 .*try again later/i) });
    }
  });

  it('allow-list: Postfix\'s check_client_access REJECT (554 5.7.1), others a 550', () => {
    expect(accessDeniedRefusal('postfix', '192.0.2.10')).toEqual({ code: 554, text: '5.7.1 <unknown[192.0.2.10]>: Client host rejected: Access denied' });
    expect(accessDeniedRefusal('exim', '192.0.2.10')).toEqual({ code: 550, text: 'Administrative prohibition' });
    expect(accessDeniedRefusal('exchange', '192.0.2.10').text).toContain('[192.0.2.10]');
  });
});
