/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The Explanation panel on a Postfix lab host (live mode, `mx.example.net`): the lines are what
// the lab's Postfix personality sends there; no line names smtp-server or quotes its texts.
import { cleanup, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyAssembler } from '../../../protocol/replies/index.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { createSessionActor, type TranscriptEntry } from '../../../protocol/session/index.ts';
import ExplanationPanel from '../../../web/src/visualizer/ExplanationPanel.svelte';

const LAB_HOST_SESSION: readonly (readonly ['client' | 'server', string])[] = [
  ['server', '220 mx.example.net ESMTP Postfix'],
  ['client', 'EHLO client.example.com'],
  ['server', '250-mx.example.net\n250-PIPELINING\n250-SIZE 10240000\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250 SMTPUTF8'],
  ['client', 'MAIL FROM:<learner@example.com>'],
  ['server', '250 2.1.0 Ok'],
  ['client', 'RCPT TO:<nobody@example.net>'],
  ['server', '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table'],
  ['client', 'RCPT TO:<alice@example.net>'],
  ['server', '250 2.1.5 Ok'],
  ['client', 'DATA'],
  ['server', '354 End data with <CR><LF>.<CR><LF>'],
  ['client', 'Subject: hi'],
  ['client', ''],
  ['client', 'Hello.'],
  ['client', '.'],
  ['server', '250 2.0.0 Ok: queued as 4F2A1B3C5D'],
  ['client', 'QUIT'],
  ['server', '221 2.0.0 Bye'],
];

function transcriptAs(personality: PersonalityName): readonly TranscriptEntry[] {
  const session = createSessionActor({ personality });
  try {
    session.send({ type: 'socket.opened', server: 'mx.example.net:25' });
    for (const [from, text] of LAB_HOST_SESSION) {
      if (from === 'client') {
        session.send({ type: 'client.line', text });
        continue;
      }
      const assembler = new ReplyAssembler();
      for (const line of text.split('\n')) {
        const result = assembler.push(line);
        if (result?.kind === 'reply') session.send({ type: 'server.reply', reply: result.reply });
      }
    }
    return [...session.transcript];
  } finally {
    session.stop();
  }
}

const panelText = (entry: TranscriptEntry, personality: PersonalityName): string => {
  const { container } = render(ExplanationPanel, { entry, personality });
  const text = container.textContent ?? '';
  cleanup();
  return text;
};

afterEach(() => cleanup());

describe('ExplanationPanel on a Postfix lab host', () => {
  it('never names smtp-server or the sandbox on any line of the session', () => {
    const entries = transcriptAs('postfix');
    expect(entries.filter((entry) => entry.from === 'server')).toHaveLength(8);
    for (const entry of entries) {
      const text = panelText(entry, 'postfix');
      expect(text, entry.text).not.toMatch(/smtp-server|sandbox|Real server/i);
    }
  });

  it('shows the greeting with its code facts, but smtp-server\'s note only when smtp-server is talking', () => {
    const greeting = transcriptAs('postfix').find((entry) => entry.text.startsWith('220 '));
    if (greeting === undefined) throw new Error('no greeting');
    expect(panelText(greeting, 'postfix')).toMatch(/Service ready/);
    expect(panelText(greeting, 'smtp-server')).toMatch(/Real server: smtp-server greets with/);
  });

  it('on a modelled server, quotes its published source instead (Exim\'s banner)', () => {
    const session = createSessionActor({ personality: 'exim' });
    session.send({ type: 'socket.opened', server: 'mx1.example.org:25' });
    const assembler = new ReplyAssembler();
    const result = assembler.push('220 mx1.example.org ESMTP Exim 4.99.1 Mon, 07 Dec 2026 18:40:46 +0000');
    if (result?.kind === 'reply') session.send({ type: 'server.reply', reply: result.reply });
    const greeting = session.transcript.find((entry) => entry.text.startsWith('220 '));
    session.stop();
    if (greeting === undefined) throw new Error('no greeting');
    const { container } = render(ExplanationPanel, { entry: greeting, personality: 'exim' });
    expect(container.querySelector('.real')?.textContent).toMatch(/Real server: Exim 4\.99\.1 .*globals\.c/s);
    expect(container.querySelector('.real code')?.textContent).toContain('smtp_banner');
    expect(container.textContent).not.toMatch(/smtp-server/);
  });
});
