/**
 * Makes a captured message's HTML ready for the mailbox's sandboxed frame, whose CSP loads
 * images from `data:` only: inline images (`cid:`, RFC 2392) become `data:` URLs of their
 * parts, and remote images (which the CSP blocks, leaving broken-image icons) become a visible
 * "remote image blocked" placeholder and are counted for a note above the frame. Nothing is
 * ever fetched. The rewrite works on the markup as text: it is for display in the sandbox, the
 * stored message is never changed.
 */

export interface PreparedHtml {
  readonly html: string;
  /** Remote image references replaced (img/background/poster/srcset attributes and CSS url()). */
  readonly remoteBlocked: number;
  /** `cid:` references that now show their part. */
  readonly inlineShown: number;
}

/** A `data:` URL for the part with this Content-ID (no angle brackets), or null when it is not a raster image we show. */
export type InlineImageUrl = (contentId: string) => string | null;

const PLACEHOLDER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="28" viewBox="0 0 180 28">' +
  '<rect x=".5" y=".5" width="179" height="27" rx="3" fill="#f3f4f6" stroke="#6b7280" stroke-dasharray="4 3"/>' +
  '<text x="90" y="18" font-family="sans-serif" font-size="12" text-anchor="middle" fill="#374151">remote image blocked</text></svg>';

/** What a blocked remote image shows instead of a broken-image icon. */
export const REMOTE_IMAGE_PLACEHOLDER = `data:image/svg+xml,${encodeURIComponent(PLACEHOLDER_SVG)}`;

const URL_ATTRIBUTE = /(\s(?:src|background|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SRCSET_ATTRIBUTE = /(\ssrcset\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)/gi;
const REMOTE = /^\s*(?:https?:)?\/\//i;
const CID = /^\s*cid:/i;

/**
 * The most `data:` URL text one document inlines. A message may name the same 2 MB part
 * thousands of times: each part is looked up once, and past this budget further references
 * stay `cid:` (which the frame's CSP does not load) instead of growing the page without bound.
 */
export const INLINE_IMAGES_BUDGET_CHARS = 16 * 1024 * 1024;

export function prepareMailHtml(html: string, inlineImage: InlineImageUrl): PreparedHtml {
  let remoteBlocked = 0;
  let inlineShown = 0;
  let inlinedChars = 0;
  const partUrls = new Map<string, string | null>();
  const inlineOnce = (contentId: string): string | null => {
    if (!partUrls.has(contentId)) partUrls.set(contentId, inlineImage(contentId));
    const url = partUrls.get(contentId) ?? null;
    if (url === null || inlinedChars + url.length > INLINE_IMAGES_BUDGET_CHARS) return null;
    inlinedChars += url.length;
    return url;
  };
  /** The URL to use instead of `url`, or null to leave it as it is. */
  const replacement = (url: string, blocked: string): string | null => {
    if (REMOTE.test(url)) {
      remoteBlocked += 1;
      return blocked;
    }
    if (!CID.test(url)) return null;
    const shown = inlineOnce(contentIdOf(url));
    if (shown !== null) inlineShown += 1;
    return shown;
  };
  const rewritten = html
    .replace(URL_ATTRIBUTE, (whole, prefix: string, double?: string, single?: string, bare?: string) => {
      const next = replacement(double ?? single ?? bare ?? '', REMOTE_IMAGE_PLACEHOLDER);
      return next === null ? whole : `${prefix}"${next}"`;
    })
    .replace(SRCSET_ATTRIBUTE, (whole, prefix: string, double?: string, single?: string, bare?: string) => {
      // One remote candidate is enough for the browser to try it: drop the whole list.
      const candidates = (double ?? single ?? bare ?? '').split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '');
      const remote = candidates.filter((candidate) => REMOTE.test(candidate)).length;
      if (remote === 0) return whole;
      remoteBlocked += remote;
      return `${prefix}""`;
    })
    .replace(CSS_URL, (whole, double?: string, single?: string, bare?: string) => {
      const next = replacement(double ?? single ?? bare ?? '', 'none');
      if (next === null) return whole;
      return next === 'none' ? 'none' : `url("${next}")`;
    });
  return { html: rewritten, remoteBlocked, inlineShown };
}

/** RFC 2392: `cid:` then the Content-ID without brackets, URL-encoded. */
function contentIdOf(url: string): string {
  const encoded = url.trim().slice(4);
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
