/** Full MIME parsing of a stored message for the mailbox viewer, with postal-mime. */
import PostalMime, { type Attachment } from 'postal-mime';

export interface MessageAttachment {
  readonly filename: string;
  readonly mimeType: string;
  readonly disposition: string | null;
  /** The Content-ID without angle brackets, for parts the HTML shows as `cid:`. */
  readonly contentId: string | null;
  /** Decoded size in bytes. */
  readonly size: number;
  readonly content: Uint8Array;
}

export interface MessageParts {
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly subject: string | null;
  readonly from: string | null;
  /** The Date header as ISO time; null when absent or unreadable. */
  readonly date: string | null;
  readonly text: string | null;
  readonly html: string | null;
  readonly attachments: readonly MessageAttachment[];
}

function toBytes(content: Attachment['content']): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** Parses an RFC 5322 message. Never rejects: an unreadable message gives empty parts. */
export async function parseMessage(raw: string): Promise<MessageParts> {
  try {
    const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    const from = email.from?.address !== undefined ? (email.from.name ? `${email.from.name} <${email.from.address}>` : email.from.address) : null;
    return {
      headers: email.headers.map((header) => ({ name: header.originalKey || header.key, value: header.value })),
      subject: email.subject ?? null,
      from,
      date: isoDate(email.date),
      text: email.text ?? null,
      html: email.html ?? null,
      attachments: email.attachments.map((attachment, i) => {
        const content = toBytes(attachment.content);
        return {
          filename: attachment.filename ?? `attachment-${i + 1}`,
          mimeType: attachment.mimeType,
          disposition: attachment.disposition,
          contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null,
          size: content.byteLength,
          content,
        };
      }),
    };
  } catch {
    return { headers: [], subject: null, from: null, date: null, text: raw, html: null, attachments: [] };
  }
}

function isoDate(value: string | undefined): string | null {
  const time = value === undefined ? NaN : new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** "1.2 KB" style sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
