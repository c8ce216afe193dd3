/**
 * `--personality NAME` on `smtp-lab replay --target sim` and `smtp-lab sandbox`: the real CLI
 * in a child process; the sandbox's simulator is answered over real TCP by Python's smtplib.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, startSandboxProcess } from './run-cli.ts';

const run = promisify(execFile);

const NO_RECIPIENT = 'HELO me.test\nMAIL FROM:<a@b.test>\nDATA\nQUIT\n';

describe('smtp-lab replay --target sim --personality', () => {
  it('answers like the lab Postfix: DATA after MAIL alone is 554 "no valid recipients"', async () => {
    const result = await runCli(['replay', '--target', 'sim', '--personality', 'postfix', '-'], NO_RECIPIENT);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      '-- connected to the simulated postfix --',
      'S: 220 mx.lab.test ESMTP Postfix',
      'C: HELO me.test',
      'S: 250 mx.lab.test',
      'C: MAIL FROM:<a@b.test>',
      'S: 250 2.1.0 Ok',
      'C: DATA',
      'S: 554 5.5.1 Error: no valid recipients',
      'C: QUIT',
      'S: 221 2.0.0 Bye',
      '-- connection closed --',
    ]);
  });

  it('keeps smtp-server\'s answer for the same script without the flag', async () => {
    const result = await runCli(['replay', '--target', 'sim', '-'], NO_RECIPIENT);
    expect(result.stdout).toContain('S: 503 5.5.1 Error: need RCPT command');
  });

  it('exits 2 with one line naming the personalities for an unknown name', async () => {
    const result = await runCli(['replay', '--personality', 'sendmail', '-'], NO_RECIPIENT);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('smtp-lab replay: unknown personality "sendmail": use one of smtp-server, postfix, exim, gmail, exchange\n');
  });

  it('exits 2 when the flag is given with a real server as the target', async () => {
    const result = await runCli(['replay', '--target', 'smtp://127.0.0.1:25', '--personality', 'postfix', '-'], NO_RECIPIENT);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('smtp-lab replay: --personality chooses how the simulator answers: use it with --target sim\n');
  });
});

describe('smtp-lab sandbox --personality', () => {
  it('serves the postfix personality over real TCP to Python\'s smtplib and prints what it queued', async () => {
    const sandbox = await startSandboxProcess(['--personality', 'postfix']);
    try {
      expect(sandbox.output()).toContain('SMTP Lab simulator (personality postfix) listening on 127.0.0.1:');
      const script = [
        'import smtplib, sys',
        's = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10)',
        'print(s.ehlo("py.test")[0], s.has_extn("chunking"), s.has_extn("auth"))',
        'print(s.mail("a@b.test"))',
        'print(s.docmd("DATA"))',
        'print(s.rcpt("x@example.com"))',
        'print(s.rcpt("alice@lab.test"))',
        'print(s.data("Subject: from python\\r\\n\\r\\n.one dot\\r\\n"))',
        'print(s.quit())',
      ].join('\n');
      const { stdout } = await run('python3', ['-c', script, String(sandbox.port)], { timeout: 20_000 });
      expect(stdout.trimEnd().split('\n')).toEqual([
        '250 True False',
        "(250, b'2.1.0 Ok')",
        "(554, b'5.5.1 Error: no valid recipients')",
        "(554, b'5.7.1 <x@example.com>: Relay access denied')",
        "(250, b'2.1.5 Ok')",
        expect.stringMatching(/^\(250, b'2\.0\.0 Ok: queued as [0-9A-F]{11}'\)$/),
        "(221, b'2.0.0 Bye')",
      ]);
    } finally {
      const { code, stdout } = await sandbox.stop();
      expect(code).toBe(0);
      expect(stdout).toMatch(/queued [0-9A-F]{11} from=<a@b\.test> to=<alice@lab\.test> size=\d+ subject="from python"/);
    }
  });

  it('exits 2 with one line for an unknown personality', async () => {
    const result = await runCli(['sandbox', '--port', '0', '--personality', 'sendmail']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('smtp-lab sandbox: unknown personality "sendmail": use one of smtp-server, postfix, exim, gmail, exchange\n');
  });
});
