/**
 * What the envelope panel compares: the envelope of the open transaction (or of the last
 * accepted message) and the header fields of the message text.
 */
import type { SessionSummary } from '../../../../protocol/session/index.ts';
import { readReaderHeaders, type ReaderHeaders } from '../../mail/header-fields.ts';

export interface EnvelopeView {
  /** Where the envelope comes from. */
  readonly source: 'transaction' | 'last-message' | 'none';
  /** The reverse-path; "" for the null sender `<>`; null before MAIL FROM. */
  readonly sender: string | null;
  readonly recipients: readonly { readonly address: string; readonly inHeaders: boolean }[];
  readonly headers: ReaderHeaders | null;
  /** Header addresses no RCPT TO named: the server delivers no copy to them. */
  readonly headerOnly: readonly string[];
  readonly queueId: string | null;
}

/** Builds the comparison. `messageText` is the draft (or chosen message) when the host has it. */
export function envelopeView(summary: SessionSummary, messageText: string | null): EnvelopeView {
  const last = summary.messages.at(-1);
  const open = summary.envelope.sender !== null;
  const source = open ? 'transaction' : last !== undefined ? 'last-message' : 'none';
  const sender = open ? summary.envelope.sender : (last?.sender ?? null);
  const recipientList = open ? summary.envelope.recipients : (last?.recipients ?? []);
  const text = messageText ?? (open ? null : (last?.body ?? null));
  const headers = text === null ? null : readReaderHeaders(text);
  const inEnvelope = new Set(recipientList.map((address) => address.toLowerCase()));
  const headerAddresses = headers === null ? [] : [...headers.recipientAddresses];
  return {
    source,
    sender,
    recipients: recipientList.map((address) => ({ address, inHeaders: headers?.recipientAddresses.has(address.toLowerCase()) ?? false })),
    headers,
    headerOnly: headerAddresses.filter((address) => !inEnvelope.has(address)),
    queueId: open ? null : (last?.queueId ?? null),
  };
}

