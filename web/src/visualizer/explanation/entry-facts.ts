/**
 * What the explanation panel adds to a transcript entry from the protocol catalogs: the
 * command's reference, the reply code class and enhanced code meaning, and RFC sections.
 */
import { VERB_INFO, type Verb } from '../../../../protocol/commands/index.ts';
import {
  explainEnhancedCode,
  explainReplyCode,
  REPLY_CLASS_MEANING,
  replyClass,
  type ReplyCodeEntry,
} from '../../../../protocol/replies/index.ts';
import type { PersonalityName } from '../../../../protocol/sandbox-config.ts';
import type { TranscriptEntry } from '../../../../protocol/session/index.ts';
import { replyServerNote, type ReplyServerNote } from '../../../../protocol/simulator/personalities/reply-server-note.ts';
import { rfcReferences, type RfcReference } from './rfc-links.ts';

export interface EntryFacts {
  /** "Client → server" etc. */
  readonly direction: string;
  readonly verb: { readonly name: string; readonly summary: string; readonly syntax: string } | null;
  readonly code: {
    readonly code: number;
    readonly classMeaning: string;
    readonly entry: ReplyCodeEntry;
    /** How the server talking uses the code, in its own words; null rather than another server's. */
    readonly serverNote: ReplyServerNote | null;
  } | null;
  readonly enhanced: { readonly text: string; readonly classMeaning: string; readonly subjectMeaning: string; readonly detail: string | null } | null;
  readonly references: readonly RfcReference[];
}

function verbOf(entry: TranscriptEntry): Verb | null {
  if (entry.from !== 'client' || entry.role !== 'command') return null;
  const word = entry.text.trim().split(/[\s:]/)[0]?.toUpperCase() ?? '';
  return Object.hasOwn(VERB_INFO, word) ? (word as Verb) : null;
}

const DIRECTION: Readonly<Record<TranscriptEntry['from'], string>> = {
  client: 'Client → server',
  server: 'Server → client',
  connection: 'Connection event',
};

/**
 * Collects the catalog facts about one entry, for the server talking (`personality`, null when
 * unknown). Pure; never throws.
 */
export function entryFacts(entry: TranscriptEntry, personality: PersonalityName | null): EntryFacts {
  const verb = verbOf(entry);
  const verbInfo = verb === null ? null : VERB_INFO[verb];
  const reply = entry.reply;
  const codeEntry = reply === null ? null : explainReplyCode(reply.code);
  const enhanced = reply?.enhanced ?? null;
  const enhancedInfo = enhanced === null ? null : explainEnhancedCode(enhanced);
  return {
    direction: DIRECTION[entry.from],
    verb: verb === null || verbInfo === null ? null : { name: verb, summary: verbInfo.summary, syntax: verbInfo.syntax },
    code:
      reply === null || codeEntry === null
        ? null
        : {
            code: reply.code,
            classMeaning: REPLY_CLASS_MEANING[replyClass(reply.code)],
            entry: codeEntry,
            serverNote: replyServerNote(personality, reply),
          },
    enhanced:
      enhanced === null || enhancedInfo === null
        ? null
        : {
            text: enhanced.text,
            classMeaning: enhancedInfo.classMeaning,
            subjectMeaning: enhancedInfo.subjectMeaning,
            detail: enhancedInfo.detail === null ? null : `${enhancedInfo.detail.title}: ${enhancedInfo.detail.meaning}`,
          },
    references: rfcReferences(
      verbInfo?.rfc ?? '',
      codeEntry?.rfc ?? '',
      enhancedInfo?.detail?.rfc ?? '',
      entry.explanation,
      ...entry.notes,
    ),
  };
}
