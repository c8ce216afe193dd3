/**
 * Loopback is the safe default: only this machine can reach the sandbox. Anything else is a
 * deliberate choice (a classroom network), and the operator is told plainly what it opens.
 */
import { isIP } from 'node:net';
import type { ServerConfig } from './server-config.ts';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (lower === '::1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** One warning per listener bound beyond loopback; empty when everything stays local. */
export function exposureWarnings(config: ServerConfig): string[] {
  const warnings: string[] = [];
  if (!isLoopbackHost(config.httpHost) && config.classroom) {
    warnings.push(
      `WARNING: the classroom listens on ${config.httpHost}, not loopback: anyone who can reach this machine can ` +
        'see the join page, and the sign-in cookies travel unencrypted over plain HTTP. ' +
        'Do this only on a classroom network you trust (or behind an HTTPS proxy), never on the open internet.',
    );
  } else if (!isLoopbackHost(config.httpHost)) {
    warnings.push(
      `WARNING: the web app and its /ws bridge listen on ${config.httpHost}, not loopback: anyone who can reach ` +
        'this machine can open learner sessions and read every captured message (there is no login). ' +
        'Do this only on a classroom network you trust, never on the open internet.',
    );
  }
  if (!isLoopbackHost(config.smtpHost)) {
    warnings.push(
      `WARNING: the sandbox SMTP server listens on ${config.smtpHost}, not loopback: anyone who can reach this ` +
        'machine can send mail into it (it is captured, and relayed only between the lab loopback hosts). Do not expose it to the open internet.',
    );
  }
  return warnings;
}
