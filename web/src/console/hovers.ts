/**
 * Hover text for the console: what a command does (VERB_INFO), what an ESMTP parameter means,
 * what a reply code and its enhanced status code mean (the reply catalogs), and what a base64
 * AUTH answer decodes to. Markdown, for Monaco's hover widget.
 */
import { parseAuthResponse, VERB_INFO, VERBS, type Verb } from '../../../protocol/commands/index.ts';
import { EXTENSION_INFO, explainEnhancedCode, explainReplyCode } from '../../../protocol/replies/index.ts';
import type { InputMode } from './input-mode.ts';

export interface Hover {
  readonly start: number;
  readonly end: number;
  readonly markdown: string;
}

const REPLY_LINE = /^(\d{3})([ -]|$)(?:(\d\.\d{1,3}\.\d{1,3})(?= |$))?/;

/** Which EHLO extension introduces each MAIL/RCPT parameter. */
const PARAMETER_EXTENSION: Readonly<Record<string, string>> = {
  SIZE: 'SIZE', BODY: '8BITMIME', SMTPUTF8: 'SMTPUTF8', RET: 'DSN', ENVID: 'DSN', NOTIFY: 'DSN', ORCPT: 'DSN', AUTH: 'AUTH', REQUIRETLS: 'REQUIRETLS',
};

/** The hover for the word at `column` (0-based), or null. */
export function hoverFor(line: string, column: number, mode: InputMode): Hover | null {
  if (mode === 'auth-response') return authResponseHover(line);
  if (mode === 'data') return null;
  const reply = REPLY_LINE.exec(line);
  if (reply) return replyHover(line, column, reply);
  const verbMatch = /^\s*([A-Za-z]+)/.exec(line);
  const verb = verbMatch?.[1]?.toUpperCase();
  if (verbMatch === null || verb === undefined || !(VERBS as readonly string[]).includes(verb)) return null;
  const verbStart = verbMatch[0].length - (verbMatch[1]?.length ?? 0);
  const verbEnd = verbMatch[0].length;
  if (column >= verbStart && column <= verbEnd) return { start: verbStart, end: verbEnd, markdown: verbMarkdown(verb as Verb) };
  return parameterHover(line, column) ?? pathHover(line, column, verb);
}

function verbMarkdown(verb: Verb): string {
  const info = VERB_INFO[verb];
  const extension = info.extension === null ? '' : `\n\nOnly if the server advertised **${info.extension}** in its EHLO reply.`;
  return `**${verb}**: ${info.summary}\n\n\`${info.syntax}\` (e.g. \`${info.example}\`)${extension}\n\n*${info.rfc}*`;
}

function parameterHover(line: string, column: number): Hover | null {
  const pattern = /\s([A-Za-z0-9-]+)(=\S*)?/g;
  for (const match of line.matchAll(pattern)) {
    const start = (match.index ?? 0) + 1;
    const end = start + match[0].length - 1;
    if (column < start || column > end) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const extension = PARAMETER_EXTENSION[keyword];
    if (extension === undefined) return null;
    const info = EXTENSION_INFO[extension];
    return { start, end, markdown: `**${keyword}** parameter, from the **${extension}** extension: ${info?.summary ?? ''}.\n\n*${info?.rfc ?? ''}*` };
  }
  return null;
}

function pathHover(line: string, column: number, verb: string): Hover | null {
  const open = line.indexOf('<');
  const close = line.indexOf('>', open);
  if (open === -1 || close === -1 || column < open || column > close) return null;
  const address = line.slice(open + 1, close);
  const markdown =
    verb === 'MAIL'
      ? address === ''
        ? 'The **null reverse-path** `<>`: no bounces will be sent for this message (used by bounces themselves, RFC 5321 §4.5.5).'
        : `The **envelope sender** (reverse-path): where bounces go. It need not match the message's \`From:\` header (RFC 5321 §4.1.1.2).`
      : `An **envelope recipient** (forward-path): where the server delivers. It need not appear in the \`To:\` header (RFC 5321 §4.1.1.3).`;
  return { start: open, end: close + 1, markdown };
}

function replyHover(line: string, column: number, match: RegExpExecArray): Hover | null {
  const code = Number(match[1]);
  const enhanced = match[3];
  const codeEnd = 3;
  if (enhanced !== undefined) {
    const start = 4;
    if (column >= start && column <= start + enhanced.length) {
      const explained = explainEnhancedCode(enhanced);
      const detail = explained.detail === null ? '' : `\n\n**${explained.detail.title}**: ${explained.detail.meaning}`;
      return {
        start,
        end: start + enhanced.length,
        markdown: `**Enhanced status code ${enhanced}**\n\n${explained.classMeaning}; ${explained.subjectMeaning}.${detail}\n\n*RFC 3463*`,
      };
    }
  }
  if (column > codeEnd + 1 && enhanced !== undefined) return null;
  const entry = explainReplyCode(code);
  const server = entry.smtpServer ? `\n\nIn smtp-server: ${entry.smtpServer}` : '';
  return {
    start: 0,
    end: line.length,
    markdown: `**${code} ${entry.title}**\n\n${entry.meaning}\n\nTypical cause: ${entry.typicalCause}\n\nWhat to do: ${entry.clientAction}${server}\n\n*${entry.rfc}*`,
  };
}

function authResponseHover(line: string): Hover | null {
  const response = parseAuthResponse(line);
  if (response.kind !== 'base64') return null;
  const shown = response.decoded.replace(/\0/g, '\\0');
  return {
    start: 0,
    end: line.length,
    markdown: `Decodes to \`${shown}\`.\n\nBase64 is an encoding, not encryption: anyone who can read the connection can read this. Use STARTTLS first on a real network.`,
  };
}
