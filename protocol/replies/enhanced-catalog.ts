/** Explains RFC 3463 enhanced status codes: class, subject, and the registered detail. */
import { ENHANCED_CODE_ENTRIES } from './enhanced-codes-registry.ts';
import { parseEnhancedStatusCode } from './enhanced-status-code.ts';
import type { EnhancedCodeEntry, EnhancedStatusCode } from './types.ts';

/** RFC 3463 §2 class sub-codes. */
export const ENHANCED_CLASS_MEANING: Readonly<Record<2 | 4 | 5, string>> = {
  2: 'Success',
  4: 'Persistent transient failure: the message is fine, but a temporary condition stopped it; trying later may work',
  5: 'Permanent failure: resending it unchanged will not work; the message or the destination must change',
};

/** What each subject sub-code (X.0 to X.7) is about, as a phrase: "about <topic>". */
export const ENHANCED_SUBJECT_TOPIC: readonly string[] = [
  'no particular subject',
  'the sender or recipient address',
  'the recipient mailbox',
  'the receiving mail system',
  'the network or routing',
  'the SMTP exchange itself',
  'the message content',
  'security or policy',
];

/** RFC 3463 §2 subject sub-codes, X.0 to X.7, with the registry's names. */
export const ENHANCED_SUBJECT_MEANING: readonly string[] = [
  'Other or undefined status',
  'Addressing status: about the sender or recipient address',
  'Mailbox status: about the recipient mailbox',
  'Mail system status: about the receiving mail system',
  'Network and routing status',
  'Mail delivery protocol status: about the SMTP exchange itself',
  'Message content or media status',
  'Security or policy status',
];

export interface EnhancedCodeExplanation {
  readonly classMeaning: string;
  readonly subjectMeaning: string;
  /** The registered detail, or null when the code is not in the registry. */
  readonly detail: EnhancedCodeEntry | null;
}

/**
 * Explains an enhanced status code given parsed or as text ("5.7.8"). A string that is not an
 * enhanced code gets an explanation that says so. Never throws.
 */
export function explainEnhancedCode(code: EnhancedStatusCode | string): EnhancedCodeExplanation {
  const parsed = typeof code === 'string' ? parseEnhancedStatusCode(code) : code;
  if (parsed === null) {
    return {
      classMeaning: 'Not an enhanced status code: those look like 2.1.5, 4.7.0 or 5.5.2 (RFC 3463 §2)',
      subjectMeaning: '',
      detail: null,
    };
  }
  return {
    classMeaning: ENHANCED_CLASS_MEANING[parsed.statusClass],
    subjectMeaning:
      ENHANCED_SUBJECT_MEANING[parsed.subject] ?? `Subject ${parsed.subject}, which RFC 3463 does not define`,
    detail: ENHANCED_CODE_ENTRIES.get(`X.${parsed.subject}.${parsed.detail}`) ?? null,
  };
}
