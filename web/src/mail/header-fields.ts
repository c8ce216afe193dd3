/** The address fields and subject a mail reader shows, from a message's header section. */
import { addressParser, decodeWords, type Address } from 'postal-mime';
import { readHeaderFields } from '../../../protocol/mail/header-fields.ts';

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
