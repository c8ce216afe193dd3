/** The statechart of the session model; guards and actions live in session-setup.ts. */
import { initialSessionContext } from './initial-context.ts';
import { sessionSetup } from './session-setup.ts';

/** A 421 ends the session whatever the state (RFC 5321 §3.8). */
const serverClosing = [
  { guard: 'isServiceClosing', target: '#session.closing', actions: ['recordClosingReply', 'noteServerClosing'] },
] as const;

const greeting = [
  { guard: { type: 'isReplyCode', params: { code: 220 } }, target: '#session.greeted', actions: 'recordGreeting' },
  { target: '#session.closing', actions: 'recordGreeting' },
] as const;

/** Replies that move the command states forward; other replies fall through to the root. */
const commandReplies = [
  ...serverClosing,
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'EHLO' } },
    target: '#session.identified.idle',
    actions: ['answerPending', 'recordIdentity', 'resetEnvelope'],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'HELO' } },
    target: '#session.identified.idle',
    actions: ['answerPending', 'recordIdentity', 'resetEnvelope'],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'RSET' } },
    target: '#session.resuming',
    actions: ['answerPending', 'resetEnvelope'],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'MAIL' } },
    target: '#session.identified.transaction.hasSender',
    actions: ['answerPending', 'recordSender'],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'RCPT' } },
    target: '#session.identified.transaction.hasRecipients',
    actions: ['answerPending', 'recordRecipient'],
  },
  {
    guard: 'isAcceptedLastChunk',
    target: '#session.identified.idle',
    actions: ['answerPending', 'recordMessage', 'resetEnvelope'],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'BDAT' } },
    target: '#session.identified.transaction.hasRecipients',
    actions: ['answerPending'],
  },
  { guard: { type: 'isAcceptedReplyTo', params: { kind: 'QUIT' } }, target: '#session.closing', actions: ['answerPending'] },
] as const;

/** A mode-changing command became the oldest pending one: show what the session waits for. */
const awaitModeChange = [
  { guard: { type: 'isNextPending', params: { kind: 'DATA' } }, target: '#session.awaitingDataGo' },
  { guard: { type: 'isNextPending', params: { kind: 'AUTH' } }, target: '#session.authenticating' },
  { guard: { type: 'isNextPending', params: { kind: 'STARTTLS' } }, target: '#session.startingTls' },
] as const;

export const sessionMachine = sessionSetup.createMachine({
  id: 'session',
  description: 'One SMTP conversation, observed from both sides of the wire.',
  initial: 'disconnected',
  context: initialSessionContext,
  on: {
    'client.line': { actions: 'queueCommand' },
    'client.heldLine': { actions: 'queueCommand' },
    'client.dataLines': { actions: 'replayDataLines' },
    'server.reply': [
      ...serverClosing,
      { guard: 'hasPending', actions: 'answerPending' },
      { actions: 'recordUnexpectedReply' },
    ],
    'socket.opened': { actions: 'recordConnection' },
    'socket.closed': { target: '.closed', actions: 'recordClose' },
    'tls.established': { actions: 'recordTls' },
    'tls.failed': { actions: 'recordTlsFailure' },
  },
  states: {
    disconnected: {
      description: 'No connection yet.',
      on: {
        'socket.opened': { target: 'awaitingGreeting', actions: 'recordConnection' },
        'server.reply': greeting,
      },
    },
    awaitingGreeting: {
      description: 'Connected. The client waits for the server\'s 220 greeting before saying anything.',
      on: {
        'server.reply': greeting,
        'client.line': { actions: ['queueCommand', 'noteEarlyLine'] },
      },
    },
    greeted: {
      description: 'The server greeted you; it does not know who you are yet. Send EHLO (or HELO).',
      always: awaitModeChange,
      on: { 'server.reply': commandReplies },
    },
    identified: {
      description: 'The server accepted your EHLO/HELO.',
      initial: 'idle',
      always: awaitModeChange,
      on: { 'server.reply': commandReplies },
      states: {
        idle: { description: 'No mail transaction: start one with MAIL FROM.' },
        transaction: {
          description: 'A mail transaction is open (RFC 5321 §3.3).',
          initial: 'hasSender',
          states: {
            hasSender: { description: 'The server accepted the sender (MAIL FROM). Add recipients with RCPT TO.' },
            hasRecipients: { description: 'At least one recipient accepted. Add more, or send DATA.' },
          },
        },
      },
    },
    awaitingDataGo: {
      description: 'DATA sent: waiting for 354 (go ahead) or a refusal.',
      on: {
        'server.reply': [
          ...serverClosing,
          { guard: { type: 'isReplyCode', params: { code: 354 } }, target: 'data', actions: ['startMessage', 'answerPending'] },
          { target: 'resuming', actions: 'answerPending' },
        ],
      },
    },
    data: {
      description: 'The server takes every line as message data until a line with only `.`.',
      on: {
        'client.line': [{ guard: 'isEndOfData', target: 'awaitingDataReply', actions: 'queueEndOfData' }, { actions: 'appendMessageLine' }],
        'client.heldLine': [{ guard: 'isEndOfData', target: 'awaitingDataReply', actions: 'queueEndOfData' }, { actions: 'appendMessageLine' }],
        'client.dataLines': { actions: 'appendMessageLines' },
      },
    },
    awaitingDataReply: {
      description: 'Message sent (`.`): waiting for the server to accept or refuse it.',
      on: {
        'server.reply': [
          ...serverClosing,
          {
            guard: { type: 'isAcceptedReplyTo', params: { kind: 'END-OF-DATA' } },
            target: '#session.identified.idle',
            actions: ['answerPending', 'recordMessage', 'resetEnvelope'],
          },
          {
            guard: { type: 'isReplyTo', params: { kind: 'END-OF-DATA' } },
            target: '#session.identified.idle',
            actions: ['answerPending', 'resetEnvelope'],
          },
        ],
      },
    },
    authenticating: {
      description: 'An AUTH exchange (RFC 4954): challenges (334) and your base64 answers.',
      initial: 'awaitingReply',
      states: {
        awaitingReply: {
          description: 'Waiting for the server: 334 asks for more, 235 means success.',
          on: {
            'server.reply': [
              ...serverClosing,
              { guard: { type: 'isReplyCode', params: { code: 334 } }, target: 'awaitingResponse', actions: 'answerPending' },
              { guard: 'isPositiveReply', target: '#session.resuming', actions: ['answerPending', 'recordAuth'] },
              { target: '#session.resuming', actions: 'answerPending' },
            ],
          },
        },
        awaitingResponse: {
          description: 'The server sent a 334 challenge and reads your next line as the answer (`*` cancels).',
          on: {
            'client.line': { target: 'awaitingReply', actions: 'queueAuthResponse' },
            'client.heldLine': { target: 'awaitingReply', actions: 'queueAuthResponse' },
          },
        },
      },
    },
    startingTls: {
      description: 'STARTTLS (RFC 3207): switching the connection to TLS.',
      initial: 'awaitingReady',
      states: {
        awaitingReady: {
          description: 'STARTTLS sent: waiting for 220 (ready to start TLS) or a refusal.',
          on: {
            'server.reply': [
              ...serverClosing,
              { guard: { type: 'isReplyCode', params: { code: 220 } }, target: 'handshaking', actions: 'answerPending' },
              { target: '#session.resuming', actions: 'answerPending' },
            ],
          },
        },
        handshaking: {
          description: 'The TLS handshake is running; no SMTP lines until it is done.',
          on: {
            'tls.established': { target: '#session.greeted', actions: ['recordTls', 'resetForTls'] },
            'tls.failed': { target: '#session.closing', actions: 'recordTlsFailure' },
            'client.line': { actions: 'discardLine' },
            'client.heldLine': { actions: 'discardLine' },
          },
        },
      },
    },
    resuming: {
      description: 'Back to commands, in the state the envelope shows.',
      always: [
        { guard: 'hasRecipients', target: '#session.identified.transaction.hasRecipients' },
        { guard: 'hasSender', target: '#session.identified.transaction.hasSender' },
        { guard: 'isIdentified', target: '#session.identified.idle' },
        { target: '#session.greeted' },
      ],
    },
    closing: {
      description: 'QUIT accepted or the server said 421: the connection is about to close.',
    },
    closed: {
      description: 'The connection is closed.',
      on: {
        'client.line': { actions: 'recordLineAfterClose' },
        'client.heldLine': { actions: 'recordLineAfterClose' },
      },
    },
  },
});
