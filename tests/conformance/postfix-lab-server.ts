/**
 * The lab's real Postfix (configured by .ci/postfix-lab.sh) as the reference the `postfix`
 * personality is compared with: where it listens, whether it is there, the configuration the
 * simulator gets to play it, and what of its replies may differ by design (the queue id).
 */
import net from 'node:net';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import type { Run } from './compare-servers.ts';

export const POSTFIX_PORT = 25;

/** How long the probe waits for a banner before deciding nothing usable listens. */
const PROBE_LIMIT_MS = 3_000;

/** The banner `smtpd_banner = $myhostname ESMTP $mail_name` gives. */
const POSTFIX_BANNER = /^220 mx\.lab\.test ESMTP Postfix\r?$/m;

/** Postfix's short queue ids are upper-case hex of varying length (not smtp-server's ten). */
const POSTFIX_QUEUE_ID = /queued as [0-9A-F]+$/;

/** The simulator plays the lab's Postfix: its personality and the lab's host name. */
export const POSTFIX_LAB_CONFIG: SandboxConfig = { ...DEFAULT_SANDBOX_CONFIG, personality: 'postfix', hostname: 'mx.lab.test' };

/** True when 127.0.0.1:25 greets with the lab's Postfix banner; never waits longer than the probe limit. */
export function labPostfixAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(POSTFIX_PORT, '127.0.0.1');
    const finish = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(false), PROBE_LIMIT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\n')) {
        // Leave politely, so the probe is not logged as a lost connection.
        socket.end('QUIT\r\n');
        finish(POSTFIX_BANNER.test(received));
      }
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/** Replies and the close, with Postfix's queue ids replaced; messages are not compared (Postfix delivers them to root's mailbox). */
export function comparablePostfixRun(run: Run): Pick<Run, 'replies' | 'closed'> {
  const replies = run.replies.map((step) => step.map((line) => line.replace(POSTFIX_QUEUE_ID, 'queued as <queue id>')));
  return { replies, closed: run.closed };
}
