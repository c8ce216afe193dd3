/**
 * Why a message the sandbox received was not accepted after all: what its onMessage hook
 * throws (or rejects with) when the message could not be kept. The sandbox answers the end of
 * the data with it: 451 for this message, 421 (and the connection closes) when no message can
 * be accepted now. Both carry the enhanced code 4.3.0, a mail system error (RFC 3463).
 */
export class MailRefusal extends Error {
  constructor(
    readonly responseCode: 451 | 421,
    text: string,
  ) {
    super(text);
  }
}
