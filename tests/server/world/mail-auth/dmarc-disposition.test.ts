import { describe, expect, it } from 'vitest';
import type { DmarcVerdict } from '../../../../protocol/world/auth-verdicts.ts';
import { dispositionFor } from '../../../../server/world/mail-auth/dmarc-disposition.ts';

const failing = (policy: 'none' | 'quarantine' | 'reject', pct = 100): DmarcVerdict => ({
  result: 'fail',
  mailauthResult: 'fail',
  fromDomain: 'example.com',
  organizationalDomain: 'example.com',
  record: `v=DMARC1; p=${policy}; pct=${pct}`,
  p: policy,
  sp: policy,
  policy,
  pct,
  alignment: { spfMode: 'r', dkimMode: 'r', spfAligned: null, dkimAligned: null },
  explanation: '',
});

describe('dispositionFor', () => {
  it.each([
    ['postfix', '5.7.1 rejected by DMARC policy for example.com'],
    ['gmail', "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy."],
    ['exchange', '5.7.509 Access denied, sending domain [example.com] does not pass DMARC verification and has a DMARC policy of reject.'],
    ['exim', '5.7.1 Message rejected: DMARC policy of example.com is reject'],
    ['smtp-server', '5.7.1 Message rejected: DMARC policy of example.com is reject'],
  ] as const)('refuses a p=reject failure at end of data in %s words', (personality, text) => {
    const disposition = dispositionFor(failing('reject'), { enforce: true, personality });
    if (disposition.action !== 'refuse') throw new Error('expected a refusal');
    expect(disposition.reply.code).toBe(550);
    expect(disposition.reply.text.startsWith(text)).toBe(true);
  });

  it('labels the texts nobody publishes as the lab\'s own', () => {
    const exim = dispositionFor(failing('reject'), { enforce: true, personality: 'exim' });
    expect(exim.action === 'refuse' && exim.reply.source).toMatch(/generic lab text/);
  });

  it('delivers a p=quarantine failure as junk, and a p=none failure as it is', () => {
    expect(dispositionFor(failing('quarantine'), { enforce: true, personality: 'postfix' })).toMatchObject({ action: 'deliver', junk: true });
    expect(dispositionFor(failing('none'), { enforce: true, personality: 'postfix' })).toMatchObject({ action: 'deliver', junk: false });
  });

  it('delivers and says "policy not enforced" when the host\'s switch is off', () => {
    const disposition = dispositionFor(failing('reject'), { enforce: false, personality: 'postfix' });
    expect(disposition).toMatchObject({ action: 'deliver', junk: false });
    expect(disposition.note).toMatch(/policy not enforced/);
  });

  it('applies pct: outside the sample reject becomes quarantine (RFC 7489 §6.6.4)', () => {
    expect(dispositionFor(failing('reject', 50), { enforce: true, personality: 'postfix', sample: () => 0.2 }).action).toBe('refuse');
    expect(dispositionFor(failing('reject', 50), { enforce: true, personality: 'postfix', sample: () => 0.7 })).toMatchObject({ action: 'deliver', junk: true });
  });

  it('delivers a pass and a message with no policy', () => {
    expect(dispositionFor({ ...failing('reject'), result: 'pass' }, { enforce: true, personality: 'gmail' })).toMatchObject({ action: 'deliver', junk: false });
    expect(dispositionFor({ ...failing('reject'), result: 'none', policy: null }, { enforce: true, personality: 'gmail' })).toMatchObject({ action: 'deliver', junk: false });
  });
});
