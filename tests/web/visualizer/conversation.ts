/**
 * Realistic panel data: a real conversation between the simulated server and the session
 * model, with replies read by the real reply grammar. No hand-written transcripts.
 */
import {
  createSessionActor,
  statePath,
  summarizeSession,
  type SessionActor,
  type SessionSummary,
  type TranscriptEntry,
} from '../../../protocol/session/index.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../../protocol/sandbox-config.ts';
import { SimulatedServer, type SimulatedMessage } from '../../../protocol/simulator/index.ts';
import { withPersonality } from '../../../web/src/session/personality-choice.ts';
import type { MailboxMessage } from '../../../web/src/session/view-types.ts';
import { replyReader } from '../../protocol/replies/reply-reader.ts';

export interface Conversation {
  readonly session: SessionActor;
  readonly server: SimulatedServer;
  readonly messages: SimulatedMessage[];
  /** Sends client lines (each gets CRLF) and feeds the server's replies to the model. */
  send(...lines: string[]): void;
  /** Completes the simulated TLS handshake after "220 Ready to start TLS". */
  startTls(): void;
  readonly transcript: readonly TranscriptEntry[];
  readonly summary: SessionSummary;
  readonly state: string;
}

/** Opens a simulated session: connected and greeted, nothing sent yet (smtp-server unless `personality` says). */
export function startConversation(personality: PersonalityName = 'smtp-server'): Conversation {
  const messages: SimulatedMessage[] = [];
  let queueCounter = 0;
  const server = new SimulatedServer({
    config: withPersonality(DEFAULT_SANDBOX_CONFIG, personality),
    newQueueId: () => `Q${String(++queueCounter).padStart(5, '0')}`,
    onMessage: (message) => messages.push(message),
  });
  const session = createSessionActor({ personality });
  const deliver = replyReader((reply) => session.send({ type: 'server.reply', reply }));
  session.send({ type: 'socket.opened', server: 'sandbox.smtp-lab.test:25' });
  deliver(server.greeting());
  return {
    session,
    server,
    messages,
    send(...clientLines) {
      for (const text of clientLines) {
        session.send({ type: 'client.line', text });
        deliver(server.receive(`${text}\r\n`));
      }
    },
    startTls() {
      session.send({ type: 'tls.established', tls: server.startTls() });
    },
    get transcript() {
      return session.transcript;
    },
    get summary() {
      return summarizeSession(session.getSnapshot());
    },
    get state() {
      return statePath(session.getSnapshot().value);
    },
  };
}

/** The message used across the tests: a Bcc-style recipient and a dot-stuffed line. */
export const SAMPLE_MESSAGE_LINES: readonly string[] = [
  'From: Alice <alice@example.com>',
  'To: Bob <bob@example.org>',
  'Subject: Lunch on Friday?',
  'Date: Fri, 21 Nov 2025 10:00:00 +0000',
  'Message-ID: <lunch-1@example.com>',
  '',
  'Hi Bob,',
  '..the line above started with a dot',
  'See you!',
];

/** A whole conversation: EHLO, MAIL, two RCPT (one not in the headers), DATA, the message. */
export function completedConversation(): Conversation {
  const conversation = startConversation();
  conversation.send(
    'EHLO client.example.com',
    'MAIL FROM:<bounces@example.com>',
    'RCPT TO:<bob@example.org>',
    'RCPT TO:<carol@example.net>',
    'DATA',
    ...SAMPLE_MESSAGE_LINES,
    '.',
  );
  return conversation;
}

/** An HTML message with a script and a CSV attachment, as MIME lines. */
export const HTML_MESSAGE_LINES: readonly string[] = [
  'From: Alice <alice@example.com>',
  'To: Bob <bob@example.org>',
  'Subject: Report with attachment',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello Bob, the report is attached.',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p id="greeting">Hello <b>Bob</b></p><script>window.parent.document.body.dataset.pwned = "yes"</script>',
  '--inner--',
  '--outer',
  'Content-Type: text/csv; name="report.csv"',
  'Content-Disposition: attachment; filename="report.csv"',
  'Content-Transfer-Encoding: base64',
  '',
  btoa('day,lunches\nFriday,2\n'),
  '--outer--',
];

/** The messages a simulated session accepted, shaped for the mailbox panel. */
export function mailboxMessages(conversation: Conversation): MailboxMessage[] {
  return conversation.messages.map((message, i) => ({
    id: message.queueId,
    source: 'simulated',
    receivedAt: new Date(Date.UTC(2025, 10, 21, 10, i)).toISOString(),
    mailFrom: message.mailFrom,
    rcptTo: message.rcptTo,
    queueId: message.queueId,
    size: new TextEncoder().encode(message.data).byteLength,
    raw: message.data,
    rawUrl: null,
    htmlUrl: null,
    messageUrl: null,
    headline: null,
  }));
}
