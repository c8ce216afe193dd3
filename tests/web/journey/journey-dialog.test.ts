/**
 * The Journey dialog in jsdom, on journeys the real API answered (journeys.generated.json,
 * written by tests/server/http/make-journey-fixtures.ts through the relay worker, the lab network and mailauth),
 * served by a stand-in fetch that returns them as the server did.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { journeySchema, type Journey } from '../../../protocol/world/journey.ts';
import JourneyDialog from '../../../web/src/journey/JourneyDialog.svelte';
import type { Fetch } from '../../../web/src/journey/journey-api.ts';
import generated from './journeys.generated.json' with { type: 'json' };

const JOURNEYS = generated as Record<string, unknown>;

function serving(body: unknown, status = 200): { fetchImpl: Fetch; asked: string[] } {
  const asked: string[] = [];
  const fetchImpl: Fetch = async (url) => {
    asked.push(url);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetchImpl, asked };
}

async function open(name: string): Promise<{ journey: Journey; asked: string[] }> {
  const journey = journeySchema.parse(JOURNEYS[name]);
  const { fetchImpl, asked } = serving(journey);
  render(JourneyDialog, { journeyUrl: `/api/messages/${journey.messageId}/journey`, onclose: () => {}, fetchImpl });
  await screen.findByRole('list', { name: 'Hops, in order' });
  return { journey, asked };
}

const hopButtons = () => within(screen.getByRole('list', { name: 'Hops, in order' })).getAllByRole('button');
/** A table's rows, each as its cells' texts joined with " | ". */
const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').map((row) => Array.from(row.children, (cell) => cell.textContent?.trim()).join(' | '));
const section = (name: string) => screen.getByRole('region', { name: new RegExp(`^${name}`) });

describe('JourneyDialog', () => {
  it('draws a delivered copy as client → sandbox → MX → mailbox, with the last hop open', async () => {
    const { journey, asked } = await open('delivered');
    expect(asked).toEqual([`/api/messages/${journey.messageId}/journey`]);
    expect(hopButtons().map((button) => button.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1. Submission laptop [127.0.0.1] → to mail.example.com [192.0.2.10] ✓ accepted for relay',
      '2. To the MX · attempt 1 mail.example.com [192.0.2.10] → to mx.example.net [198.51.100.20] ✓ accepted (250)',
      '3. Into the mailbox mx.example.net [198.51.100.20] → to bob@example.net ✓ delivered',
    ]);
    expect(hopButtons()[2]?.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText(/This copy was delivered to/).textContent).toContain('bob@example.net');
    // The receiver's questions, in order, each with what it was for.
    const hop = section('Hop 3');
    expect(within(hop).getByText('The DMARC policy of example.com (RFC 7489 §6.1)')).toBeTruthy();
    expect(within(hop).getByText('v=DMARC1; p=reject')).toBeTruthy();
  });

  it("opens a relay hop's SMTP conversation in the console's sequence diagram, with the Postfix personality's evidence", async () => {
    await open('delivered');
    await fireEvent.click(hopButtons()[1]!);
    const hop = section('Hop 2');
    expect(within(hop).getByText('(verified against Postfix 3.7)')).toBeTruthy();
    const log = within(hop).getByRole('log', { name: 'Transcript' });
    expect(log.textContent).toContain('EHLO mail.example.com');
    expect(log.textContent).toContain('RCPT TO:<bob@example.net>');
    expect(within(hop).getByText('MX')).toBeTruthy();
    expect(within(hop).getByText('10 mx.example.net')).toBeTruthy();
  });

  it('shows SPF term by term with the match, DKIM with both body hashes, and the DMARC alignment table', async () => {
    await open('delivered');
    const spf = section('SPF');
    expect(spf.textContent).toContain('the MAIL FROM address <alice@example.com>');
    expect(spf.textContent).toContain('SPF never looks at the From header');
    const terms = within(spf).getByRole('list', { name: "The record's terms, left to right" });
    expect(within(terms).getAllByRole('listitem').map((item) => item.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'ip4:192.0.2.10 matched: this decides (gives pass)',
      '-all not reached',
    ]);
    expect(spf.textContent).toMatch(/DNS lookups: 0 of at most 10/);
    const dkim = section('DKIM');
    expect(dkim.textContent).toContain('d=example.com');
    expect(dkim.textContent).toContain('✓ the same');
    const table = within(section('DMARC')).getByRole('table');
    expect(rowsOf(table)).toEqual([
      'Identifier | Domain | Result | Aligned with From? | Counts for DMARC?',
      'SPF (MAIL FROM domain) | example.com | pass | ✓ yes | ✓ aligned pass',
      'DKIM d= (s=lab) | example.com | pass | ✓ yes | ✓ aligned pass',
    ]);
    expect(section('DMARC').textContent).toContain('DMARC passed: delivered.');
  });

  it("says honestly where mailauth's DKIM label differs from RFC 6376 (a footer broke the body hash)", async () => {
    await open('footer');
    const dkim = section('DKIM');
    expect(dkim.textContent).toContain('✗ different');
    expect(dkim.textContent).toMatch(/mailauth labels this dkim=neutral \(body hash did not verify\);\s+RFC 6376 §6\.1\.3 calls a body-hash mismatch a failed verification/);
    // SPF's aligned pass alone carries DMARC.
    expect(rowsOf(within(section('DMARC')).getByRole('table')).slice(1)).toEqual([
      'SPF (MAIL FROM domain) | example.com | pass | ✓ yes | ✓ aligned pass',
      'DKIM d= (s=lab) | example.com | fail | ✓ yes | ✗ no',
    ]);
  });

  it('shows a greylisted first MX deferred with its reply, then the fallback MX (modelled) accepting', async () => {
    await open('greylisted-sent');
    const labels = hopButtons().map((button) => button.textContent ?? '');
    expect(labels[1]).toContain('⟳ deferred (451)');
    expect(labels[2]).toContain('mx2.example.org');
    await fireEvent.click(hopButtons()[1]!);
    const hop = section('Hop 2');
    expect(hop.textContent).toContain('451 4.7.1 Greylisted, please try again later');
    expect(within(hop).getByText('10 mx1.example.org')).toBeTruthy();
    expect(within(hop).getByText('(modelled on documentation, not verified against the server)')).toBeTruthy();
    expect(screen.getByText(/No lab MX checked this copy/)).toBeTruthy();
  });

  it('shows a DMARC refusal as a 5xx hop and the DSN due to the envelope sender', async () => {
    await open('refused-sent');
    expect(hopButtons()[1]?.textContent).toContain('✗ refused (550)');
    expect(screen.getByRole('note').textContent).toMatch(/bob@example\.net.*refused for good: a DSN \(RFC 3464, multipart\/report\) is due to the envelope sender/);
    expect(section('Hop 2').textContent).toContain('550 5.7.1 rejected by DMARC policy for example.com');
    expect(section('Hop 2').textContent).toContain('Status 5.7.x is a security or policy refusal (RFC 3463 §3.8)');
  });

  it('says a captured-only message stopped at the sandbox, and why', async () => {
    await open('captured');
    expect(hopButtons()).toHaveLength(1);
    expect(screen.getByText(/The mail stopped at the sandbox/).textContent).toContain('none of its recipients is in a lab domain');
  });

  it("says a DSN the sandbox wrote to its own domain's mailbox never travelled, and asks no MX for checks", async () => {
    // What the real API answered for the bounce of a message to dave@example.net, filed in alice's mailbox.
    const dsn = { messageId: 8, mailbox: 'alice@example.com', hops: [{ kind: 'submission', recipient: 'alice@example.com', attempt: null,
      from: { host: 'mail.example.com', ip: '192.0.2.10' }, to: { host: 'mail.example.com', ip: '192.0.2.10' }, personality: 'smtp-server',
      lookups: [], transcript: [], outcome: 'captured', reply: null, labTime: null }], authentication: null, disposition: null, outbound: [] };
    const { fetchImpl } = serving(journeySchema.parse(dsn));
    render(JourneyDialog, { journeyUrl: '/api/messages/8/journey', onclose: () => {}, fetchImpl });
    await screen.findByRole('list', { name: 'Hops, in order' });
    expect(hopButtons()[0]?.textContent).toMatch(/Written by the sandbox.*filed locally/);
    expect(screen.getByText(/The sandbox wrote this message itself and filed it in/).textContent).toContain('it never travelled');
    const dialog = screen.getByRole('dialog').textContent ?? '';
    expect(dialog).toContain('as it writes a bounce (a DSN, RFC 3464)');
    expect(dialog).not.toMatch(/no recipient was in a lab domain|conversation is the one in your console|Each hop below added a Received/);
  });

  it('in simulated mode, for a message that never left the simulated server, says what travels and asks nothing', () => {
    const { fetchImpl, asked } = serving({});
    render(JourneyDialog, { journeyUrl: null, simulatedJourneyId: null, onclose: () => {}, fetchImpl });
    const text = (screen.getByRole('dialog').textContent ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(/This message stayed in the simulated server/);
    expect(text).toMatch(/SPF, DKIM and DMARC are checked only by the lab's real mail servers: run npm start/);
    expect(asked).toEqual([]);
  });

  it('reports a journey of the wrong shape, or an error answer, as a sentence', async () => {
    const wrong = serving({ messageId: 1, hops: 'many' });
    render(JourneyDialog, { journeyUrl: '/api/messages/1/journey', onclose: () => {}, fetchImpl: wrong.fetchImpl });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/not in the shape this page reads \(at (mailbox|hops)/);
    document.body.innerHTML = '';
    const missing = serving({ error: { code: 'not_found', message: 'No message 99 in your mailbox.' } }, 404);
    render(JourneyDialog, { journeyUrl: '/api/messages/99/journey', onclose: () => {}, fetchImpl: missing.fetchImpl });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not show the journey: No message 99 in your mailbox.'));
  });
});
