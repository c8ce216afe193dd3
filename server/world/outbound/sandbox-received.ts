/**
 * Reading a relayed message's Received fields (Buffer-based, Node only); the sandbox's own
 * Received line is written by protocol/world/received-header.ts.
 */

/** Whether the message's header already starts with the sandbox's own Received line. */
export function hasReceivedBy(raw: Buffer, serverHostname: string): boolean {
  const head = raw.subarray(0, 2048).toString('latin1');
  return /^Received:[^\r\n]*(\r\n[ \t][^\r\n]*)*/i.test(head) && new RegExp(`\\bby ${serverHostname.replace(/\./g, '\\.')}\\b`, 'i').test(head.split(/\r\n(?![ \t])/)[0] ?? '');
}

/** How many Received fields the message's header section holds (RFC 5321 §6.3 counts them to catch loops). */
export function receivedCount(raw: Buffer): number {
  const end = raw.indexOf('\r\n\r\n');
  const header = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  return header.split('\r\n').filter((line) => /^received[ \t]*:/i.test(line)).length;
}
