/**
 * The lab's real Postfix (configured by .ci/postfix-lab.sh) as the reference the `postfix`
 * personality is compared with: where it listens, whether it is there, the configuration the
 * simulator gets to play it, and what of its replies may differ by design (the queue id).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import type { Run } from './compare-servers.ts';

export const POSTFIX_PORT = 25;

/** How long the probe waits for a banner before deciding nothing usable listens. */
const PROBE_LIMIT_MS = 3_000;

/** The banner `smtpd_banner = $myhostname ESMTP $mail_name` gives. */
const POSTFIX_BANNER = /^220 mx\.lab\.test ESMTP Postfix\r?$/m;

/** Longer step texts are cut in failure messages (a 1000-recipient write would bury the rest). */
const SHOWN_CHARS = 400;

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

/**
 * Every step where two comparable runs differ, in lines an engineer can act on: the step,
 * what the client wrote, and both servers' lines (the failure message; the greeting alone
 * would otherwise hide the rest).
 */
export function describeDifferences(
  personality: Pick<Run, 'replies' | 'closed'>,
  real: Pick<Run, 'replies' | 'closed'>,
  writes: readonly string[],
): string {
  const differences: string[] = [];
  const steps = Math.max(personality.replies.length, real.replies.length);
  for (let step = 0; step < steps; step++) {
    const ours = personality.replies[step] ?? [];
    const theirs = real.replies[step] ?? [];
    if (JSON.stringify(ours) === JSON.stringify(theirs)) continue;
    const wrote = step === 0 ? '(greeting)' : shown(writes[step - 1]);
    differences.push(`step ${step} ${wrote}:\n    personality  ${shown(ours)}\n    real Postfix ${shown(theirs)}`);
  }
  if (personality.closed !== real.closed) differences.push(`closed: personality ${personality.closed} / real Postfix ${real.closed}`);
  return differences.join('\n  ');
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS)}… (${text.length} characters)`;
}

/**
 * Whether the lab Postfix answers, for a suite that needs it. Without it the suite is skipped
 * with one loud line; in CI (SMTP_LAB_REQUIRE_POSTFIX=1, set by .ci/run) a test fails instead.
 */
export async function labPostfixForSuite(what: string): Promise<boolean> {
  const required = process.env.SMTP_LAB_REQUIRE_POSTFIX === '1';
  const answers = await labPostfixAnswers();
  if (!answers && !required) {
    console.warn(`!!! SKIPPED: ${what} — no lab Postfix on 127.0.0.1:25 (run .ci/postfix-lab.sh; CI requires it) !!!`);
  }
  describe('the lab Postfix is there when CI requires it', () => {
    it.runIf(required)('answers on 127.0.0.1:25 with the lab banner', () => {
      expect(answers, 'SMTP_LAB_REQUIRE_POSTFIX=1 but no lab Postfix answered on 127.0.0.1:25').toBe(true);
    });
  });
  return answers;
}
