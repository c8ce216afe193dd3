/**
 * The statechart of the session model. Guards live in session-setup.ts, with the publish
 * action and the few `enqueueActions` ones (a 421, replayed lines); every other action named
 * here is the function of the same name in transition-steps.ts.
 */
import { initialSessionContext } from './initial-context.ts';
import { sessionSetup } from './session-setup.ts';

/** Every step action is followed by the emit that publishes its transcript event (see session-setup.ts). */
const publish = ['publishTranscript'] as const;

/** A 421 ends the session whatever the state (RFC 5321 §3.8). */
const serverClosing = [{ guard: 'isServiceClosing', target: '#session.closing', actions: 'recordClosingReply' }] as const;

const greeting = [
  { guard: { type: 'isReplyCode', params: { code: 220 } }, target: '#session.greeted', actions: ['recordGreeting', ...publish] },
  { target: '#session.closing', actions: ['recordGreeting', ...publish] },
] as const;

/**
 * Replies in the command states. A rejection (4xx/5xx) answers the command and changes
 * nothing else; accepted replies move the state forward, most frequent first; other replies
 * (to NOOP, VRFY…) fall through to the root.
 */
const commandReplies = [
  ...serverClosing,
  { guard: 'isRejectionOfPending', actions: ['answerPending', ...publish] },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'RCPT' } },
    target: '#session.identified.transaction.hasRecipients',
    actions: ['acceptRecipient', ...publish],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'MAIL' } },
    target: '#session.identified.transaction.hasSender',
    actions: ['acceptSender', ...publish],
  },
  /** RSET empties the envelope: back to idle, or to greeted if the server never accepted EHLO/HELO. */
  {
    guard: 'isAcceptedResetWhenIdentified',
    target: '#session.identified.idle',
    actions: ['acceptReset', ...publish],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'RSET' } },
    target: '#session.greeted',
    actions: ['acceptReset', ...publish],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'EHLO' } },
    target: '#session.identified.idle',
    actions: ['acceptIdentity', ...publish],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'HELO' } },
    target: '#session.identified.idle',
    actions: ['acceptIdentity', ...publish],
  },
  {
    guard: 'isAcceptedLastChunk',
    target: '#session.identified.idle',
    actions: ['acceptMessage', ...publish],
  },
  {
    guard: { type: 'isAcceptedReplyTo', params: { kind: 'BDAT' } },
    target: '#session.identified.transaction.hasRecipients',
    actions: ['answerPending', ...publish],
  },
  { guard: { type: 'isAcceptedReplyTo', params: { kind: 'QUIT' } }, target: '#session.closing', actions: ['answerPending', ...publish] },
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
  context: ({ input }) => initialSessionContext(input ?? {}),
  /** Held lines a reply just settled are replayed before anything else happens. */
  always: { guard: 'hasReleasedLines', actions: 'releaseHeldLines' },
  on: {
    'client.line': { actions: ['queueCommand', ...publish] },
    'client.heldLine': { actions: ['queueCommand', ...publish] },
    'client.dataLines': { actions: 'replayDataLines' },
    'server.reply': [
      ...serverClosing,
      { guard: 'hasPending', actions: ['answerPending', ...publish] },
      { actions: ['recordUnexpectedReply', ...publish] },
    ],
    'socket.opened': { actions: ['recordConnection', ...publish] },
    'socket.closed': { target: '.closed', actions: ['recordClose', ...publish] },
    'tls.established': { actions: ['recordTls', ...publish] },
    'tls.failed': { actions: ['recordTlsFailure', ...publish] },
  },
  states: {
    disconnected: {
      description: 'No connection yet.',
      on: {
        'socket.opened': { target: 'awaitingGreeting', actions: ['recordConnection', ...publish] },
        'server.reply': greeting,
      },
    },
    awaitingGreeting: {
      description: 'Connected. The client waits for the server\'s 220 greeting before saying anything.',
      on: {
        'server.reply': greeting,
        'client.line': { actions: ['queueEarlyLine', ...publish] },
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
          { guard: { type: 'isReplyCode', params: { code: 354 } }, target: 'data', actions: ['startMessage', ...publish] },
          { target: 'resuming', actions: ['answerPending', ...publish] },
        ],
      },
    },
    data: {
      description: 'The server takes every line as message data until a line with only `.`.',
      on: {
        'client.line': [
          { guard: 'isEndOfData', target: 'awaitingDataReply', actions: ['queueEndOfData', ...publish] },
          { actions: ['appendMessageLine', ...publish] },
        ],
        'client.heldLine': [
          { guard: 'isEndOfData', target: 'awaitingDataReply', actions: ['queueEndOfData', ...publish] },
          { actions: ['appendMessageLine', ...publish] },
        ],
        'client.dataLines': [
          { guard: 'hasEndOfData', target: 'awaitingDataReply', actions: ['appendMessageLines', ...publish, 'replayLinesAfterEndOfData'] },
          { actions: ['appendMessageLines', ...publish] },
        ],
        'client.elided': { actions: ['appendElidedLines', ...publish] },
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
            actions: ['acceptMessage', ...publish],
          },
          {
            guard: { type: 'isReplyTo', params: { kind: 'END-OF-DATA' } },
            target: '#session.identified.idle',
            actions: ['closeTransaction', ...publish],
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
              { guard: { type: 'isReplyCode', params: { code: 334 } }, target: 'awaitingResponse', actions: ['answerPending', ...publish] },
              { guard: 'isPositiveReply', target: '#session.resuming', actions: ['acceptAuth', ...publish] },
              { target: '#session.resuming', actions: ['answerPending', ...publish] },
            ],
          },
        },
        awaitingResponse: {
          description: 'The server sent a 334 challenge and reads your next line as the answer (`*` cancels).',
          on: {
            'client.line': { target: 'awaitingReply', actions: ['queueAuthResponse', ...publish] },
            'client.heldLine': { target: 'awaitingReply', actions: ['queueAuthResponse', ...publish] },
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
              { guard: { type: 'isReplyCode', params: { code: 220 } }, target: 'handshaking', actions: ['answerPending', ...publish] },
              { target: '#session.resuming', actions: ['answerPending', ...publish] },
            ],
          },
        },
        handshaking: {
          description: 'The TLS handshake is running; no SMTP lines until it is done.',
          on: {
            'tls.established': { target: '#session.greeted', actions: ['restartAfterTls', ...publish] },
            'tls.failed': { target: '#session.closing', actions: ['recordTlsFailure', ...publish] },
            'client.line': { actions: ['discardLine', ...publish] },
            'client.heldLine': { actions: ['discardLine', ...publish] },
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
        'client.line': { actions: ['recordLineAfterClose', ...publish] },
        'client.heldLine': { actions: ['recordLineAfterClose', ...publish] },
      },
    },
  },
});
