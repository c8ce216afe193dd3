/** `message` and `messages`: what the server accepted with a 2xx after the end of data. */
import { readHeaderFields, type HeaderField } from '../../mail/header-fields.ts';
import type { CompletedMessage } from '../../session/types.ts';
import type { CountSpec, HeaderSpec, MessageSpec } from '../goal-types.ts';
import { countMatches, describeCount, type Verdict } from './verdict.ts';

/** Some message accepted in this connection matches every part of the spec. */
export function evaluateMessage(spec: MessageSpec, messages: readonly CompletedMessage[]): Verdict {
  const passed = messages.some((message) => messageMatches(spec, message));
  const details = describeMessage(spec);
  return {
    passed,
    label: `The server accepts a message${details}`,
    notYet: `the server has not accepted a message${details}`,
  };
}

/** The number of messages accepted in this connection. */
export function evaluateMessageCount(spec: CountSpec, messages: readonly CompletedMessage[]): Verdict {
  const wanted = describeCount(spec, 'message', 'messages');
  return {
    passed: countMatches(messages.length, spec),
    label: `The server accepts ${wanted} in this connection`,
    notYet: `the server has accepted ${describeCount(messages.length, 'message', 'messages')}, not ${wanted}`,
  };
}

function messageMatches(spec: MessageSpec, message: CompletedMessage): boolean {
  if (spec.sender !== undefined && message.sender.toLowerCase() !== spec.sender.toLowerCase()) return false;
  if (spec.recipients !== undefined && !countMatches(message.recipients.length, spec.recipients)) return false;
  if (spec.body !== undefined && !new RegExp(spec.body, 'm').test(message.body)) return false;
  if (spec.headers !== undefined) {
    const fields = readHeaderFields(message.body);
    if (!spec.headers.every((header) => hasHeader(fields, header))) return false;
  }
  return true;
}

function hasHeader(fields: readonly HeaderField[], spec: HeaderSpec): boolean {
  const name = spec.name.toLowerCase();
  return fields.some(
    (field) => field.name.toLowerCase() === name && (spec.matches === undefined || new RegExp(spec.matches, 'i').test(field.value)),
  );
}

function describeMessage(spec: MessageSpec): string {
  const parts: string[] = [];
  if (spec.sender !== undefined) parts.push(spec.sender === '' ? 'from the null sender <>' : `from <${spec.sender}>`);
  if (spec.recipients !== undefined) parts.push(`for ${describeCount(spec.recipients, 'recipient', 'recipients')}`);
  if (spec.headers !== undefined) parts.push(`with the header${spec.headers.length > 1 ? 's' : ''} ${spec.headers.map(describeHeader).join(', ')}`);
  if (spec.body !== undefined) parts.push(`whose text matches /${spec.body}/`);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

function describeHeader(header: HeaderSpec): string {
  return header.matches === undefined ? `${header.name}:` : `${header.name}: (matching /${header.matches}/)`;
}
