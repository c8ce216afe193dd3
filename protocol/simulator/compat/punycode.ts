/**
 * punycode.js 2.3's `toUnicode` (RFC 3492 decoding), which smtp-server applies to the domain
 * of every MAIL FROM and RCPT TO address. It throws a RangeError on invalid input; smtp-server
 * then refuses the address.
 */

const MAX_INT = 2147483647;
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const SEPARATORS = /[\x2E\u3002\uFF0E\uFF61]/g;

/** Converts the `xn--` labels of a domain (or the domain of an address) to Unicode. */
export function toUnicode(input: string): string {
  const parts = input.split('@');
  let prefix = '';
  let domain = input;
  if (parts.length > 1) {
    prefix = `${parts[0]}@`;
    domain = parts[1] ?? '';
  }
  const labels = domain.replace(SEPARATORS, '.').split('.');
  // punycode.js converts the last label first, which decides which error is thrown.
  const converted: string[] = [];
  for (let index = labels.length - 1; index >= 0; index--) {
    const label = labels[index] ?? '';
    converted[index] = /^xn--/.test(label) ? decode(label.slice(4).toLowerCase()) : label;
  }
  return prefix + converted.join('.');
}

function fail(message: string): never {
  throw new RangeError(message);
}

function basicToDigit(codePoint: number): number {
  if (codePoint >= 0x30 && codePoint < 0x3a) return 26 + (codePoint - 0x30);
  if (codePoint >= 0x41 && codePoint < 0x5b) return codePoint - 0x41;
  if (codePoint >= 0x61 && codePoint < 0x7b) return codePoint - 0x61;
  return BASE;
}

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let k = 0;
  delta = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  for (; delta > ((BASE - T_MIN) * T_MAX) >> 1; k += BASE) delta = Math.floor(delta / (BASE - T_MIN));
  return Math.floor(k + ((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

function decode(input: string): string {
  const output: number[] = [];
  let i = 0;
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  const basic = Math.max(input.lastIndexOf('-'), 0);
  for (let j = 0; j < basic; ++j) {
    if (input.charCodeAt(j) >= 0x80) fail('Illegal input >= 0x80 (not a basic code point)');
    output.push(input.charCodeAt(j));
  }
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
    const oldi = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) fail('Invalid input');
      const digit = basicToDigit(input.charCodeAt(index++));
      if (digit >= BASE) fail('Invalid input');
      if (digit > Math.floor((MAX_INT - i) / w)) fail('Overflow: input needs wider integers to process');
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) fail('Overflow: input needs wider integers to process');
      w *= BASE - t;
    }
    const out = output.length + 1;
    bias = adapt(i - oldi, out, oldi === 0);
    if (Math.floor(i / out) > MAX_INT - n) fail('Overflow: input needs wider integers to process');
    n += Math.floor(i / out);
    i %= out;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
