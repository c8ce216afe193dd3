/** Turns raw message bytes into the parsed form the mailbox stores, never throwing. */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { StoredHeaderField } from './message-types.ts';

export interface ParsedAttachment {
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
  readonly contentId: string | null;
  readonly content: Buffer;
}

export interface ParsedContent {
  readonly headers: StoredHeaderField[];
  readonly subject: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly cc: string | null;
  /** ms since the epoch. */
  readonly date: number | null;
  readonly messageId: string | null;
  readonly text: string | null;
  readonly html: string | null;
  readonly attachments: ParsedAttachment[];
  /**
   * The raw message has a CR not followed by LF (RFC 5321 §2.3.8 forbids it). Servers differ in
   * how they read it; the fields above come from a copy with each bare CR made a CRLF.
   */
  readonly bareCr: boolean;
  readonly parseError: string | null;
}

const EMPTY: Omit<ParsedContent, 'parseError' | 'bareCr'> = {
  headers: [],
  subject: null,
  from: null,
  to: null,
  cc: null,
  date: null,
  messageId: null,
  text: null,
  html: null,
  attachments: [],
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses `raw` with mailparser. Text and HTML are kept as the sender wrote them (no HTML made
 * from text or text from HTML, `cid:` links left alone). A failure gives empty fields and a
 * `parseError`, so the caller can still store the raw message. Bare CRs are read as line ends
 * (mailparser would otherwise see one endless header); the caller keeps `raw` unchanged.
 */
export async function parseMessage(raw: Buffer): Promise<ParsedContent> {
  const bareCr = hasBareCr(raw);
  try {
    const readable = bareCr ? withCrlfForBareCr(raw) : raw;
    const mail = await simpleParser(readable, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    return { ...fromParsedMail(mail), bareCr, parseError: null };
  } catch (error) {
    return { ...EMPTY, bareCr, parseError: error instanceof Error ? error.message : String(error) };
  }
}

/** True when some CR byte is not followed by LF. */
export function hasBareCr(raw: Uint8Array): boolean {
  for (let at = raw.indexOf(0x0d); at !== -1; at = raw.indexOf(0x0d, at + 1)) {
    if (raw[at + 1] !== 0x0a) return true;
  }
  return false;
}

/** A copy with every bare CR made a CRLF, byte for byte otherwise (latin1 maps bytes 1:1). */
function withCrlfForBareCr(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r(?!\n)/g, '\r\n'), 'latin1');
}

function fromParsedMail(mail: ParsedMail): Omit<ParsedContent, 'parseError' | 'bareCr'> {
  const headers = mail.headerLines.map((header) => toHeaderField(header.line));
  return {
    headers,
    subject: mail.subject ?? null,
    from: addressText(mail.from),
    to: addressText(mail.to),
    cc: addressText(mail.cc),
    date: dateOf(headers),
    messageId: mail.messageId ?? null,
    text: mail.text ?? null,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.content.length,
      contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null,
      content: attachment.content,
    })),
  };
}

/**
 * The Date header read as mailparser reads it (`new Date(value)`), but null when that fails:
 * mailparser puts the time of parsing in its place, which would look like a real date.
 */
function dateOf(headers: readonly StoredHeaderField[]): number | null {
  const field = headers.find((header) => header.key.toLowerCase() === 'date');
  if (field === undefined) return null;
  const time = new Date(field.value).getTime();
  return Number.isNaN(time) ? null : time;
}

function addressText(field: AddressObject | AddressObject[] | undefined): string | null {
  if (field === undefined) return null;
  return Array.isArray(field) ? field.map((entry) => entry.text).join(', ') : field.text;
}

/**
 * mailparser gives each header line as a binary string (one char per byte). Headers may be
 * raw UTF-8 (RFC 6532), so decode as UTF-8 when the bytes are valid UTF-8, else keep Latin-1.
 */
function toHeaderField(binaryLine: string): StoredHeaderField {
  const bytes = Buffer.from(binaryLine, 'latin1');
  let line: string;
  try {
    line = strictUtf8.decode(bytes);
  } catch {
    line = binaryLine;
  }
  const colon = line.indexOf(':');
  if (colon === -1) return { key: '', value: unfold(line) };
  return { key: line.slice(0, colon).trim(), value: unfold(line.slice(colon + 1)).trim() };
}

/** RFC 5322 §2.2.3: unfolding removes each CRLF that is followed by white space. */
function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '');
}
