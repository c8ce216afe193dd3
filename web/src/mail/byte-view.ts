/**
 * The stored bytes of a message, shown faithfully: runs of valid UTF-8 (ASCII included) as
 * text, and every byte that is not part of a valid UTF-8 sequence as its own hex mark, so
 * a windows-1252 "é" (E9) shows as ⟨E9⟩ instead of the U+FFFD a plain decode would make.
 */

export type ByteSegment =
  | { readonly kind: 'text'; readonly text: string }
  /** One byte that is not valid UTF-8 where it stands, as two hex digits. */
  | { readonly kind: 'byte'; readonly hex: string };

export interface ByteView {
  readonly segments: readonly ByteSegment[];
  /** How many bytes were not valid UTF-8. */
  readonly undecodable: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Splits `bytes` into text runs and marked bytes; the runs decode exactly (BOM kept). */
export function byteView(bytes: Uint8Array): ByteView {
  const segments: ByteSegment[] = [];
  let runStart = 0;
  let undecodable = 0;
  let at = 0;
  const flush = (end: number): void => {
    if (end > runStart) segments.push({ kind: 'text', text: utf8.decode(bytes.subarray(runStart, end)) });
  };
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    flush(at);
    segments.push({ kind: 'byte', hex: (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0') });
    undecodable += 1;
    at += 1;
    runStart = at;
  }
  flush(at);
  return { segments, undecodable };
}

/** The length of the valid UTF-8 sequence at `at` (RFC 3629 §4), or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at] ?? 0;
  if (first < 0x80) return 1;
  const continuation = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = bytes[at + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (first >= 0xc2 && first <= 0xdf) return continuation(1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    // No overlongs (E0 needs A0..BF) and no surrogates (ED needs 80..9F).
    const [low, high] = first === 0xe0 ? [0xa0, 0xbf] : first === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    // No overlongs (F0 needs 90..BF) and nothing past U+10FFFF (F4 needs 80..8F).
    const [low, high] = first === 0xf0 ? [0x90, 0xbf] : first === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}
