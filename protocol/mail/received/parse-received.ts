/**
 * Reads one Received field (RFC 5321 §4.4): `from` (with the TCP-info comment that names the
 * client's address), `by`, `via`, `with`, `id`, `for` and the date after the last ";". Real
 * servers bend the grammar (Postfix's "(Postfix)" after by, Exim's "(helo=…)", Exchange's "with
 * Microsoft SMTP Server (…)", Gmail's by-address without brackets), so every clause is optional
 * and what does not fit is kept rather than refused.
 */
import { parseRfc5322Date } from '../rfc5322-date.ts';
import { receivedTokens, type ReceivedToken } from './received-tokens.ts';

const CLAUSES = ['from', 'by', 'via', 'with', 'id', 'for'] as const;
type ClauseName = (typeof CLAUSES)[number];

export interface ReceivedStamp {
  /** The field's value as given, unfolded. */
  readonly raw: string;
  /** The name the client gave (its HELO, or the sending host's name): the word after "from". */
  readonly from: string | null;
  /** The client's IP address, from the TCP-info comment or an address literal. */
  readonly fromAddress: string | null;
  /** The host name the receiving server found by reverse DNS, when it says ("unknown" when none). */
  readonly fromReverseName: string | null;
  /** The HELO when it is written apart from the name (Exim's "helo=…"). */
  readonly fromHelo: string | null;
  /** The server that received the message and wrote this field. */
  readonly by: string | null;
  /** What the server says about itself after its name: "Postfix", "Exim 4.96". */
  readonly byComment: string | null;
  readonly via: string | null;
  /** The protocol (RFC 3848: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP…), or a server's own words. */
  readonly with: string | null;
  /** The receiving server's id for the message (its queue id). */
  readonly id: string | null;
  /** The recipient it was received for, without angle brackets. */
  readonly for: string | null;
  /** The date as written, or null when there is no ";" and date. */
  readonly dateText: string | null;
  /** The date in milliseconds since the epoch, or null when missing or unreadable. */
  readonly time: number | null;
  /** Why the date could not be read, when it could not. */
  readonly dateProblem: string | null;
}

const isClause = (token: ReceivedToken): ClauseName | null =>
  token.kind === 'word' && (CLAUSES as readonly string[]).includes(token.text.toLowerCase()) ? (token.text.toLowerCase() as ClauseName) : null;

const bare = (text: string): string => text.replace(/^[<[]|[>\]]$/g, '');

/** An IP in a TCP-info comment: "[203.0.113.5]", "[IPv6:2001:db8::1]", or Exchange's bare "2603:10a6::12". */
function addressIn(comment: string): string | null {
  const bracketed = /\[(?:IPv6:)?([0-9A-Fa-f.:]+)\]/.exec(comment);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const plain = /^(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)$/.exec(comment.trim());
  return plain?.[1] ?? null;
}

interface Clause {
  readonly words: string[];
  /** The words before the clause's first comment: "esmtps" in Exim's "with esmtps (TLS1.3) tls …". */
  readonly lead: string[];
  readonly comments: string[];
}

/** Groups the tokens before the date under the clause keyword that precedes them. */
function clausesOf(tokens: readonly ReceivedToken[]): Map<ClauseName, Clause> {
  const clauses = new Map<ClauseName, Clause>();
  let current: Clause | null = null;
  for (const token of tokens) {
    const name = isClause(token);
    // A repeated keyword ("id" inside a comment is a comment) starts nothing new once taken.
    if (name !== null && !clauses.has(name)) {
      current = { words: [], lead: [], comments: [] };
      clauses.set(name, current);
    } else if (current !== null && token.kind === 'word') {
      current.words.push(token.text);
      if (current.comments.length === 0) current.lead.push(token.text);
    } else if (current !== null && token.kind === 'comment') current.comments.push(token.text);
  }
  return clauses;
}

export function parseReceived(value: string): ReceivedStamp {
  const raw = value.replace(/\s+/g, ' ').trim();
  const tokens = receivedTokens(raw);
  const lastSemicolon = tokens.map((token) => token.kind).lastIndexOf('semicolon');
  const clauses = clausesOf(lastSemicolon < 0 ? tokens : tokens.slice(0, lastSemicolon));
  const dateText = lastSemicolon < 0 ? null : raw.slice(raw.lastIndexOf(';') + 1).trim() || null;
  const date = dateText === null ? null : parseRfc5322Date(dateText);

  const from = clauses.get('from');
  const fromWord = from?.words[0] ?? null;
  const tcpInfo = from?.comments.join(' ') ?? '';
  const literal = fromWord !== null && fromWord.startsWith('[') ? addressIn(fromWord) : null;
  const reverse = /^([^\s[=]+)\s+\[/.exec(tcpInfo)?.[1] ?? null;
  const by = clauses.get('by');
  const lead = (name: ClauseName): string | null => {
    const clause = clauses.get(name);
    return clause === undefined || clause.lead.length === 0 ? null : clause.lead.join(' ');
  };
  return {
    raw,
    from: fromWord,
    fromAddress: literal ?? (from?.comments.map(addressIn).find((found) => found !== null) ?? null),
    fromReverseName: reverse === null ? null : reverse.replace(/\.$/, ''),
    fromHelo: /helo=([^\s)\]]+)/i.exec(tcpInfo)?.[1] ?? null,
    by: by?.words[0] ?? null,
    byComment: by?.comments[0] ?? null,
    via: lead('via'),
    with: lead('with'),
    id: clauses.get('id')?.words[0] ?? null,
    for: clauses.get('for')?.words[0] === undefined ? null : bare(clauses.get('for')?.words[0] ?? ''),
    dateText,
    time: date?.ok === true ? date.epochMs : null,
    dateProblem: date === null || date.ok ? null : date.reason,
  };
}
