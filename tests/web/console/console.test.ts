import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import Console from '../../../web/src/console/Console.svelte';
import type { ConsoleEditor, ConsoleEditorOptions } from '../../../web/src/console/monaco-console.ts';
import { snapshotAfter } from '../../protocol/session/snapshots.ts';
import { startConversation } from '../visualizer/conversation.ts';

type EditorModule = typeof import('../../../web/src/console/monaco-console.ts');

// jsdom has <dialog> but not its modal methods.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
    this.open = false;
  };
});

const never = (): Promise<EditorModule> => new Promise(() => undefined);

function setup(snapshot = snapshotAfter('EHLO client.example.com'), loadEditor = never) {
  const onsend = vi.fn();
  const result = render(Console, { snapshot, clientLines: [], dark: false, onsend, loadEditor });
  return { onsend, ...result };
}

describe('Console before Monaco has loaded', () => {
  it('is one textbox named "SMTP console" where Enter sends the line', async () => {
    const { onsend } = setup();
    const input = screen.getByRole('textbox', { name: 'SMTP console' });
    await fireEvent.input(input, { target: { value: 'MAIL FROM:<a@example.com>' } });
    await fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(onsend).not.toHaveBeenCalled();
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onsend).toHaveBeenCalledWith('MAIL FROM:<a@example.com>');
    expect((input as HTMLTextAreaElement).value).toBe('');
  });

  it('recalls sent lines with the Up and Down arrows', async () => {
    setup();
    const input = screen.getByRole('textbox', { name: 'SMTP console' }) as HTMLTextAreaElement;
    for (const line of ['EHLO a', 'NOOP']) {
      await fireEvent.input(input, { target: { value: line } });
      await fireEvent.keyDown(input, { key: 'Enter' });
    }
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.value).toBe('NOOP');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.value).toBe('EHLO a');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.value).toBe('NOOP');
  });

  it('says so when the learner is writing the message, and how to end it', () => {
    setup(snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'));
    const banner = screen.getByRole('note', { name: 'Writing the message' });
    expect(banner.textContent).toContain('You are writing the message.');
    expect(banner.textContent).toContain('End it with a line containing only .');
    expect(banner.textContent).toContain('..hidden');
  });

  it('asks for a base64 answer during AUTH, and shows no banner for commands', () => {
    const auth = setup(snapshotAfter('EHLO client.example.com', 'AUTH LOGIN'));
    expect(screen.getByRole('note', { name: 'Answering the login challenge' }).textContent).toContain('base64');
    auth.unmount();
    setup();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('inserts encoded credentials from the helper', async () => {
    setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Encode credentials…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Base64 is an encoding, not encryption');
    const [insert] = screen.getAllByRole('button', { name: 'Insert' });
    if (insert === undefined) throw new Error('no Insert button');
    await fireEvent.click(insert);
    const input = screen.getByRole('textbox', { name: 'SMTP console' }) as HTMLTextAreaElement;
    expect(input.value).toBe('AUTH PLAIN AHN0dWRlbnQAbGVhcm4tc210cA==');
    expect((dialog as HTMLDialogElement).open).toBe(false);
    // The console has the focus, not the button that opened the dialog: Enter sends the line.
    expect(document.activeElement).toBe(input);
  });

  it('says in its placeholder what to type: a command, or message lines in DATA', () => {
    const command = setup();
    expect(screen.getByRole('textbox', { name: 'SMTP console' }).getAttribute('placeholder')).toMatch(/SMTP command/);
    command.unmount();
    const postfix = startConversation('postfix');
    postfix.send('EHLO client.example.com', 'MAIL FROM:<a@example.com>');
    const onPostfix = setup(postfix.session.getSnapshot());
    expect(screen.getByRole('textbox', { name: 'SMTP console' }).getAttribute('placeholder')).toBe(
      'Type an SMTP command and press Enter, e.g. RCPT TO:<alice@lab.test>',
    );
    onPostfix.unmount();
    setup(snapshotAfter('EHLO client.example.com', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA'));
    expect(screen.getByRole('textbox', { name: 'SMTP console' }).getAttribute('placeholder')).toBe(
      'Message lines — a line with just . ends the message',
    );
  });
});

describe('Console once Monaco has loaded', () => {
  it('hands the typed text to the editor and removes the plain textarea', async () => {
    let created: ConsoleEditorOptions | null = null;
    const fakeEditor: ConsoleEditor = {
      focus: vi.fn(),
      setDark: vi.fn(),
      setPlaceholder: vi.fn(),
      refresh: vi.fn(),
      setValue: vi.fn(),
      insert: vi.fn(),
      dispose: vi.fn(),
    };
    let resolve: (module: EditorModule) => void = () => undefined;
    const loading = new Promise<EditorModule>((done) => (resolve = done));
    const { onsend } = setup(undefined, () => loading);
    const input = screen.getByRole('textbox', { name: 'SMTP console' });
    await fireEvent.input(input, { target: { value: 'EHL' } });
    resolve({
      createConsoleEditor: (_host: HTMLElement, options: ConsoleEditorOptions) => {
        created = options;
        return fakeEditor;
      },
    } as unknown as EditorModule);
    await vi.waitFor(() => expect(screen.queryByRole('textbox', { name: 'SMTP console' })).toBeNull());
    const options = created as ConsoleEditorOptions | null;
    expect(options?.initialValue).toBe('EHL');
    expect(options?.placeholder).toMatch(/SMTP command/);
    expect(options?.getContext().mode).toBe('command');
    options?.onSubmit('EHLO x');
    expect(onsend).toHaveBeenCalledWith('EHLO x');
    expect(fakeEditor.refresh).toHaveBeenCalled();
  });
});
