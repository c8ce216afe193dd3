/**
 * What the mailbox shows for each attachment: its name, declared type and size, where its
 * Download link points, and an inline preview only for raster images recognised by their bytes.
 * No link ever opens an attachment as a document of the app's origin: live messages link to
 * the server's download URL, simulated ones to a blob typed `application/octet-stream`
 * (the browser saves it, under the `download` name, instead of rendering it).
 */
import type { LiveAttachment } from '../../live/live-message.ts';
import type { MessageAttachment } from '../../mail/parse-message.ts';
import { rasterImageType } from '../../../../protocol/mail/raster-image.ts';

export interface AttachmentView {
  readonly filename: string;
  /** As the sender declared it: text for the learner, never a rendering decision. */
  readonly mimeType: string;
  readonly size: number;
  readonly inline: boolean;
  /** The Download link, or null where blob URLs cannot be made (no link then). */
  readonly href: string | null;
  /** A blob URL typed by the sniffed image type, for an `<img>`; null for everything else. */
  readonly previewUrl: string | null;
}

/** Makes a blob URL (the page's `URL.createObjectURL`), or null where there is none. */
export type ObjectUrlMaker = ((blob: Blob) => string) | null;

/** Larger images are still downloadable, just not previewed. */
export const PREVIEW_LIMIT_BYTES = 8 * 1024 * 1024;

export const DOWNLOAD_TYPE = 'application/octet-stream';

/** Views of attachments parsed in the page (simulated mode, or live before the server has parsed). */
export function localAttachmentViews(attachments: readonly MessageAttachment[], makeUrl: ObjectUrlMaker): AttachmentView[] {
  return attachments.map((attachment) => ({
    filename: attachment.filename,
    mimeType: attachment.mimeType,
    size: attachment.size,
    inline: attachment.disposition === 'inline',
    href: makeUrl === null ? null : makeUrl(new Blob([attachment.content.slice()], { type: DOWNLOAD_TYPE })),
    previewUrl: previewOf(attachment.content, makeUrl),
  }));
}

/**
 * Views of a live message's attachments: the server's list and download URLs. Previews use the
 * bytes fetched for them (`previewBytes`, by attachment index), sniffed like any other.
 */
export function liveAttachmentViews(
  served: readonly LiveAttachment[],
  previewBytes: ReadonlyMap<number, Uint8Array>,
  makeUrl: ObjectUrlMaker,
): AttachmentView[] {
  return served.map((attachment) => {
    const bytes = previewBytes.get(attachment.index);
    return {
      filename: attachment.filename ?? `attachment-${attachment.index + 1}`,
      mimeType: attachment.contentType,
      size: attachment.size,
      // The server keeps no disposition: a part with a Content-ID is one the HTML can show inline.
      inline: attachment.contentId !== null,
      href: attachment.url,
      previewUrl: bytes === undefined ? null : previewOf(bytes, makeUrl),
    };
  });
}

/**
 * Which live attachments are worth fetching for a preview: declared as images and small enough.
 * The declared type only decides what to try; the fetched bytes decide what is shown.
 */
export function previewCandidates(served: readonly LiveAttachment[]): LiveAttachment[] {
  return served.filter((attachment) => attachment.contentType.toLowerCase().startsWith('image/') && attachment.size <= PREVIEW_LIMIT_BYTES);
}

function previewOf(content: Uint8Array, makeUrl: ObjectUrlMaker): string | null {
  if (makeUrl === null || content.byteLength > PREVIEW_LIMIT_BYTES) return null;
  const type = rasterImageType(content);
  return type === null ? null : makeUrl(new Blob([content.slice()], { type }));
}
