/**
 * Reads the header section of a message synchronously, even an unfinished one (a draft still
 * being typed in DATA): unfolded fields, and the address fields a reader sees.
 */
import { addressParser, decodeWords, type Address } from 'postal-mime';

/** A field with its name as written (the lesson checks' HeaderField lower-cases it). */
export interface WrittenHeaderField {
  readonly name: string;
  readonly value: string;
}

/** The header fields before the first empty line, unfolded (RFC 5322 §2.2.3). */
export function readHeaderFields(raw: string): WrittenHeaderField[] {
  const fields: { name: string; value: string }[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line === '') break;
    const last = fields.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** "Alice <alice@example.com>" for each mailbox in the field, groups flattened. */
function formatAddresses(value: string): string[] {
  const format = (address: Address): string[] => {
    if (address.group !== undefined) return address.group.flatMap(format);
    const name = decodeWords(address.name);
    return [name === '' ? address.address : `${name} <${address.address}>`];
  };
  return addressParser(value).flatMap(format);
}

/** Only the bare address: what to compare with the envelope. */
export function bareAddresses(value: string): string[] {
  const bare = (address: Address): string[] => (address.group !== undefined ? address.group.flatMap(bare) : [address.address.toLowerCase()]);
  return addressParser(value).flatMap(bare);
}

export interface ReaderHeaders {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string | null;
  /** Every address in To/Cc/Bcc, lower case, for comparing with the envelope recipients. */
  readonly recipientAddresses: ReadonlySet<string>;
}

/** The fields a mail reader shows; missing fields are empty. */
export function readReaderHeaders(raw: string): ReaderHeaders {
  const fields = readHeaderFields(raw);
  const valuesOf = (name: string): string[] =>
    fields.filter((field) => field.name.toLowerCase() === name).map((field) => field.value);
  const list = (name: string): string[] => valuesOf(name).flatMap(formatAddresses);
  const subject = valuesOf('subject')[0];
  const recipientAddresses = new Set(['to', 'cc', 'bcc'].flatMap((name) => valuesOf(name).flatMap(bareAddresses)));
  return {
    from: list('from'),
    to: list('to'),
    cc: list('cc'),
    bcc: list('bcc'),
    subject: subject === undefined ? null : decodeWords(subject),
    recipientAddresses,
  };
}
