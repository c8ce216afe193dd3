/**
 * AUTH PLAIN and LOGIN credentials in base64 (RFC 4616, and the LOGIN mechanism's two
 * prompts). Base64 only makes arbitrary bytes safe to type on a text line; it hides nothing.
 */

/** base64 of the UTF-8 bytes of `text`. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The PLAIN message `authzid \0 authcid \0 password` with an empty authzid, in base64. */
export function encodePlain(user: string, password: string): string {
  return base64Utf8(`\0${user}\0${password}`);
}

/** LOGIN's two answers: the user name, then the password, each in base64. */
export function encodeLogin(user: string, password: string): { readonly user: string; readonly password: string } {
  return { user: base64Utf8(user), password: base64Utf8(password) };
}
