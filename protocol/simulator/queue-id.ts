/** A Postfix-style queue id (10 upper-case hex digits), like the real sandbox's. */
export function randomQueueId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}
