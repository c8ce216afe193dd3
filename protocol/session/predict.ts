/**
 * What an RFC 5321-conforming server would do with a command in the current state, so the
 * console can warn before sending; where the session's personality answers otherwise (Postfix's
 * 554 to DATA, MAIL before EHLO…), its rules (prediction-rules.ts) decide. Real servers add
 * policy (unknown users, relay rules, credentials); where only policy decides, the answer is
 * 'unknown'.
 */
import type { Command, CommandParseResult, CommandSyntaxError, EsmtpParam } from '../commands/types.ts';
import { statePath, type SessionSnapshot } from './summary.ts';
import type { SessionContext } from './types.ts';
import { predictionRules, type PredictionRules } from './prediction-rules.ts';
import { advertisedSize } from './wire-text.ts';

export type PredictedOutcome = 'accept' | 'reject' | 'unknown';

export interface Prediction {
  readonly outcome: PredictedOutcome;
  /** The reply code a conforming server would most likely send, when there is one. */
  readonly code: number | null;
  /** Why, for a warning in the console. */
  readonly reason: string;
  /** The reply in the server's own words, when its personality says it exactly. */
  readonly reply?: string;
  /** True when the server hangs up after that reply. */
  readonly closes?: boolean;
}

const COMMAND_STATES = new Set(['greeted', 'identified.idle', 'identified.transaction.hasSender', 'identified.transaction.hasRecipients']);

/** Which EHLO keyword each MAIL/RCPT parameter needs (RFC 1870, 6152, 6531, 3461, 4954, 8689). */
const PARAM_EXTENSION: Readonly<Record<string, string>> = {
  SIZE: 'SIZE',
  BODY: '8BITMIME',
  SMTPUTF8: 'SMTPUTF8',
  RET: 'DSN',
  ENVID: 'DSN',
  NOTIFY: 'DSN',
  ORCPT: 'DSN',
  AUTH: 'AUTH',
  REQUIRETLS: 'REQUIRETLS',
};

const accept = (code: number, reason: string): Prediction => ({ outcome: 'accept', code, reason });
const reject = (code: number | null, reason: string): Prediction => ({ outcome: 'reject', code, reason });
const unknown = (reason: string): Prediction => ({ outcome: 'unknown', code: null, reason });

/** Predicts the outcome of a command (or a parsed line) in this snapshot's state. */
export function predictCommand(snapshot: SessionSnapshot, input: Command | CommandParseResult): Prediction {
  const state = statePath(snapshot.value);
  const { context } = snapshot;
  if (state === 'awaitingGreeting') return reject(null, 'Wait for the server\'s 220 greeting first (RFC 5321 §3.1).');
  if (!COMMAND_STATES.has(state) || context.pending.length > 0 || context.held.length > 0) {
    return unknown('The server is not reading commands right now, or earlier commands still wait for replies.');
  }
  if ('ok' in input && !input.ok) {
    const outOfSequence = input.error.verb === 'MAIL' || input.error.verb === 'RCPT' ? sequenceRefusal(context, input.error.verb) : null;
    if (outOfSequence) return outOfSequence;
    const code = input.error.code === 'unknown-command' ? 500 : syntaxRefusalCode(context, input.error.verb);
    return reject(code, `The server cannot read this line: ${input.error.message}`);
  }
  // Words after a verb that takes none parse with a warning; some servers refuse them.
  const extraArgument = 'ok' in input && input.warnings.some((warning) => warning.code === 'unexpected-argument');
  return predictParsed(context, 'ok' in input ? input.command : input, extraArgument);
}

function syntaxRefusalCode(context: SessionContext, verb: string | null): number {
  return verb === 'MAIL' || verb === 'RCPT' ? predictionRules(context.personality).addressSyntaxCode : 501;
}

/**
 * What the server does with a line the command grammar cannot read (`error` is the grammar's
 * finding): its personality's own answer when it has one (Postfix's 459 to ETRN, its 221 and
 * hang-up for a header-like line), else the refusal any unknown command gets. After a refused
 * DATA it also says why the line is a command at all: there is no message to write.
 */
export function predictUnreadLine(snapshot: SessionSnapshot, line: string, error: CommandSyntaxError): Prediction {
  const state = statePath(snapshot.value);
  const { context } = snapshot;
  const general = predictCommand(snapshot, { ok: false, error });
  if (!COMMAND_STATES.has(state) || context.pending.length > 0 || context.held.length > 0) return general;
  const own = predictionRules(context.personality).unreadLine?.(line, context.envelope.sender !== null) ?? null;
  const prediction = own ?? general;
  return dataWasRefused(snapshot) ? { ...prediction, reason: `${AFTER_REFUSED_DATA} ${prediction.reason}` } : prediction;
}

/** Why a line typed after a refused DATA is a command, with what the RFC asks. */
export const AFTER_REFUSED_DATA =
  'DATA was refused, so there is no message to write: the server reads this line as a command. RFC 5321 §3.3: after a 5xx to DATA the client must not send the message data; message data goes only after a 354.';

/** True when the latest reply answered DATA and the session is back among commands: DATA was refused. */
export function dataWasRefused(snapshot: SessionSnapshot): boolean {
  return snapshot.context.answered?.kind === 'DATA' && COMMAND_STATES.has(statePath(snapshot.value));
}

/** Shorthand for `predictCommand(...).outcome`. */
export function predictOutcome(snapshot: SessionSnapshot, input: Command | CommandParseResult): PredictedOutcome {
  return predictCommand(snapshot, input).outcome;
}

function predictParsed(context: SessionContext, command: Command, extraArgument: boolean): Prediction {
  const rules = predictionRules(context.personality);
  const identified = context.identity !== null;
  // A server that does not insist on EHLO first takes the transaction as identified enough.
  const mayTransact = identified || !rules.mailNeedsHello;
  const { sender, recipients } = context.envelope;
  switch (command.verb) {
    case 'EHLO':
    case 'HELO':
      return accept(250, 'Greeting is always allowed; it also ends any open transaction (RFC 5321 §4.1.4).');
    case 'RSET':
      if (extraArgument && rules.argumentsAfterRsetOrData) return rules.argumentsAfterRsetOrData;
      return accept(250, 'RSET is allowed at any time (RFC 5321 §4.1.4).');
    case 'NOOP':
      return accept(250, 'NOOP is allowed at any time (RFC 5321 §4.1.4).');
    case 'QUIT':
      return accept(221, 'QUIT is allowed at any time (RFC 5321 §4.1.1.10).');
    case 'MAIL':
      if (!mayTransact) return reject(503, 'Send EHLO or HELO before MAIL (RFC 5321 §4.1.4).');
      if (sender !== null) return reject(503, 'A transaction is already open: finish it or RSET before another MAIL (RFC 5321 §4.1.1.2).');
      return checkParams(context, command.params) ?? checkSize(context, command.params) ?? accept(250, 'MAIL is in sequence.');
    case 'RCPT':
      if (!mayTransact || sender === null) return reject(503, 'RCPT needs an accepted MAIL FROM first (RFC 5321 §4.1.4).');
      return checkParams(context, command.params) ?? accept(250, 'RCPT is in sequence; the server may still refuse the address by its own policy.');
    case 'DATA':
      if (mayTransact && sender !== null && recipients.length === 0) return rules.dataWithoutRecipients;
      return (
        checkTransaction(mayTransact, sender, recipients.length) ??
        (extraArgument ? rules.argumentsAfterRsetOrData : null) ??
        accept(354, 'DATA is in sequence: the server will ask for the message.')
      );
    case 'BDAT':
      if (!hasExtension(context, 'CHUNKING')) return reject(502, 'The server did not advertise CHUNKING, so it does not know BDAT (RFC 3030).');
      return checkTransaction(mayTransact, sender, recipients.length) ?? accept(250, 'BDAT is in sequence.');
    case 'AUTH':
      return predictAuth(context, rules, command.mechanism, command.initialResponse);
    case 'STARTTLS':
      if (context.tls !== null) return reject(503, 'TLS is already active on this connection (RFC 3207 §4.2).');
      if (context.extensions === null) return unknown('Send EHLO first to learn whether the server offers STARTTLS.');
      if (!hasExtension(context, 'STARTTLS')) return reject(502, 'The server did not advertise STARTTLS (RFC 3207 §4).');
      return accept(220, 'The server advertised STARTTLS.');
    case 'VRFY':
      return rules.vrfy ?? unknown('Servers answer VRFY in several legal ways, including refusing it.');
    case 'HELP':
      return rules.help ?? unknown('Servers answer HELP in several legal ways, including refusing it.');
    case 'EXPN':
      return unknown('Servers answer EXPN in several legal ways, including refusing it.');
  }
}

/** The 503 a malformed MAIL or RCPT gets before the server reads its address, if any. */
function sequenceRefusal(context: SessionContext, verb: 'MAIL' | 'RCPT'): Prediction | null {
  const rules = predictionRules(context.personality);
  if (context.identity === null && rules.mailNeedsHello) return reject(503, `Send EHLO or HELO before ${verb}: the server refuses it before reading the rest of the line (RFC 5321 §4.1.4).`);
  if (!rules.sequenceBeforeSyntax) return null;
  const { sender } = context.envelope;
  if (verb === 'RCPT' && sender === null) return reject(503, 'RCPT needs an accepted MAIL FROM first: this server says so before it reads the address (RFC 5321 §4.1.4).');
  if (verb === 'MAIL' && sender !== null) return reject(503, 'A transaction is already open: this server refuses a second MAIL before it reads the address (RFC 5321 §4.1.1.2).');
  return null;
}

function hasExtension(context: SessionContext, keyword: string): boolean {
  return context.extensions !== null && keyword in context.extensions;
}

function checkTransaction(mayTransact: boolean, sender: string | null, recipients: number): Prediction | null {
  if (!mayTransact || sender === null) return reject(503, 'Start a transaction with MAIL FROM first (RFC 5321 §4.1.4).');
  if (recipients === 0) return reject(503, 'No recipient was accepted, so there is nobody to deliver to (RFC 5321 §3.3).');
  return null;
}

/** RFC 5321 §4.1.1.11: a parameter the server did not advertise gets 555. */
function checkParams(context: SessionContext, params: readonly EsmtpParam[]): Prediction | null {
  for (const param of params) {
    const needed = PARAM_EXTENSION[param.keyword];
    if (needed === undefined || !hasExtension(context, needed)) {
      return reject(555, `The server did not advertise an extension that allows the ${param.keyword} parameter (RFC 5321 §4.1.1.11).`);
    }
  }
  return null;
}

/** RFC 1870 §6.1: a declared SIZE above the advertised limit is refused with 552. */
function checkSize(context: SessionContext, params: readonly EsmtpParam[]): Prediction | null {
  const limit = advertisedSize(context.extensions);
  const declared = Number(params.find((param) => param.keyword === 'SIZE')?.value ?? 0);
  return limit !== null && declared > limit ? reject(552, `The message is declared larger than the server's limit of ${limit} bytes (RFC 1870).`) : null;
}

function predictAuth(context: SessionContext, rules: PredictionRules, mechanism: string, initialResponse: string | null): Prediction {
  if (context.identity === null) return reject(503, 'Send EHLO before AUTH (RFC 4954 §4).');
  if (context.auth !== null) return reject(503, 'You are already authenticated; a second AUTH gets 503 (RFC 4954 §4).');
  if (context.envelope.sender !== null) return reject(503, 'AUTH is not allowed during a mail transaction (RFC 4954 §4).');
  if (context.extensions === null) return unknown('After HELO the server advertised nothing; many servers still accept AUTH.');
  const mechanisms = context.extensions['AUTH'];
  if (mechanisms === undefined) return rules.authNotAdvertised;
  if (!mechanisms.some((name) => name.toUpperCase() === mechanism)) {
    return reject(504, `The server does not offer the ${mechanism} mechanism (RFC 4954 §4).`);
  }
  if (initialResponse !== null) return unknown('Whether AUTH succeeds depends on the credentials.');
  return accept(334, 'The server will send a 334 challenge for your credentials.');
}
