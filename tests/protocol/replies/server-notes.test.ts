/**
 * The words that name a real server's behaviour follow the server actually talking: for each
 * personality, a typical session (greeting, EHLO, MAIL, an unknown user, a delivered message,
 * QUIT) is explained without naming any other server.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../protocol/replies/index.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, PERSONALITY_NAMES } from '../../../protocol/simulator/index.ts';
import { replyServerNote, type ReplyServerNote } from '../../../protocol/simulator/personalities/reply-server-note.ts';
import { talkTo } from '../session/simulated-talk.ts';

/** How each server is named in a text; the sandbox is the lab's smtp-server. */
const NAMES: Readonly<Record<PersonalityName, RegExp>> = {
  'smtp-server': /smtp-server|sandbox/i,
  postfix: /postfix/i,
  exim: /exim/i,
  gmail: /gmail|google/i,
  exchange: /\bExchange\b|microsoft/,
};

const noteWords = (note: ReplyServerNote | null): string[] => (note === null ? [] : [note.text, note.quote ?? '']);

function typicalSession(personality: PersonalityName): string[] {
  const [first, second] = PERSONALITIES[personality].suggestedRecipients;
  const talk = talkTo(personality, [
    'EHLO client.example.com',
    'MAIL FROM:<learner@example.com>',
    `RCPT TO:<nobody-here@${first.split('@')[1] ?? ''}>`,
    `RCPT TO:<${first}>`,
    `RCPT TO:<${second}>`,
    'DATA',
    'Subject: hello',
    '',
    'Hi.',
    '.signature',
    '.',
    'QUIT',
  ]);
  return talk.model.transcript.flatMap((entry) => [
    entry.explanation,
    ...entry.notes,
    ...(entry.reply === null ? [] : noteWords(replyServerNote(personality, entry.reply))),
  ]);
}

describe('a typical session names only the server talking', () => {
  for (const personality of PERSONALITY_NAMES) {
    it(personality, () => {
      const texts = typicalSession(personality);
      for (const [other, name] of Object.entries(NAMES)) {
        if (other === personality) continue;
        expect(texts.filter((text) => name.test(text)), `${personality} session naming ${other}`).toEqual([]);
      }
    });
  }
});

/** The first reply in a session of `personality` whose wire text contains `text`. */
function replyOf(personality: PersonalityName, opening: readonly string[], text: string): Reply {
  const talk = talkTo(personality, opening);
  const entry = talk.model.transcript.find((candidate) => candidate.reply !== null && candidate.text.includes(text));
  if (entry?.reply == null) throw new Error(`no reply with "${text}"`);
  return entry.reply;
}

describe('the Real server note quotes the server talking, or says nothing', () => {
  it('smtp-server: the catalog note on its own greeting', () => {
    expect(replyServerNote('smtp-server', replyOf('smtp-server', [], 'ESMTP'))?.text).toMatch(/^smtp-server greets with/);
  });

  it('Postfix: no smtp-server note on its greeting (its own meanings are in the explanation itself)', () => {
    const greeting = replyOf('postfix', [], 'ESMTP Postfix');
    expect(replyServerNote('postfix', greeting)).toBeNull();
  });

  it('Exim and Exchange: the published source of the words just sent', () => {
    const eximGreeting = replyServerNote('exim', replyOf('exim', [], 'ESMTP Exim'));
    expect(eximGreeting?.text).toContain('src/src/globals.c');
    expect(eximGreeting?.quote).toContain('smtp_banner');
    const unknownUser = replyServerNote('exim', replyOf('exim', ['EHLO c.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@lab.test>'], 'Unknown user'));
    expect(unknownUser?.text).toContain('configure.default');
    const exchange = replyServerNote('exchange', replyOf('exchange', ['EHLO c.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<nobody@lab.test>'], 'User unknown'));
    expect(exchange?.quote).toContain('550 5.1.1 User unknown');
  });

  it('a text the source does not give (Gmail\'s 354, kept from smtp-server) and an unknown server: no note', () => {
    const gmail354 = replyOf('gmail', ['EHLO c.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA'], 'End data');
    expect(replyServerNote('gmail', gmail354)).toBeNull();
    expect(replyServerNote(null, replyOf('smtp-server', [], 'ESMTP'))).toBeNull();
  });
});

describe('a data line with one leading dot is noted for the server talking', () => {
  const noteOn = (personality: PersonalityName): string[] =>
    talkTo(personality, ['EHLO c.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA', '.signature']).model.transcript.find(
      (entry) => entry.text === '.signature',
    )?.notes.slice() ?? [];

  it('smtp-server keeps the dot, Postfix removes it, a modelled server is not claimed either way', () => {
    expect(noteOn('smtp-server').join(' ')).toMatch(/smtp-server \(this lab's server\) keeps `\.signature`/);
    expect(noteOn('postfix').join(' ')).toMatch(/stores `signature`, and Postfix does/);
    for (const personality of ['exim', 'gmail', 'exchange'] as const) {
      expect(noteOn(personality).join(' ')).toMatch(/not every server does/);
    }
  });
});
