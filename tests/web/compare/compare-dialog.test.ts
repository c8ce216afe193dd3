import { render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import CompareDialog from '../../../web/src/compare/CompareDialog.svelte';

describe('CompareDialog', () => {
  it('asks for a conversation first when there is none', () => {
    render(CompareDialog, { lines: [], config: DEFAULT_SANDBOX_CONFIG, onclose: vi.fn() });
    const dialog = screen.getByRole('dialog', { name: 'Compare servers' });
    expect(dialog.textContent).toContain('send a few commands first');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows every server side by side, marks the differing step in words, and explains it with the RFC', async () => {
    render(CompareDialog, { lines: ['EHLO me.example', 'HELP', 'QUIT'], config: DEFAULT_SANDBOX_CONFIG, onclose: vi.fn() });
    const table = await screen.findByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((header) => header.textContent ?? '');
    expect(headers[0]).toBe('Your client');
    expect(headers.find((text) => text.includes('Postfix 3.7'))).toContain('verified against Postfix 3.7');
    for (const modelled of ['Exim', 'Gmail', 'Exchange']) {
      expect(headers.find((text) => text.includes(modelled))).toContain('modelled on documentation, not verified against the server');
    }

    const helpRow = within(table).getByRole('rowheader', { name: /HELP/ }).closest('tr') as HTMLTableRowElement;
    expect(helpRow.classList.contains('differs')).toBe(true);
    // Not colour alone: the row says it in words too.
    expect(helpRow.textContent).toContain('Servers differ:');
    expect(helpRow.textContent).toContain('500 5.5.2 Error: command not recognized');
    const explanation = helpRow.nextElementSibling as HTMLTableRowElement;
    expect(explanation.textContent).toContain('RFC 5321 §4.1.1.8');
    expect(explanation.textContent).toContain('Departs from it: Postfix 3.7');

    const quitRow = within(table).getByRole('rowheader', { name: /QUIT/ }).closest('tr') as HTMLTableRowElement;
    expect(quitRow.classList.contains('differs')).toBe(false);
    expect(quitRow.textContent).toContain('then closed the connection');
    await waitFor(() => expect(screen.getByRole('dialog').textContent).toContain('1 step gets different answers'));
  });

  it('says "connection closed" for a server that hung up, and closes on Escape', async () => {
    const onclose = vi.fn();
    render(CompareDialog, {
      lines: ['EHLO me.example', 'MAIL FROM:<a@example.com>', 'DATA', 'Subject: hi', 'NOOP'],
      config: DEFAULT_SANDBOX_CONFIG,
      onclose,
    });
    const table = await screen.findByRole('table');
    const noop = within(table).getByRole('rowheader', { name: /NOOP/ }).closest('tr') as HTMLTableRowElement;
    expect(noop.textContent).toContain('connection closed');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(onclose).toHaveBeenCalled();
  });
});
