/**
 * What the fuzz test throws at the live process: SMTP byte streams for the SMTP port and
 * WebSocket frames for /ws, each drawn from a seeded generator so a failure can be replayed.
 */
import { WIRE_PROTOCOL_VERSION, type ServerMessage, type WireSessionEvent } from '../../../protocol/wire/contract.ts';
import type { SeededRandom } from './seeded-random.ts';

/** One SMTP connection's input: chunks written one after another, then a half-close or not. */
export interface SmtpFuzzCase {
  readonly kind: string;
  readonly chunks: readonly Buffer[];
  readonly halfClose: boolean;
}

/**
 * A frame to send, or a pause until the server has sent a message (or session event) of this
 * type: text sent before the greeting would only meet "session still connecting" or "talk too soon".
 */
export type WsFuzzStep =
  | { readonly data: string | Buffer; readonly binary: boolean }
  | { readonly waitFor: ServerMessage['type'] | WireSessionEvent['type'] };

/** One WebSocket connection's input. */
export interface WsFuzzCase {
  readonly kind: string;
  readonly frames: readonly WsFuzzStep[];
  /** Drop the TCP connection instead of a closing handshake. */
  readonly abrupt: boolean;
}

const CRLF = '\r\n';
const VALID_STEPS = ['EHLO fuzz.example', 'MAIL FROM:<fuzz@example.com>', 'RCPT TO:<friend@example.org>', 'DATA', 'Subject: fuzz', '', 'body line', '.', 'QUIT'];

/** A TLS 1.2/1.3 ClientHello record header with a random (mostly nonsensical) body. */
function clientHello(random: SeededRandom): Buffer {
  const body = random.bytes(random.int(0, 600));
  const header = Buffer.from([0x16, 0x03, random.pick([0x00, 0x01, 0x03]), (body.length >> 8) & 0xff, body.length & 0xff, 0x01]);
  return Buffer.concat([header, body]);
}

function splitIntoChunks(random: SeededRandom, bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  const pieces = random.int(1, 5);
  for (let i = 1; i < pieces && at < bytes.length; i++) {
    const end = random.int(at, bytes.length);
    chunks.push(bytes.subarray(at, end));
    at = end;
  }
  chunks.push(bytes.subarray(at));
  return chunks.filter((chunk) => chunk.length > 0);
}

const SMTP_GENERATORS: Readonly<Record<string, (random: SeededRandom) => Buffer>> = {
  garbage: (random) => random.bytes(random.int(1, 4096)),
  nuls: (random) => Buffer.concat([Buffer.from('EHLO a\0b\r\n'), Buffer.alloc(random.int(1, 2048), 0), Buffer.from(CRLF)]),
  'huge line': (random) => Buffer.from(`${random.pick(['EHLO ', 'MAIL FROM:<', 'NOOP ', ''])}${'a'.repeat(random.int(2049, 200_000))}${random.chance(0.5) ? CRLF : ''}`),
  'bare line ends': (random) => Buffer.from(VALID_STEPS.map((step) => step + random.pick(['\n', '\r', CRLF, '\n\r'])).join('')),
  'valid prefix, then junk': (random) =>
    Buffer.concat([Buffer.from(VALID_STEPS.slice(0, random.int(1, 7)).join(CRLF) + CRLF), random.bytes(random.int(1, 2048))]),
  'TLS ClientHello': (random) => (random.chance(0.5) ? Buffer.concat([Buffer.from(`EHLO fuzz.example${CRLF}STARTTLS${CRLF}`), clientHello(random)]) : clientHello(random)),
  mutated: (random) => random.mutate(Buffer.from(VALID_STEPS.join(CRLF) + CRLF), random.int(1, 12)),
  'pipelined flood': (random) =>
    Buffer.from(`EHLO fuzz.example${CRLF}MAIL FROM:<a@example.com>${CRLF}${`RCPT TO:<b@example.org>${CRLF}`.repeat(random.int(50, 300))}${'NOOP\r\n'.repeat(random.int(0, 500))}`),
  'DATA without an end': (random) =>
    Buffer.from(`${VALID_STEPS.slice(0, 4).join(CRLF)}${CRLF}Subject: unfinished${CRLF}${CRLF}${`${random.text(80)}${CRLF}`.repeat(random.int(1, 2000))}`),
  'long line inside DATA': (random) =>
    Buffer.from(`${VALID_STEPS.slice(0, 4).join(CRLF)}${CRLF}Subject: long${CRLF}${CRLF}${'x'.repeat(random.int(1000, 300_000))}${CRLF}.${CRLF}QUIT${CRLF}`),
};

export function smtpFuzzCase(random: SeededRandom): SmtpFuzzCase {
  const kind = random.pick(Object.keys(SMTP_GENERATORS));
  return { kind, chunks: splitIntoChunks(random, SMTP_GENERATORS[kind]!(random)), halfClose: random.chance(0.5) };
}

const hello = JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION });
const open = JSON.stringify({ type: 'session.open', target: 'sandbox' });
const text = (frame: string) => ({ data: frame, binary: false });
const send = (value: string) => text(JSON.stringify({ type: 'session.send', text: value }));
const greeted: WsFuzzStep = { waitFor: 'server.reply' };

const WS_GENERATORS: Readonly<Record<string, (random: SeededRandom) => WsFuzzCase['frames']>> = {
  'malformed JSON': (random) =>
    [
      ...Array.from({ length: random.int(1, 8) }, () => random.pick(['{', '{"type":', '[]', 'null', '1e999', '"hello"', '{"type":"hello","version":1', '\u0000', ''])),
      random.text(random.int(1, 3000)),
      '['.repeat(random.int(1000, 50_000)),
    ].map(text),
  'wrong types': (random) =>
    [
      { type: 'hello', version: String(WIRE_PROTOCOL_VERSION) },
      { type: 'hello', version: 1e308 },
      { type: 42 },
      { type: 'session.open', target: random.int(0, 9) },
      { type: 'session.open', target: { toString: null } },
      { type: 'session.send', text: null },
      { type: 'session.send', text: 'NOOP\r\n', extra: true },
      { type: 'watch', studentId: [] },
      { type: 'unwatch', studentId: 'nobody' },
    ]
      .map((message) => text(JSON.stringify(message)))
      // Written out: an object literal would take `__proto__` as its prototype, not as a key.
      .concat([`{"__proto__":{"type":"hello","version":${WIRE_PROTOCOL_VERSION}}}`, '{"type":"ping","constructor":{"prototype":{"polluted":true}}}'].map(text)),
  'huge strings': (random) => [
    text(hello),
    text(open),
    greeted,
    send(`NOOP ${'n'.repeat(random.int(1024, 1024 * 1024 + 4096))}\r\n`),
    text(JSON.stringify({ type: 'session.open', target: 't'.repeat(random.int(1000, 500_000)) })),
    ...(random.chance(0.3) ? [text(JSON.stringify({ type: 'ping', pad: 'p'.repeat(2 * 1024 * 1024 + 16) }))] : []),
  ],
  'binary frames': (random) => Array.from({ length: random.int(1, 5) }, () => ({ data: random.bytes(random.int(0, 70_000)), binary: true })),
  'out of order': (random) => {
    const frames = [
      send('NOOP\r\n'),
      text(open),
      text(JSON.stringify({ type: 'session.close' })),
      text(hello),
      text(hello),
      text(open),
      text(open),
      text(JSON.stringify({ type: 'session.open', target: 'nowhere.example:25' })),
      text(JSON.stringify({ type: 'ping' })),
      text(JSON.stringify({ type: 'session.close' })),
      text(JSON.stringify({ type: 'session.close' })),
      send('EHLO late.example\r\n'),
      text(JSON.stringify({ type: 'hello', version: WIRE_PROTOCOL_VERSION + random.int(1, 5) })),
    ];
    // Shuffled (Fisher–Yates with the seeded generator).
    for (let i = frames.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [frames[i], frames[j]] = [frames[j]!, frames[i]!];
    }
    return frames;
  },
  'session with random text': (random) => [
    text(hello),
    text(open),
    greeted,
    // A valid start of random length first, so the random text also lands in MAIL, RCPT and DATA states.
    ...VALID_STEPS.slice(0, random.int(0, 4)).map((step) => send(`${step}\r\n`)),
    ...Array.from({ length: random.int(1, 15) }, () =>
      send(
        random.pick([
          () => `${random.pick(VALID_STEPS)}${random.pick(['\r\n', '\n', '\r', ''])}`,
          () => random.text(random.int(0, 2000)),
          () => 'STARTTLS\r\n',
          () => `DATA\r\n${random.text(random.int(0, 5000))}\r\n.\r\n`,
          () => `AUTH PLAIN ${Buffer.from(random.bytes(random.int(0, 200))).toString('base64')}\r\n`,
          () => `${'RCPT TO:<x@example.org>\r\n'.repeat(random.int(1, 60))}`,
        ])(),
      ),
    ),
    ...(random.chance(0.5) ? [text(JSON.stringify({ type: 'session.close' }))] : []),
  ],
  'mutated valid messages': (random) =>
    [hello, open, JSON.stringify({ type: 'session.send', text: 'EHLO m.example\r\n' }), JSON.stringify({ type: 'ping' })].map((frame) =>
      text(random.mutate(Buffer.from(frame), random.int(1, 6)).toString('utf8')),
    ),
};

export function wsFuzzCase(random: SeededRandom): WsFuzzCase {
  const kind = random.pick(Object.keys(WS_GENERATORS));
  return { kind, frames: WS_GENERATORS[kind]!(random), abrupt: random.chance(0.5) };
}
