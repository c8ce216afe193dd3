/**
 * The Journey dialog in simulated mode (no server): a message the simulated sandbox accepted
 * for bob@example.net travels through the page's own relay (PageWorld), and the same dialog
 * draws its journey, saying plainly that SPF, DKIM and DMARC need the lab server.
 */
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { DeliveredMail } from '../../../protocol/world/simulated-relay/simulated-relay.ts';
import JourneyDialog from '../../../web/src/journey/JourneyDialog.svelte';
import { pageWorld } from '../../../web/src/world/page-world.svelte.ts';

const hopButtons = () => within(screen.getByRole('list', { name: 'Hops, in order' })).getAllByRole('button');

describe('JourneyDialog in simulated mode', () => {
  it('draws the page relay\'s journey (client → sandbox → simulated Postfix → mailbox) with the SMTP conversation, and no fake verdicts', async () => {
    const world = pageWorld();
    const delivered: DeliveredMail[] = [];
    world.deliverTo((mail) => delivered.push(mail));
    const submitted = await world.submit({
      queueId: 'SIM1',
      mailFrom: 'alice@example.com',
      rcptTo: ['bob@example.net'],
      data: 'From: <alice@example.com>\r\nTo: <bob@example.net>\r\nSubject: hi\r\n\r\nHello.\r\n',
      clientHelo: 'laptop',
      remoteAddress: '203.0.113.25',
      authenticatedUser: null,
      secure: false,
    });
    expect(submitted).not.toBeNull();
    await waitFor(() => expect(delivered).toHaveLength(1));

    render(JourneyDialog, { journeyUrl: null, simulatedJourneyId: delivered[0]!.id, onclose: () => {} });
    expect(hopButtons().map((button) => button.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1. Submission laptop [203.0.113.25] → to mail.example.com [192.0.2.10] ✓ accepted for relay',
      '2. To the MX · attempt 1 mail.example.com [192.0.2.10] → to mx.example.net [198.51.100.20] ✓ accepted (250)',
      '3. Into the mailbox mx.example.net [198.51.100.20] → to bob@example.net ✓ delivered',
    ]);
    const dialog = (screen.getByRole('dialog').textContent ?? '').replace(/\s+/g, ' ');
    expect(dialog).toContain("SPF, DKIM and DMARC are checked by the lab's real mail servers: run npm start (live mode) to see them.");
    expect(screen.queryByRole('region', { name: /^SPF/ })).toBeNull();

    // The relay hop's conversation, as the simulated Postfix answered the one client driver.
    hopButtons()[1]!.click();
    const log = await waitFor(() => within(screen.getByRole('region', { name: /^Hop 2/ })).getByRole('log', { name: 'Transcript' }));
    expect(log.textContent).toContain('EHLO mail.example.com');
    expect(log.textContent).toMatch(/250 2\.0\.0 Ok: queued as/);
  });
});
