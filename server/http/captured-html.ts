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

/** `message.html` prepared for the frame; `message.html` must not be null. */
export function capturedHtml(messages: MessageStore, namespace: string, message: ParsedMessage & { html: string }): PreparedHtml {
  return prepareMailHtml(message.html, (contentId) => {
    const part = message.attachments.find((attachment) => attachment.contentId === contentId);
    if (part === undefined || part.size > INLINE_IMAGE_LIMIT_BYTES) return null;
    const content = messages.attachment(namespace, message.id, part.index)?.content;
    const type = content === undefined ? null : rasterImageType(content);
    return content === undefined || type === null ? null : `data:${type};base64,${content.toString('base64')}`;
  });
}

/** How many remote images the frame blocks, without loading any part. */
export function remoteImagesIn(html: string | null): number {
  return html === null ? 0 : prepareMailHtml(html, () => null).remoteBlocked;
}
