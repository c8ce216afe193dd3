/**
 * One captured message as the server parsed it (`GET /api/messages/:id`, mailparser's result):
 * live mode shows this and never parses the raw message again in the page, so the list, the
 * parts and the attachments always agree with what the server stored. Each attachment links to
 * the URL that serves it as a download (`application/octet-stream`, `Content-Disposition:
 * attachment`, a sandbox CSP), so none is ever opened as a document of the app's origin.
 */

export interface LiveAttachment {
  readonly index: number;
  /** null when the sender gave none. */
  readonly filename: string | null;
  /** As the sender declared it: shown as text, never used to render anything. */
  readonly contentType: string;
  readonly size: number;
  /** The Content-ID (no brackets) of a part the HTML can show as `cid:`; null for most. */
  readonly contentId: string | null;
  /** `/api/messages/ID/attachments/INDEX`. */
  readonly url: string;
}

export interface LiveHeader {
  readonly name: string;
  readonly value: string;
}

export interface LiveMessage {
  readonly headers: readonly LiveHeader[];
  readonly subject: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly cc: string | null;
  /** ISO time, or null when the Date header is absent or unreadable. */
  readonly date: string | null;
  readonly text: string | null;
  /** The server's sandboxed HTML view (cid: images inlined, remote ones replaced), or null. */
  readonly htmlUrl: string | null;
  readonly remoteImagesBlocked: number;
  readonly attachments: readonly LiveAttachment[];
  readonly rawDownloadUrl: string | null;
  readonly bareCr: boolean;
  readonly parseError: string | null;
  /** False while the server has not parsed it yet (a moment after arrival). */
  readonly parsed: boolean;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Reads the message at `messageUrl`; rejects with a sentence on failure. */
export async function fetchLiveMessage(messageUrl: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): Promise<LiveMessage> {
  const response = await fetchImpl(messageUrl);
  if (!response.ok) throw new Error(`The server answered ${response.status} for the message.`);
  const body = (await response.json()) as Record<string, unknown>;
  const headers = Array.isArray(body['headers']) ? body['headers'].filter(isHeader).map((header) => ({ name: header.key, value: header.value })) : [];
  const ownUrl = (value: unknown, pattern: RegExp): string | null => (typeof value === 'string' && pattern.test(value) ? value : null);
  return {
    headers,
    subject: textOrNull(body['subject']),
    from: textOrNull(body['from']),
    to: textOrNull(body['to']),
    cc: textOrNull(body['cc']),
    date: textOrNull(body['date']),
    text: textOrNull(body['text']),
    htmlUrl: ownUrl(body['htmlUrl'], /^\/api\/messages\/\d+\/html$/),
    remoteImagesBlocked: typeof body['remoteImagesBlocked'] === 'number' ? body['remoteImagesBlocked'] : 0,
    attachments: Array.isArray(body['attachments']) ? body['attachments'].filter(isLiveAttachment) : [],
    rawDownloadUrl: ownUrl(body['rawDownloadUrl'], /^\/api\/messages\/\d+\/raw\?download=1$/),
    bareCr: body['bareCr'] === true,
    parseError: textOrNull(body['parseError']),
    parsed: body['parsed'] !== false,
  };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isHeader(value: unknown): value is { key: string; value: string } {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry['key'] === 'string' && typeof entry['value'] === 'string';
}

/** Only well-formed entries whose URL is one of our own attachment routes become links. */
function isLiveAttachment(value: unknown): value is LiveAttachment {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    Number.isInteger(entry['index']) &&
    (entry['filename'] === null || typeof entry['filename'] === 'string') &&
    typeof entry['contentType'] === 'string' &&
    typeof entry['size'] === 'number' &&
    (entry['contentId'] === null || typeof entry['contentId'] === 'string') &&
    typeof entry['url'] === 'string' &&
    /^\/api\/messages\/\d+\/attachments\/\d+$/.test(entry['url'])
  );
}
