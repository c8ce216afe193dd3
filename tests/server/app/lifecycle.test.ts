/**
 * The whole `smtp-lab serve` process: restarts keep captured mail, SIGTERM is a clean
 * shutdown for every kind of client, bad input and floods leave it up, limits answer 421,
 * and bad settings stop it before it starts (exit 2).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { LearnerClient } from './learner-client.ts';
import { listMessages, waitForMessage } from './mailbox-api.ts';
import { RawSmtpClient } from './raw-smtp.ts';
import { freshDataDir, startServeProcess } from './serve-process.ts';

async function deliver(port: number, subject: string): Promise<void> {
  const client = await RawSmtpClient.connect(port);
  await client.reply();
  await client.command('EHLO lifecycle.example');
  await client.command('MAIL FROM:<ana@example.com>');
  await client.command('RCPT TO:<bo@example.org>');
  await client.command('DATA');
  const queued = await client.command(`Subject: ${subject}\r\n\r\nhello\r\n.`);
  expect(queued.code).toBe(250);
  await client.command('QUIT');
}

// Each test starts (and stops) real processes; a busy machine makes that slow.
describe('smtp-lab serve, the process', { timeout: 60_000 }, () => {
  it('keeps captured mail and its certificate across a restart', async () => {
    const dataDir = freshDataDir();
    const first = await startServeProcess({ dataDir });
    await deliver(first.smtpPort, 'before restart');
    await waitForMessage(first.httpBase, 'before restart');
    expect(first.stdout()).toMatch(/TLS: +new self-signed certificate/);
    const fingerprint = /SHA-256 ([0-9A-F:]+)/.exec(first.stdout())?.[1];
    expect(await first.stop()).toBe(0);

    const second = await startServeProcess({ dataDir });
    try {
      const page = await listMessages(second.httpBase);
      expect(page.messages.map((message) => message.subject)).toEqual(['before restart']);
      expect(second.stdout()).toMatch(/TLS: +self-signed certificate/);
      expect(/SHA-256 ([0-9A-F:]+)/.exec(second.stdout())?.[1]).toBe(fingerprint);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('on SIGTERM tells SMTP clients 421, closes WebSockets with a reason, and exits 0', async () => {
    const lab = await startServeProcess();
    const smtp = await RawSmtpClient.connect(lab.smtpPort);
    expect((await smtp.reply()).code).toBe(220);
    expect((await smtp.command('EHLO waiting.example')).code).toBe(250);
    const learner = await LearnerClient.open(lab.wsUrl);
    const wsClosed = learner.closed();

    lab.child.kill('SIGTERM');
    const goodbye = await smtp.reply();
    expect(goodbye.code).toBe(421);
    expect(goodbye.text).toMatch(/^421 .*sandbox\.smtp-lab\.test Service not available, closing transmission channel \(the server is shutting down \(SIGTERM\)\)$/);
    const close = await wsClosed;
    expect(close.code).toBe(1001);
    expect(close.reason).toContain('SIGTERM');
    expect(learner.received).toContainEqual(expect.objectContaining({ type: 'session.closed', by: 'shutdown' }));
    expect(await lab.exited()).toBe(0);
    expect(lab.stdout()).toContain('stopped; captured mail is kept');
  });

  it('survives garbage, binary, a 1 MB line and an abrupt reset, and other clients do not notice', async () => {
    const lab = await startServeProcess();
    try {
      const bystander = await RawSmtpClient.connect(lab.smtpPort);
      expect((await bystander.reply()).code).toBe(220);
      expect((await bystander.command('EHLO bystander.example')).code).toBe(250);

      const garbage = await RawSmtpClient.connect(lab.smtpPort);
      await garbage.reply();
      garbage.write(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x81, 0x0d, 0x0a]));
      expect((await garbage.reply()).code).toBe(500);

      const longLine = await RawSmtpClient.connect(lab.smtpPort);
      await longLine.reply();
      longLine.write(Buffer.alloc(1024 * 1024, 'A'));
      const refusal = await longLine.reply();
      expect(refusal.code).toBe(421);
      await longLine.closed();

      // Connect and reset mid-greeting, without a word.
      const reset = net.connect(lab.smtpPort, '127.0.0.1');
      reset.on('error', () => undefined);
      await new Promise((resolve) => reset.once('connect', resolve));
      reset.resetAndDestroy();

      expect((await bystander.command('NOOP')).code).toBe(250);
      expect((await bystander.command('MAIL FROM:<ana@example.com>')).code).toBe(250);
      expect((await fetch(`${lab.httpBase}api/health`)).status).toBe(200);
      expect(lab.child.exitCode).toBeNull();
    } finally {
      expect(await lab.stop()).toBe(0);
    }
  });

  it('refuses a client address beyond --max-sessions-per-address with 421', async () => {
    const lab = await startServeProcess({ args: ['--max-sessions-per-address', '3'] });
    try {
      const open = await Promise.all([1, 2, 3].map(() => RawSmtpClient.connect(lab.smtpPort)));
      for (const client of open) expect((await client.reply()).code).toBe(220);
      const extra = await RawSmtpClient.connect(lab.smtpPort);
      const refused = await extra.reply();
      expect(refused.code).toBe(421);
      expect(refused.text).toContain('Too many connections from your address (3 at most)');
      await extra.closed();

      await open[0]!.command('QUIT');
      await open[0]!.closed();
      // The slot is given back once the connection has closed.
      let again = await RawSmtpClient.connect(lab.smtpPort);
      for (let tries = 0; (await again.reply()).code !== 220 && tries < 20; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await RawSmtpClient.connect(lab.smtpPort);
      }
      expect((await again.command('NOOP')).code).toBe(250);
      // Bridge sessions come through their own entrance and do not use up these slots.
      const learner = await LearnerClient.open(lab.wsUrl);
      expect((await learner.command('NOOP')).code).toBe(250);
      learner.close();
    } finally {
      expect(await lab.stop()).toBe(0);
    }
  });

  it('stops before starting on a bad setting or a busy port (exit 2, one line)', async () => {
    const bad = await runCli(['serve', '--http-port', '0', '--smtp-port', '0', '--max-recipients', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('smtp-lab serve: --max-recipients must be a whole number from 1 to 10,000\n');

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const busy = await runCli(['serve', '--http-port', '0', '--smtp-port', String(port), '--data-dir', freshDataDir()]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(`smtp-lab serve: cannot listen for SMTP on 127.0.0.1:${port}: the port is already in use (pick another with a flag, or 0 for any free port)\n`);
    } finally {
      blocker.close();
    }
  });
});
