/** One lab MX host's rules for a connection, as the server's listeners and the page's simulated MX both apply them. */
import { describe, expect, it } from 'vitest';
import { localRecipientRefusal } from '../../../protocol/simulator/local-recipients.ts';
import { ConnectionRate } from '../../../protocol/world/connection-rate.ts';
import { DEFAULT_HOSTS, defaultWorld, SIGNING_DOMAINS } from '../../../protocol/world/default-world.ts';
import { GreylistTriplets } from '../../../protocol/world/greylisting.ts';
import { defaultSwitches, type HostSwitches } from '../../../protocol/world/host-settings.ts';
import { admitConnection, labHostMailboxes, labHostRecipients } from '../../../protocol/world/lab-host.ts';

const keys = Object.fromEntries(SIGNING_DOMAINS.map((domain) => [domain, 'AAAA'])) as Record<(typeof SIGNING_DOMAINS)[number], string>;
const { records } = defaultWorld({ dkimPublicKeys: keys });
const hostNamed = (name: string) => DEFAULT_HOSTS.find((host) => host.name === name)!;
const words = {
  relayDenied: (address: string) => ({ code: 554, text: `relay denied ${address}` }),
  unknownUser: (address: string) => ({ code: 550, text: `unknown ${address}` }),
};

function rules(hostName: string, switches: Partial<HostSwitches> = {}, fromIp = '192.0.2.10') {
  const host = hostNamed(hostName);
  let now = 0;
  const greylist = new GreylistTriplets({ now: () => now });
  const local = labHostRecipients({ host, switches: { ...defaultSwitches(host), ...switches }, fromIp, senderKey: fromIp, zone: records, greylist });
  return { refusal: (from: string, to: string) => localRecipientRefusal(local, from, to, words), later: (ms: number) => (now += ms) };
}

describe('labHostRecipients', () => {
  it('takes its domains\' lab mailboxes (alice+tag too) and refuses other local parts and domains', () => {
    const { refusal } = rules('mx.example.net');
    expect(refusal('alice@example.com', 'bob@example.net')).toBeNull();
    expect(refusal('alice@example.com', 'alice+news@example.net')).toBeNull();
    expect(refusal('alice@example.com', 'dave@example.net')).toEqual({ code: 550, text: 'unknown dave@example.net' });
    expect(refusal('alice@example.com', 'bob@example.org')).toEqual({ code: 554, text: 'relay denied bob@example.org' });
  });

  it('a list host takes only its list\'s two addresses', () => {
    const { refusal } = rules('mx.lists.example');
    expect(refusal('alice@example.com', 'team@lists.example')).toBeNull();
    expect(refusal('alice@example.com', 'team-bounces@lists.example')).toBeNull();
    expect(refusal('alice@example.com', 'bob@lists.example')).toEqual({ code: 550, text: 'unknown bob@lists.example' });
  });

  it('refuses a null-MX sender (5.7.27) but never the null sender', () => {
    const { refusal } = rules('mx.example.net');
    expect(refusal('bob@null-mx.example', 'bob@example.net')).toMatchObject({ code: 550, text: expect.stringMatching(/^5\.7\.27 /) });
    expect(refusal('', 'bob@example.net')).toBeNull();
  });

  it('a client off the allow-list is refused in the host\'s words before its sender is looked at', () => {
    const { refusal } = rules('mx.example.net', { allowList: ['198.51.100.99'] });
    expect(refusal('bob@null-mx.example', 'bob@example.net')).toEqual({ code: 554, text: '5.7.1 <unknown[192.0.2.10]>: Client host rejected: Access denied' });
  });

  it('greylists a first attempt and takes the same triplet after the delay', () => {
    const { refusal, later } = rules('mx1.example.org', { greylisting: true });
    expect(refusal('alice@example.com', 'bob@example.org')).toMatchObject({ code: 451 });
    later(5 * 60 * 1000);
    expect(refusal('alice@example.com', 'bob@example.org')).toBeNull();
  });
});

describe('admitConnection', () => {
  it('a host switched down does not answer; a rate limit refuses past its count in the lab minute', () => {
    const host = hostNamed('mx.example.net');
    const connection = (switches: Partial<HostSwitches>) => ({ host, switches: { ...defaultSwitches(host), ...switches }, fromIp: '192.0.2.10', senderKey: 'page 192.0.2.10' });
    expect(admitConnection(connection({ down: true }), new ConnectionRate(), 0)).toMatchObject({ kind: 'down', reason: expect.stringContaining('mx.example.net is down') });
    const rate = new ConnectionRate();
    const limited = connection({ rateLimitPerLabMinute: 1 });
    expect(admitConnection(limited, rate, 0)).toEqual({ kind: 'open' });
    expect(admitConnection(limited, rate, 1)).toEqual({ kind: 'refused', reply: { code: 421, text: '4.7.0 mx.example.net Error: too many connections from 192.0.2.10' } });
  });
});

describe('labHostMailboxes', () => {
  it('suggests two addresses every receiving lab host takes, never one it refuses', () => {
    expect(labHostMailboxes(hostNamed('mx.example.net'))).toEqual(['alice@example.net', 'bob@example.net']);
    expect(labHostMailboxes(hostNamed('mx.lists.example'))).toEqual(['team@lists.example', 'team-bounces@lists.example']);
    for (const host of DEFAULT_HOSTS.filter((candidate) => candidate.role === 'mx' || candidate.role === 'forwarder')) {
      // Greylisting off: a first-attempt 451 is a deferral, not a refusal of the address.
      for (const mailbox of labHostMailboxes(host)) expect(rules(host.name, { greylisting: false }).refusal('someone@example.com', mailbox), `${host.name} ${mailbox}`).toBeNull();
    }
  });
});
