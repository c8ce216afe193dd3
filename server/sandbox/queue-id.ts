import { randomBytes } from 'node:crypto';

/** A Postfix-style queue id (10 upper-case hex digits): unique enough to find a message. */
export function newQueueId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}
