/** One short, learner-facing explanation of a whole reply. */
import { ENHANCED_SUBJECT_TOPIC, explainEnhancedCode } from './enhanced-catalog.ts';
import type { PersonalityName } from '../sandbox-config.ts';
import { EXTENSION_INFO, parseEhloExtensions } from './extensions.ts';
import { personalityMeaning } from './personality-meanings.ts';
import { explainReplyCode } from './reply-catalog.ts';
import type { EnhancedStatusCode, Reply } from './types.ts';

const CLASS_WORD: Readonly<Record<2 | 4 | 5, string>> = {
  2: 'success',
  4: 'temporary failure',
  5: 'permanent failure',
};

function describeEnhanced(enhanced: EnhancedStatusCode): string {
  const head = `enhanced code ${enhanced.text}: ${CLASS_WORD[enhanced.statusClass]}`;
  const { detail } = explainEnhancedCode(enhanced);
  // X.y.0 details are "other or undefined": the subject says more than their title.
  if (detail !== null && enhanced.detail !== 0) return `${head}, ${lowerFirst(detail.title)}`;
  const topic = ENHANCED_SUBJECT_TOPIC[enhanced.subject];
  if (enhanced.subject === 0 || topic === undefined) return head;
  return `${head}, about ${topic}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function explainEhlo(reply: Reply): string {
  const extensions = parseEhloExtensions(reply);
  if (extensions.size === 0) {
    return `${reply.code}: the server accepted your EHLO but advertises no extensions, so only the basic commands of RFC 5321 are available.`;
  }
  const items = [...extensions].map(([keyword, params]) => {
    const shown = [keyword, ...params].join(' ');
    const info = EXTENSION_INFO[keyword];
    return info ? `${shown}: ${info.summary} (${info.rfc})` : `${shown}: an extension this catalog does not describe`;
  });
  const count = extensions.size === 1 ? 'this extension' : `these ${extensions.size} extensions`;
  return `${reply.code}: the server accepted your EHLO and supports ${count}. ${items.join('; ')}.`;
}

/**
 * Explains this reply in a sentence or two: the code's meaning (in the context of the command
 * it answers, when given, e.g. "STARTTLS"), its enhanced code, and what to do after a failure.
 * An EHLO reply gets each advertised extension explained; without a command, any multi-line
 * 250 is taken for one. With the server's personality, a reply that server gives its own
 * meaning (personality-meanings.ts) is explained by it, with what the RFC asks. Never throws.
 */
export function explainReply(reply: Reply, command?: string, personality?: PersonalityName): string {
  const verb = command?.toUpperCase();
  const looksLikeEhlo = verb === undefined && reply.code === 250 && reply.lines.length > 1;
  if (reply.code === 250 && (verb === 'EHLO' || looksLikeEhlo)) return explainEhlo(reply);

  const enhanced = reply.enhanced === null ? '' : ` (${describeEnhanced(reply.enhanced)})`;
  const own = personality === undefined ? null : personalityMeaning(personality, reply, verb);
  // Written for this very reply: what to do next belongs to it, whatever the code's class.
  if (own !== null) return `${reply.code} ${own.title}${enhanced}. ${own.meaning} ${own.clientAction} ${own.rfcRequirement}`;

  const entry = explainReplyCode(reply.code, verb);
  const first = `${reply.code} ${entry.title}${enhanced}. ${entry.meaning}`;
  const succeeded = Math.floor(reply.code / 100) === 2;
  return succeeded ? first : `${first} ${entry.clientAction}`;
}
