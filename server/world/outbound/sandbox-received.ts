/**
 * The Received header the sandbox prepends when it relays a message (RFC 5321 §4.4):
 * smtp-server adds none on acceptance, so the relay adds the sandbox's line of the trail,
 * dated in lab time, before the message leaves for the next hop.
 */
export interface SandboxReceivedFields {
  readonly helo: string;
  readonly clientAddress: string;
  readonly serverHostname: string;
  readonly queueId: string;
  readonly recipient: string;
  /** Lab ms. */
  readonly at: number;
}

export function sandboxReceivedHeader(fields: SandboxReceivedFields): string {
  const date = new Date(fields.at).toUTCString().replace(/GMT$/, '+0000');
  return (
    `Received: from ${fields.helo || 'unknown'} ([${fields.clientAddress}])\r\n` +
    `\tby ${fields.serverHostname} (SMTP Lab sandbox) with ESMTP id ${fields.queueId}\r\n` +
    `\tfor <${fields.recipient}>; ${date}\r\n`
  );
}

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
