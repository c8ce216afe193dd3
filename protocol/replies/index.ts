/** The reply side of SMTP: grammar, enhanced status codes, catalogs and explanations. */
export type {
  EnhancedCodeEntry,
  EnhancedStatusCode,
  ParsedReplyLine,
  Reply,
  ReplyAssemblerResult,
  ReplyClass,
  ReplyCodeEntry,
  ReplySyntaxError,
} from './types.ts';
export { parseReplyLine, ReplyAssembler, replyClass } from './parse-reply.ts';
export { parseEnhancedStatusCode, splitEnhancedStatusCode } from './enhanced-status-code.ts';
export { explainReplyCode, REPLY_CLASS_MEANING, REPLY_CODE_CATALOG } from './reply-catalog.ts';
export {
  ENHANCED_CLASS_MEANING,
  ENHANCED_SUBJECT_MEANING,
  ENHANCED_SUBJECT_TOPIC,
  explainEnhancedCode,
  type EnhancedCodeExplanation,
} from './enhanced-catalog.ts';
export { ENHANCED_CODE_ENTRIES } from './enhanced-codes-registry.ts';
export { EXTENSION_INFO, parseEhloExtensions } from './extensions.ts';
export { explainReply } from './explain-reply.ts';
export { personalityMeaning, PERSONALITY_REPLY_MEANINGS, type PersonalityReplyMeaning } from './personality-meanings.ts';
export { formatReply } from './format-reply.ts';
