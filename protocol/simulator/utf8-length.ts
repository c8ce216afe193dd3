/**
 * Length of text in UTF-8 bytes: servers count bytes, not characters, for the command line
 * limit and the message size. A lone surrogate counts as U+FFFD (3 bytes), as a real
 * transport would encode it, except U+DC80–U+DCFF: a host that read a byte which is not
 * valid UTF-8 passes it as one of these ("surrogateescape"), and it counts the 1 byte it was.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      index++;
    } else bytes += escapedByte(text[index] ?? '') === null ? 3 : 1;
  }
  return bytes;
}

/** The wire byte a U+DC80–U+DCFF character stands for, or null for any other character. */
export function escapedByte(character: string): number | null {
  const unit = character.charCodeAt(0);
  return character.length === 1 && unit >= 0xdc80 && unit <= 0xdcff ? unit - 0xdc00 : null;
}
