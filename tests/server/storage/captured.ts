/** Builds CapturedMessage values for the storage and HTTP tests. */
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { CapturedMessage } from '../../../server/sandbox/captured-message.ts';

let counter = 0;

/** A captured message around `raw`, with a fresh queue id and increasing arrival times. */
export function captured(raw: Buffer | string, overrides: Partial<CapturedMessage> = {}): CapturedMessage {
  counter += 1;
  return {
    queueId: `Q${counter.toString(16).toUpperCase().padStart(8, '0')}`,
    receivedAt: new Date(Date.UTC(2025, 0, 1) + counter * 1000),
    mailFrom: 'sender@example.com',
    rcptTo: ['rcpt@example.org'],
    raw: typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw,
    clientHelo: 'client.example.com',
    remoteAddress: '127.0.0.1',
    authenticatedUser: null,
    secure: false,
    ...overrides,
  };
}

/** A MIME message built by nodemailer, the way a real client would send it. */
export async function composeMime(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** A simple hand-written message with a subject, for tests that only need something to store. */
export function simpleRaw(subject: string): string {
  return `From: a@example.com\r\nTo: b@example.org\r\nSubject: ${subject}\r\n\r\nHello\r\n`;
}
