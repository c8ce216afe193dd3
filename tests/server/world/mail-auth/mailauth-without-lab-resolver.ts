/**
 * Preloaded into the mail-auth worker by one test only (mail-auth-worker-guard.test.ts): the bug
 * the no-network guard exists to catch. mailauth's `authenticate` is wrapped before the worker's
 * code imports it, so it runs without the lab resolver and falls back to `dns.promises.resolve`,
 * as a verification that forgot to inject it would.
 */
import { createRequire } from 'node:module';

const mailauth = createRequire(import.meta.url)('mailauth') as { authenticate: (raw: unknown, options: Record<string, unknown>) => Promise<unknown> };
const authenticate = mailauth.authenticate;
mailauth.authenticate = (raw, { resolver: _labResolver, ...options }) => authenticate(raw, options);
