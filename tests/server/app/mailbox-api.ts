/** Reads the live process's mailbox over its HTTP API, the way the web app does. */

export interface ListedMessage {
  readonly id: number;
  readonly queueId: string;
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly subject: string | null;
  readonly size: number;
}

export interface ApiMessagePage {
  readonly messages: ListedMessage[];
  readonly total: number;
  readonly evictedTotal: number;
}

export async function listMessages(httpBase: string): Promise<ApiMessagePage> {
  const response = await fetch(`${httpBase}api/messages?limit=200`);
  if (!response.ok) throw new Error(`GET /api/messages: ${response.status}`);
  return (await response.json()) as ApiMessagePage;
}

/**
 * Waits for the message with `subject` to be listed with it: the message is stored before its
 * 250, but its subject is known once the capture worker has parsed it, a little later.
 */
export async function waitForMessage(httpBase: string, subject: string, timeoutMs = 10_000): Promise<ListedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listMessages(httpBase)).messages.find((message) => message.subject === subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message with subject ${JSON.stringify(subject)} was stored`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The raw source as the API serves it (message/rfc822), as bytes. */
export async function rawSource(httpBase: string, id: number): Promise<Buffer> {
  const response = await fetch(`${httpBase}api/messages/${id}/raw`);
  if (!response.ok) throw new Error(`GET raw ${id}: ${response.status}`);
  expectContentType(response, 'message/rfc822');
  return Buffer.from(await response.arrayBuffer());
}

/** The parsed message resource. */
export async function parsedMessage(httpBase: string, id: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${httpBase}api/messages/${id}`);
  if (!response.ok) throw new Error(`GET message ${id}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

function expectContentType(response: Response, type: string): void {
  const actual = response.headers.get('content-type') ?? '';
  if (!actual.startsWith(type)) throw new Error(`expected ${type}, got ${actual}`);
}
