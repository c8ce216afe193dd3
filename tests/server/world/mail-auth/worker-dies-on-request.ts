/**
 * Preloaded into the mail-auth worker by mail-auth-pool-restarts.test.ts: a worker that dies on
 * request. mailauth's `authenticate` is wrapped before the worker's code imports it: a message
 * whose envelope sender is at DYING_DOMAIN ends the thread (exit code 7) instead of being checked.
 */
import { createRequire } from 'node:module';

export const DYING_DOMAIN = 'die.example';
export const DYING_EXIT_CODE = 7;

const mailauth = createRequire(import.meta.url)('mailauth') as { authenticate: (raw: unknown, options: { sender?: string }) => Promise<unknown> };
const authenticate = mailauth.authenticate;
mailauth.authenticate = (raw, options) => {
  if (options.sender?.endsWith(`@${DYING_DOMAIN}`)) process.exit(DYING_EXIT_CODE);
  return authenticate(raw, options);
};
