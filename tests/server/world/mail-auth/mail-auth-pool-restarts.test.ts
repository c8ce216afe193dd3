/**
 * The mail-auth worker's restarts, with a real worker thread made to die on request
 * (worker-dies-on-request.ts): one death is a restart and the next job runs; deaths in a row
 * stop the restarts, jobs fail at once saying why, and after the pause the worker is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startMailAuthPool, MailAuthUnavailable, type MailAuthPool } from '../../../../server/world/mail-auth/mail-auth-pool.ts';
import { keysPerFile, message, worldZone } from './auth-fixtures.ts';
import { DYING_DOMAIN, DYING_EXIT_CODE } from './worker-dies-on-request.ts';

const DIES_ON_REQUEST = new URL('./worker-dies-on-request.ts', import.meta.url).href;
const signing = keysPerFile();
let pool: MailAuthPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

function start(restartPauseMs: number): { pool: MailAuthPool; lines: string[] } {
  const lines: string[] = [];
  pool = startMailAuthPool({ keys: signing.keys, log: (line) => lines.push(line), preload: [DIES_ON_REQUEST], maxDeathsInARow: 3, restartPauseMs });
  return { pool, lines };
}

const raw = () => Buffer.from(message('Alice <alice@example.com>'));
const SANDBOX = { ip: '192.0.2.10', helo: 'mail.example.com', mta: 'mx.example.net' };
/** A check of mail from the dying domain: the worker exits in it. */
const dying = (worker: MailAuthPool) => worker.verify(raw(), { connection: { ...SANDBOX, sender: `eve@${DYING_DOMAIN}` }, zone: worldZone(signing.keys) });
const dies = (worker: MailAuthPool) => expect(dying(worker)).rejects.toThrow(new MailAuthUnavailable(`mail authentication did not run: the mail-auth worker stopped (code ${DYING_EXIT_CODE})`));

describe('mail-auth worker restarts', () => {
  it('restarts a worker that died, and the next job is answered', async () => {
    const { pool: worker, lines } = start(60_000);
    expect((await worker.sign(raw(), 'example.com')).signed).toBe(true);
    await dies(worker);
    expect((await worker.sign(raw(), 'example.com')).signed).toBe(true);
    // Answers in between forgive deaths: two more in a row do not reach the bound of three.
    await dies(worker);
    await dies(worker);
    expect((await worker.sign(raw(), 'example.com')).signed).toBe(true);
    expect(lines.filter((line) => line.includes('times in a row'))).toEqual([]);
  });

  it('stops restarting after three deaths in a row: jobs fail at once saying why, and after the pause the worker is back', async () => {
    const { pool: worker, lines } = start(300);
    for (let death = 0; death < 3; death += 1) await dies(worker);
    const why = `the mail-auth worker stopped 3 times in a row (last code ${DYING_EXIT_CODE}); it is started again in 0.3 s`;
    await expect(worker.sign(raw(), 'example.com')).rejects.toThrow(new MailAuthUnavailable(`mail authentication did not run: ${why}`));
    expect(lines).toContain(`mail-auth: ${why}; until then each message's check fails and is retried (relay: deferred; MX: 451)`);
    // Bounded: the pause is 0.3 s; the worker then starts (tsx, mailauth) and answers.
    let signed = false;
    for (let attempt = 0; attempt < 100 && !signed; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      signed = await worker.sign(raw(), 'example.com').then((outcome) => outcome.signed, () => false);
    }
    expect(signed).toBe(true);
  });

  it('doubles the pause while the restarted worker keeps dying', async () => {
    const { pool: worker, lines } = start(300);
    for (let death = 0; death < 3; death += 1) await dies(worker);
    // Wait (bounded) for the restart after the pause, then kill it before it answers anything.
    let restarted = false;
    for (let attempt = 0; attempt < 100 && !restarted; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      restarted = await dying(worker).then(
        () => true,
        (error: Error) => !error.message.includes('times in a row'),
      );
    }
    expect(restarted).toBe(true);
    expect(lines.at(-1)).toMatch(/stopped 4 times in a row \(last code 7\); it is started again in 0\.6 s/);
  });
});
