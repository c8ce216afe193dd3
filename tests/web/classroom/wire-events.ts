/** Wire events of a short live conversation, as the bridge sends and records them. */
export const greeting = { type: 'server.reply', reply: { code: 220, lines: ['220 sandbox ESMTP'], texts: ['sandbox ESMTP'], enhanced: null }, raw: '220 sandbox ESMTP\r\n' };
export const opened = { type: 'socket.opened', server: '127.0.0.1:2525' };
export const ehlo = { type: 'client.line', text: 'EHLO ana.example', raw: 'EHLO ana.example\r\n' };
export const ehloReply = {
  type: 'server.reply',
  reply: { code: 250, lines: ['250-sandbox Hello', '250 8BITMIME'], texts: ['sandbox Hello', '8BITMIME'], enhanced: null },
  raw: '250-sandbox Hello\r\n250 8BITMIME\r\n',
};
export const noop = { type: 'client.line', text: 'NOOP', raw: 'NOOP\r\n' };
export const noopReply = {
  type: 'server.reply',
  reply: { code: 250, lines: ['250 2.0.0 OK'], texts: ['OK'], enhanced: { statusClass: 2, subject: 0, detail: 0, text: '2.0.0' } },
  raw: '250 2.0.0 OK\r\n',
};
