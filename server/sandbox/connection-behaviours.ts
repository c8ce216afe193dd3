/**
 * The two behaviours smtp-server has no hook for, because they act on every command line:
 * `closeAfterCommands` (421 instead of the first command beyond the limit) and
 * `replyDelayMs` (each command is processed that much later, the greeting too); and a hook's
 * refusal whose text carries its own enhanced status code keeps it (no second one in front).
 *
 * They wrap SMTPConnection's `_onCommand` (every line the parser reads outside message data,
 * before any other check) and `_sendGreeting`. The wrappers are
 * installed on the class once per process and act only for servers whose options carry
 * sandbox behaviours, so a server built from a copy of a sandbox's options (smtp-server's
 * `{ ...options }`, as for an SMTPS listener) gets them too, and any other server is untouched.
 *
 * The options carry a holder, not the behaviours themselves: a copy of the options shares
 * the holder, so switching behaviours at run time (an instructor's class-wide switch) reaches
 * every listener. smtp-server reads `authOptional` and `size` from its options on each
 * command; the command wrapper copies them from the holder first, so they follow too.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { ServerBehaviours } from '../../protocol/sandbox-config.ts';
import { tooManyCommandsReply } from '../../protocol/simulator/server-behaviours.ts';

/** A registry symbol: module copies (test runners load modules more than once) agree on it. */
const BEHAVIOURS = Symbol.for('smtp-lab.sandbox.behaviours');

/** The behaviours in force and the SIZE limit; mutated by the sandbox's setBehaviours. */
export interface LiveBehaviours {
  behaviours: ServerBehaviours;
  maxMessageSize: number;
}

type OptionsWithBehaviours = SMTPServerOptions & { [BEHAVIOURS]?: LiveBehaviours };
type PatchableConnection = typeof SMTPConnection.prototype & { [BEHAVIOURS]?: true };

/** Command lines read per connection, for `closeAfterCommands`. */
const commandLines = new WeakMap<SMTPConnection, number>();

/**
 * Marks server options with the holder of the behaviours the connection wrappers apply, and
 * makes sure the wrappers are installed. Returns the same options object.
 */
export function withConnectionBehaviours(options: SMTPServerOptions, live: LiveBehaviours): SMTPServerOptions {
  installWrappers();
  (options as OptionsWithBehaviours)[BEHAVIOURS] = live;
  return options;
}

function behavioursOf(connection: SMTPConnection): ServerBehaviours | undefined {
  return (connection._server.options as OptionsWithBehaviours)[BEHAVIOURS]?.behaviours;
}

/** Brings the options smtp-server reads per command in line with the holder. */
function syncOptions(connection: SMTPConnection): void {
  const options = connection._server.options as OptionsWithBehaviours;
  const live = options[BEHAVIOURS];
  if (live === undefined) return;
  options.authOptional = !live.behaviours.requireAuth;
  options.size = live.maxMessageSize;
}

function installWrappers(): void {
  const prototype: PatchableConnection = SMTPConnection.prototype;
  if (prototype[BEHAVIOURS]) return;
  prototype[BEHAVIOURS] = true;

  const onCommand = prototype._onCommand;
  prototype._onCommand = function (this: SMTPConnection, command: Buffer, callback?: () => void): void {
    syncOptions(this);
    const behaviours = behavioursOf(this);
    if (!behaviours || (behaviours.closeAfterCommands <= 0 && behaviours.replyDelayMs <= 0)) {
      onCommand.call(this, command, callback);
      return;
    }
    const run = (): void => {
      // Plaintext read during a STARTTLS handshake is discarded unanswered: not a command.
      if (behaviours.closeAfterCommands > 0 && !this._upgrading) {
        const count = (commandLines.get(this) ?? 0) + 1;
        commandLines.set(this, count);
        if (count > behaviours.closeAfterCommands) {
          const reply = tooManyCommandsReply(this.name);
          // send() closes the connection after a 421, so the parser reads nothing more.
          this.send(reply.code, reply.text);
          return;
        }
      }
      onCommand.call(this, command, callback);
    };
    // The parser waits for the callback before the next line, so delays add up in order. An
    // early talker's "421 You talk too soon" is not delayed: it must not wait until the
    // server is ready, nor overtake the delayed greeting.
    if (behaviours.replyDelayMs > 0 && this._ready) setTimeout(run, behaviours.replyDelayMs);
    else run();
  };

  const sendGreeting = prototype._sendGreeting;
  prototype._sendGreeting = function (this: SMTPConnection): void {
    const delayMs = behavioursOf(this)?.replyDelayMs ?? 0;
    // Only the greeting waits: the connection is ready, so a command sent meanwhile is not
    // "talking too soon" (the simulator cannot tell either); its reply, delayed as well,
    // still comes after the greeting.
    if (delayMs > 0) setTimeout(() => sendGreeting.call(this), delayMs);
    else sendGreeting.call(this);
  };

  // A hook's refusal reaches send() as (code, err.message), so smtp-server would put its table's
  // enhanced code in front of one the text already has (452 is 4.2.2 there, the queue cap's is
  // 4.3.1): a text that starts with an enhanced code of its reply's class is sent as it is,
  // as the simulator does with a verdict's text.
  const send = prototype.send;
  prototype.send = function (this: SMTPConnection, code: number, data?: string | string[] | null, context?: string | false): void {
    const own = context === undefined && behavioursOf(this) !== undefined && typeof data === 'string' && carriesEnhancedCode(code, data);
    send.call(this, code, data, own ? false : context);
  };
}

/** Whether `text` begins with an RFC 3463 enhanced code of the same class as `code` ("4.3.1 …" for a 452). */
function carriesEnhancedCode(code: number, text: string): boolean {
  return new RegExp(`^${Math.floor(code / 100)}\\.\\d{1,3}\\.\\d{1,3} `).test(text);
}
