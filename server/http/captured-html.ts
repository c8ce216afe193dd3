/**
 * A live message's HTML as the mailbox frame shows it: `cid:` images from the message's own
 * parts (raster images recognised by their bytes, as data: URLs) and remote images replaced
 * by a placeholder (see protocol/mail/mail-html.ts). Served under CAPTURED_HTML_CSP.
 */
import { prepareMailHtml, type PreparedHtml } from '../../protocol/mail/mail-html.ts';
import { rasterImageType } from '../../protocol/mail/raster-image.ts';
import type { MessageStore } from '../storage/message-store.ts';
import type { ParsedMessage } from '../storage/message-types.ts';

/** Larger inline parts stay out of the document (the Attachments tab still offers them). */
export const INLINE_IMAGE_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * `message.html` prepared for the frame; `message.html` must not be null. The parts the HTML
 * names are read first (a dry run of the preparation collects them), so the preparation
 * itself stays synchronous.
 */
export async function capturedHtml(
  messages: Pick<MessageStore, 'attachment'>,
  namespace: string,
  message: ParsedMessage & { html: string },
): Promise<PreparedHtml> {
  const named = new Set<string>();
  prepareMailHtml(message.html, (contentId) => {
    named.add(contentId);
    return null;
  });
  const images = new Map<string, string>();
  for (const contentId of named) {
    const part = message.attachments.find((attachment) => attachment.contentId === contentId);
    if (part === undefined || part.size > INLINE_IMAGE_LIMIT_BYTES) continue;
    const content = (await messages.attachment(namespace, message.id, part.index))?.content;
    const type = content === undefined ? null : rasterImageType(content);
    if (content !== undefined && type !== null) images.set(contentId, `data:${type};base64,${content.toString('base64')}`);
  }
  return prepareMailHtml(message.html, (contentId) => images.get(contentId) ?? null);
}

/** How many remote images the frame blocks, without loading any part. */
export function remoteImagesIn(html: string | null): number {
  return html === null ? 0 : prepareMailHtml(html, () => null).remoteBlocked;
}
