/**
 * The attachments of one captured message as the server lists them (`GET /api/messages/:id`),
 * each with the URL that serves it as a download (`application/octet-stream`,
 * `Content-Disposition: attachment`, a sandbox CSP): the mailbox links there, so no attachment
 * is ever opened as a document of the app's origin.
 */

export interface LiveAttachment {
  readonly index: number;
  /** null when the sender gave none. */
  readonly filename: string | null;
  /** As the sender declared it: shown as text, never used to render anything. */
  readonly contentType: string;
  readonly size: number;
  /** `/api/messages/ID/attachments/INDEX`. */
  readonly url: string;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Lists the attachments of the message at `messageUrl`; rejects with a sentence on failure. */
export async function fetchLiveAttachments(messageUrl: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): Promise<LiveAttachment[]> {
  const response = await fetchImpl(messageUrl);
  if (!response.ok) throw new Error(`The server answered ${response.status} for the message's attachments.`);
  const body = (await response.json()) as { attachments?: unknown };
  return Array.isArray(body.attachments) ? body.attachments.filter(isLiveAttachment) : [];
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
    typeof entry['url'] === 'string' &&
    /^\/api\/messages\/\d+\/attachments\/\d+$/.test(entry['url'])
  );
}
