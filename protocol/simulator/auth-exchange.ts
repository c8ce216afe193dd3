/**
 * AUTH PLAIN and AUTH LOGIN (RFC 4954, RFC 4616) as smtp-server's sasl.js runs them: the
 * initial response or the 334 prompts, `*` to cancel, lenient base64, and the checks on
 * the decoded user data. Credentials are checked against the sandbox accounts.
 */
import { CONTROL_CHARS } from './address-command.ts';
import { decodeBase64TextLikeNode } from './compat/node-base64.ts';
import type { ServerContext } from './server-context.ts';

/** The base64 prompts of AUTH LOGIN: "Username:" and "Password:". */
const USERNAME_PROMPT = 'VXNlcm5hbWU6';
const PASSWORD_PROMPT = 'UGFzc3dvcmQ6';

/** Starts a mechanism with the arguments that followed its name on the AUTH line. */
export type MechanismStart = (context: ServerContext, args: readonly string[]) => void;

/** Answers a mechanism's response; `canAbort` when it answers a 334 prompt (`*` cancels). */
type ResponseHandler = (context: ServerContext, response: string, canAbort: boolean) => void;

/**
 * A mechanism's start, as sasl.js does it for every mechanism: at most one initial response on
 * the AUTH line; without one, a 334 prompt whose answer goes to the same handler.
 */
function mechanismStart(syntax: string, prompt: string | undefined, respond: ResponseHandler): MechanismStart {
  return (context, args) => {
    if (args.length > 1) {
      context.send(501, `Error: syntax: ${syntax}`);
      return;
    }
    if (args.length === 0) {
      context.session.nextHandler = (next, line) => respond(next, line, true);
      context.send(334, prompt);
      return;
    }
    respond(context, args[0] ?? '', false);
  };
}

/** `*` answering a prompt cancels the exchange: replies 501 and returns true. */
function aborted(context: ServerContext, response: string, canAbort: boolean): boolean {
  if (!canAbort || response !== '*') return false;
  context.send(501, 'Authentication aborted');
  return true;
}

/** The PLAIN response: authzid NUL authcid NUL password, base64-encoded. */
function plainToken(context: ServerContext, rawToken: string, canAbort: boolean): void {
  const token = rawToken.trim();
  if (aborted(context, token, canAbort)) return;
  const fields = decodeBase64TextLikeNode(token).split('\x00');
  if (fields.length !== 3) {
    context.send(501, 'Error: invalid userdata');
    return;
  }
  const authzid = fields[0] ?? '';
  const authcid = fields[1] ?? '';
  // smtp-server accepts the user name in the authzid field when authcid is empty.
  const username = authcid || authzid;
  if (CONTROL_CHARS.test(username) || CONTROL_CHARS.test(authzid)) {
    context.send(501, 'Error: invalid userdata');
    return;
  }
  finish(context, username, fields[2] ?? '');
}

function loginUsername(context: ServerContext, rawUsername: string, canAbort: boolean): void {
  const encoded = rawUsername.trim();
  if (aborted(context, encoded, canAbort)) return;
  const username = decodeBase64TextLikeNode(encoded);
  if (!username) {
    context.send(501, 'Error: missing username');
    return;
  }
  if (CONTROL_CHARS.test(username)) {
    context.send(501, 'Error: invalid userdata');
    return;
  }
  context.session.nextHandler = (next, line) => loginPassword(next, line, username);
  context.send(334, PASSWORD_PROMPT);
}

function loginPassword(context: ServerContext, rawPassword: string, username: string): void {
  const encoded = rawPassword.trim();
  if (aborted(context, encoded, true)) return;
  finish(context, username, decodeBase64TextLikeNode(encoded));
}

function finish(context: ServerContext, username: string, password: string): void {
  const user = context.authenticate(username, password);
  if (user === null) {
    context.send(535, 'Error: Authentication credentials invalid');
    return;
  }
  context.session.user = user;
  context.send(235, 'Authentication successful');
}

const MECHANISMS: ReadonlyMap<string, MechanismStart> = new Map([
  // AUTH PLAIN [initial-response]
  ['PLAIN', mechanismStart('AUTH PLAIN token', undefined, plainToken)],
  // AUTH LOGIN [initial-username]
  ['LOGIN', mechanismStart('AUTH LOGIN', USERNAME_PROMPT, loginUsername)],
]);

/**
 * The mechanisms the simulator implements. smtp-server also implements XOAUTH2 and
 * CRAM-MD5, but the sandbox configuration can only enable PLAIN and LOGIN.
 */
export function findMechanism(name: string): MechanismStart | undefined {
  return MECHANISMS.get(name);
}
