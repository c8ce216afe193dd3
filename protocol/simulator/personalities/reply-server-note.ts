/**
 * The Explanation panel's "Real server" note on a reply, for the server actually talking: the
 * catalog's smtp-server notes only on smtp-server; on a server modelled on its published
 * source (Exim, Gmail, Exchange), where that source gives the words it just sent; otherwise no
 * note, never another server's. (Postfix's own meanings, where it departs from the catalog,
 * are in the explanation itself: protocol/replies/personality-meanings.ts.)
 */
import { explainReplyCode } from '../../replies/reply-catalog.ts';
import type { Reply } from '../../replies/types.ts';
import type { PersonalityName } from '../../sandbox-config.ts';
import { EXCHANGE_TABLE } from './modelled/exchange-personality.ts';
import { EXIM_TABLE } from './modelled/exim-personality.ts';
import { GMAIL_TABLE } from './modelled/gmail-personality.ts';
import type { ModelledReply, ModelledTable, ModelledTextName } from './modelled/modelled-table.ts';

/** A note in words, and the server's own published words (source text) where there are some. */
export interface ReplyServerNote {
  readonly text: string;
  readonly quote: string | null;
}

const MODELLED: Readonly<Partial<Record<PersonalityName, ModelledTable>>> = { exim: EXIM_TABLE, gmail: GMAIL_TABLE, exchange: EXCHANGE_TABLE };

/** Stands for a value the server fills in (host name, address, queue id, limit). */
const HOLE = '\u0000';
const HOLE_NUMBER = 918_273_645;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern for a text with holes: each hole matches any non-empty run. */
function pattern(text: string, prefixOnly = false): RegExp {
  const body = text.split(HOLE).map(escape).join('.+?').replaceAll(String(HOLE_NUMBER), '\\d+');
  return new RegExp(`^${body}${prefixOnly ? '' : '$'}`, 's');
}

const replyText = (reply: ModelledReply): string => (typeof reply.text === 'string' ? reply.text : reply.text.join('\n'));

/**
 * The table's reply for one text name, as a pattern on the reply's text (the lines after the
 * code, joined by "\n"); null for names that are not a whole reply.
 */
function sourcedPattern(table: ModelledTable, name: ModelledTextName): { code: number; pattern: RegExp } | null {
  const replies = table.replies;
  switch (name) {
    // The banner ends with the time it is sent: the words before it identify it.
    case 'banner':
      return { code: 220, pattern: pattern(table.banner(HOLE).split(/\s\w{3},\s/)[0] ?? '', true) };
    case 'welcome':
      return { code: 250, pattern: pattern(table.welcome(HOLE, HOLE, HOLE), true) };
    case 'ehloKeywords':
      return null;
    case 'heloSyntax':
      return { code: replies.heloSyntax('EHLO').code, pattern: new RegExp(`${pattern(replyText(replies.heloSyntax('EHLO'))).source}|${pattern(replyText(replies.heloSyntax('HELO'))).source}`) };
    case 'bye':
    case 'earlyTalker':
    case 'queued':
    case 'unknownUser':
    case 'relayDenied': {
      const filled = replies[name](HOLE);
      return { code: filled.code, pattern: pattern(replyText(filled)) };
    }
    case 'sizeExceeded': {
      const filled = replies.sizeExceeded(HOLE_NUMBER);
      return { code: filled.code, pattern: pattern(replyText(filled)) };
    }
    default:
      return { code: replies[name].code, pattern: pattern(replyText(replies[name])) };
  }
}

function modelledNote(table: ModelledTable, reply: Reply): ReplyServerNote | null {
  const text = reply.lines.map((line) => line.slice(4)).join('\n');
  for (const [name, source] of Object.entries(table.sources) as [ModelledTextName, NonNullable<ModelledTable['sources'][ModelledTextName]>][]) {
    const sourced = sourcedPattern(table, name);
    if (sourced === null || sourced.code !== reply.code || !sourced.pattern.test(text)) continue;
    return {
      text: `${table.label} sends these words as its published source has them (${source.source}); the lab's copy is modelled on that source, not compared with a running server:`,
      quote: source.quote,
    };
  }
  return null;
}

/** How the server talking uses this reply, in its own words; null when we know nothing true to add. */
export function replyServerNote(personality: PersonalityName | null, reply: Reply): ReplyServerNote | null {
  if (personality === 'smtp-server') {
    const note = explainReplyCode(reply.code).smtpServer;
    return note === undefined ? null : { text: note, quote: null };
  }
  const table = personality === null ? undefined : MODELLED[personality];
  return table === undefined ? null : modelledNote(table, reply);
}
