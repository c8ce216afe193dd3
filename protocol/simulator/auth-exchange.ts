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

/** `AUTH PLAIN [initial-response]`. */
function startPlain(context: ServerContext, args: readonly string[]): void {
  if (args.length > 1) {
    context.send(501, 'Error: syntax: AUTH PLAIN token');
    return;
  }
  if (args.length === 0) {
    context.session.nextHandler = (next, line) => plainToken(next, line, true);
    context.send(334);
    return;
  }
  plainToken(context, args[0] ?? '', false);
}

/** The PLAIN response: authzid NUL authcid NUL password, base64-encoded. */
function plainToken(context: ServerContext, rawToken: string, canAbort: boolean): void {
  const token = rawToken.trim();
  if (canAbort && token === '*') {
    context.send(501, 'Authentication aborted');
    return;
  }
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

/** `AUTH LOGIN [initial-username]`. */
function startLogin(context: ServerContext, args: readonly string[]): void {
  if (args.length > 1) {
    context.send(501, 'Error: syntax: AUTH LOGIN');
    return;
  }
  if (args.length === 0) {
    context.session.nextHandler = (next, line) => loginUsername(next, line, true);
    context.send(334, USERNAME_PROMPT);
    return;
  }
  loginUsername(context, args[0] ?? '', false);
}

function loginUsername(context: ServerContext, rawUsername: string, canAbort: boolean): void {
  const encoded = rawUsername.trim();
  if (canAbort && encoded === '*') {
    context.send(501, 'Authentication aborted');
    return;
  }
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
  if (encoded === '*') {
    context.send(501, 'Authentication aborted');
    return;
  }
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
  ['PLAIN', startPlain],
  ['LOGIN', startLogin],
]);

/**
 * The mechanisms the simulator implements. smtp-server also implements XOAUTH2 and
 * CRAM-MD5, but the sandbox configuration can only enable PLAIN and LOGIN.
 */
export function findMechanism(name: string): MechanismStart | undefined {
  return MECHANISMS.get(name);
}
