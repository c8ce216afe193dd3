import { describe, expect, it } from 'vitest';
import { formatTranscriptJson, formatTranscriptText } from '../../../protocol/replay/format-transcript.ts';
import type { ReplayEvent } from '../../../protocol/replay/types.ts';

const events: ReplayEvent[] = [
  { type: 'socket.opened', server: '127.0.0.1:2525' },
  { type: 'server.reply', reply: { code: 220, lines: ['220 mx ESMTP'], texts: ['mx ESMTP'], enhanced: null } },
  { type: 'client.line', text: 'EHLO x' },
  {
    type: 'server.reply',
    reply: { code: 250, lines: ['250-mx hello', '250 SIZE 100'], texts: ['mx hello', 'SIZE 100'], enhanced: null },
  },
  { type: 'server.unreadable', line: '+OK POP3', message: 'not a reply' },
  { type: 'tls.established', tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', peerCertificate: 'localhost', simulated: false } },
  { type: 'tls.established', tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', simulated: true } },
  { type: 'tls.failed', reason: 'handshake failed' },
  { type: 'socket.closed', reason: null },
  { type: 'socket.closed', reason: 'connection reset by the server' },
];

describe('formatTranscriptText', () => {
  it('writes one C:/S: line per wire line and -- lines for the rest', () => {
    expect(formatTranscriptText(events).split('\n')).toEqual([
      '-- connected to 127.0.0.1:2525 --',
      'S: 220 mx ESMTP',
      'C: EHLO x',
      'S: 250-mx hello',
      'S: 250 SIZE 100',
      'S: +OK POP3',
      '-- not an SMTP reply: not a reply --',
      '-- TLS established: TLSv1.3 TLS_AES_256_GCM_SHA384 --',
      '-- TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256 (simulated) --',
      '-- TLS failed: handshake failed --',
      '-- connection closed --',
      '-- connection closed: connection reset by the server --',
      '',
    ]);
  });

  it('is empty for no events', () => {
    expect(formatTranscriptText([])).toBe('');
  });
});

describe('formatTranscriptJson', () => {
  it('writes one JSON object per event and line', () => {
    const lines = formatTranscriptJson(events).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { from: 'connection', event: 'opened', server: '127.0.0.1:2525' },
      { from: 'server', code: 220, lines: ['220 mx ESMTP'] },
      { from: 'client', text: 'EHLO x' },
      { from: 'server', code: 250, lines: ['250-mx hello', '250 SIZE 100'] },
      { from: 'server', code: null, lines: ['+OK POP3'], error: 'not a reply' },
      { from: 'tls', event: 'established', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', peerCertificate: 'localhost', simulated: false },
      { from: 'tls', event: 'established', protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', simulated: true },
      { from: 'tls', event: 'failed', reason: 'handshake failed' },
      { from: 'connection', event: 'closed', reason: null },
      { from: 'connection', event: 'closed', reason: 'connection reset by the server' },
    ]);
  });
});
