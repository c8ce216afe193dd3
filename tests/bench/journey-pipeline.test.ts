/**
 * The journey benchmark measures what it claims: on the live wiring (startApp), every message
 * its client sends for bob@example.net goes through the sandbox, the outbound queue and the
 * relay to mx.example.net, and lands in bob's mailbox signed and authenticated; mail for a
 * domain outside the lab (the baseline) is captured and reaches no mailbox. No timing here
 * (the bench prints the figures).
 */
import { describe, expect, it } from 'vitest';
import { installNoNetworkGuard, NO_NETWORK_GUARD_IN_WORKER } from '../server/world/no-network-guard.ts';
import { journeyIndex, journeyMessage, sendJourneys } from './journey-load.ts';
import { startJourneyApp, verdictsOf } from './journey-pipeline.ts';
import { openClient } from './smtp-load.ts';

const JOURNEYS = 12;

/** Waits (bounded: 300 checks, 15 s) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const numbers = (map: ReadonlyMap<number, number>) => [...map.keys()].sort((a, b) => a - b);

describe('the journey benchmark pipeline', () => {
  it('numbers each message so its journey can be followed', () => {
    expect(journeyIndex(Buffer.from(journeyMessage(41)))).toBe(41);
    expect(journeyIndex(Buffer.from('Message-ID: <other-3@example.com>\r\n\r\n'))).toBeNull();
    const delivered = 'Authentication-Results: mx.example.net;\r\n dkim=fail (bad signature) header.i=@example.com;\r\n spf=pass smtp.mailfrom=alice@example.com;\r\n dmarc=pass (p=REJECT)\r\nSubject: dmarc=none\r\n\r\nspf=fail\r\n';
    expect(verdictsOf(Buffer.from(delivered))).toBe('spf=pass dkim=fail dmarc=pass');
  });

  it('delivers every journey to bob@example.net through the live app with SPF and DMARC passing, without real DNS or UDP once it listens', async () => {
    const app = await startJourneyApp({ relayConcurrency: 4, mailAuthPreload: [NO_NETWORK_GUARD_IN_WORKER] });
    const clients = await Promise.all([openClient(app.port), openClient(app.port)]);
    // Once everything listens (binding 127.0.0.1 goes through dns.lookup), nothing may ask real DNS.
    // mailauth runs in the mail-auth worker, guarded too (its calls would be reported here, and fail their job).
    const guard = installNoNetworkGuard();
    try {
      const started = await sendJourneys(clients, JOURNEYS);
      expect(started.every((at) => at > 0)).toBe(true);
      await until(() => app.arrived('mailbox').size === JOURNEYS, `${JOURNEYS} journeys`);
      expect(numbers(app.arrived('mailbox'))).toEqual(Array.from({ length: JOURNEYS }, (_, index) => index));
      // The sandbox kept its own capture of each as well.
      expect(numbers(app.arrived('capture'))).toEqual(numbers(app.arrived('mailbox')));
      // DKIM is not asserted per copy: mailauth 4.13 fails about 1 in 250 of its own fresh signatures ("bad signature").
      expect([...app.verdicts().keys()].every((verdicts) => verdicts.startsWith('spf=pass dkim=') && verdicts.endsWith(' dmarc=pass'))).toBe(true);
      expect(app.verdicts().get('spf=pass dkim=pass dmarc=pass')).toBeGreaterThan(JOURNEYS / 2);
      expect(() => app.reset()).not.toThrow();
    } finally {
      guard.restore();
      for (const client of clients) client.destroy();
      await app.close();
    }
    expect(guard.calls()).toEqual([]);
  });

  it('stops at the sandbox for the single-hop baseline: captured, in no mailbox', async () => {
    const app = await startJourneyApp();
    const client = await openClient(app.port);
    try {
      await sendJourneys([client], 3, { from: 'learner@client.test', to: 'someone@elsewhere.test' });
      await until(() => app.arrived('capture').size === 3, '3 captures');
      // A journey sent after them reaches bob first: had the baseline's 0, 1, 2 been relayed, 1 and 2 would be there too.
      await sendJourneys([client], 1);
      await until(() => app.arrived('mailbox').size === 1, 'the one journey after them');
      expect(numbers(app.arrived('mailbox'))).toEqual([0]);
    } finally {
      client.destroy();
      await app.close();
    }
  });
});
