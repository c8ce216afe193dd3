/**
 * Every text a modelled personality sends either comes from its published source (each word of
 * it is in the source's quoted words, once the lab's own values are taken out) or, with no
 * source named, is smtp-server's own text: nothing in between is invented.
 */
import { describe, expect, it } from 'vitest';
import { EXCHANGE_TABLE } from '../../../protocol/simulator/personalities/modelled/exchange-personality.ts';
import { EXIM_TABLE } from '../../../protocol/simulator/personalities/modelled/exim-personality.ts';
import { GMAIL_SESSION_ID, GMAIL_TABLE } from '../../../protocol/simulator/personalities/modelled/gmail-personality.ts';
import {
  SMTP_SERVER_GREETING,
  SMTP_SERVER_TEXTS,
  type ModelledReplies,
  type ModelledReply,
  type ModelledTable,
  type ModelledTextName,
} from '../../../protocol/simulator/personalities/modelled/modelled-table.ts';

const HOST = 'mx.sample.test';
const HELO = 'client.sample';
const CLIENT = '[203.0.113.25]';
const ADDRESS = 'nobody@lab.test';
const QUEUE_ID = 'QUEUEID1';
const SIZE_LIMIT = 12345;

/** Each reply with sample arguments, as one text. */
function rendered(replies: ModelledReplies): Record<keyof ModelledReplies, ModelledReply> {
  return {
    ...replies,
    heloSyntax: replies.heloSyntax('EHLO'),
    earlyTalker: replies.earlyTalker(HOST),
    bye: replies.bye(HOST),
    queued: replies.queued(QUEUE_ID),
    unknownUser: replies.unknownUser(ADDRESS),
    relayDenied: replies.relayDenied(ADDRESS),
    sizeExceeded: replies.sizeExceeded(SIZE_LIMIT),
  };
}

function texts(table: Pick<ModelledTable, 'banner' | 'welcome' | 'replies'>): Record<Exclude<ModelledTextName, 'ehloKeywords'>, string> {
  const lines = Object.entries(rendered(table.replies)).map(([name, reply]) => [name, `${reply.code} ${[reply.text].flat().join(' ')}`]);
  return { ...Object.fromEntries(lines), banner: table.banner(HOST), welcome: table.welcome(HOST, HELO, CLIENT) };
}

/** The words of a text that the server itself chose: the lab's values and a banner's clock taken out. */
function serverWords(text: string): string[] {
  const withoutLabValues = [HOST, HELO, CLIENT, ADDRESS, QUEUE_ID, String(SIZE_LIMIT), `${GMAIL_SESSION_ID} - gsmtp`]
    .reduce((rest, value) => rest.replaceAll(value, ' '), text)
    .replace(/\w{3}, \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000/, ' ');
  // The verb heloSyntax was given (rendered with 'EHLO') is the client's word too.
  return withoutLabValues.split(/\s+/).map((word) => word.replace(/^[<[]+|[>\]]+$/g, '')).filter((word) => word !== '' && word !== 'EHLO');
}

describe.each([EXIM_TABLE, GMAIL_TABLE, EXCHANGE_TABLE])('the $name personality', (table) => {
  const own = texts(table);
  const smtpServer = texts({ ...SMTP_SERVER_GREETING, replies: SMTP_SERVER_TEXTS });

  it('names a published source for its extensions', () => {
    expect(table.sources.ehloKeywords?.source).toMatch(/^https:\/\/|^github\.com\//);
  });

  it.each(Object.keys(own) as Exclude<ModelledTextName, 'ehloKeywords'>[])('takes %s from its source, or else from smtp-server', (name) => {
    const source = table.sources[name];
    if (!source) {
      expect(own[name]).toBe(smtpServer[name]);
      return;
    }
    expect(source.source).toMatch(/^https:\/\/|^github\.com\//);
    // Quotes from C source keep their escapes (\"): compare the characters they stand for.
    const published = `${source.source} ${source.quote}`.replaceAll('\\', '');
    const invented = serverWords(own[name]).filter((word) => !published.includes(word));
    expect(invented).toEqual([]);
  });
});

describe('the source check', () => {
  it('catches a word that is in no source', () => {
    const published = GMAIL_TABLE.sources.needMail!.quote;
    expect(serverWords(`503 5.5.1 MAIL first, please. ${GMAIL_SESSION_ID} - gsmtp`).filter((word) => !published.includes(word))).toEqual(['first,', 'please.']);
  });
});
