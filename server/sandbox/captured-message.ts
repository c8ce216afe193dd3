/** A message the sandbox accepted: kept, never delivered anywhere. */
export interface CapturedMessage {
  /** The queue id the server named in its 250 reply to the end of data. */
  readonly queueId: string;
  readonly receivedAt: Date;
  /** The envelope sender; "" for the null reverse-path `<>`. */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** The message exactly as received after dot-unstuffing, CRLF line ends included. */
  readonly raw: Buffer;
  /** The name the client gave in EHLO/HELO. */
  readonly clientHelo: string;
  readonly remoteAddress: string;
  /** The account the client authenticated as, if any. */
  readonly authenticatedUser: string | null;
  /** Whether the session was TLS-protected when the message arrived. */
  readonly secure: boolean;
}
