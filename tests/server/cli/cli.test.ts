import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startSandboxProcess, unusedPort, type SandboxProcess } from './run-cli.ts';

const HAPPY = 'tests/fixtures/scripts/happy-path.smtp';

/** A transcript with the parts that vary between servers and runs made constant. */
function normalized(transcript: string): string {
  return transcript
    .replace(/^-- connected to .* --$/m, '-- connected --')
    .replace(/\[[0-9a-f.:]+\]/g, '[ADDRESS]')
    .replace(/queued as [0-9A-F]+/g, 'queued as QUEUEID');
}

describe('smtp-lab replay against the simulator', () => {
  it('plays a script with the default target and exits 0', async () => {
    const run = await runCli(['replay', 'tests/fixtures/scripts/pipelining.smtp']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('-- connected to the simulated server --');
    expect(lines.slice(11, 19)).toEqual([
      'C: MAIL FROM:<alice@example.com>',
      'C: RCPT TO:<bob@example.org>',
      'C: RCPT TO:<carol@example.org>',
      'C: DATA',
      'S: 250 2.1.0 Accepted',
      'S: 250 2.1.5 Accepted',
      'S: 250 2.1.5 Accepted',
      'S: 354 End data with <CR><LF>.<CR><LF>',
    ]);
    expect(lines.at(-1)).toBe('-- connection closed --');
  });

  it('shows a simulated TLS handshake with --target sim --json', async () => {
    const run = await runCli(['replay', '--target', 'sim', '--json', '-'], 'EHLO x\nSTARTTLS\nQUIT\n');
    expect(run.code).toBe(0);
    const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toContainEqual(expect.objectContaining({ from: 'tls', event: 'established', simulated: true }));
  });
});

describe('smtp-lab replay against a sandbox process', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    if (sandbox.child.exitCode === null) await sandbox.stop();
  });

  it('prints the RFC 5321 style transcript and exits 0', async () => {
    const run = await runCli(['replay', '--target', `smtp://127.0.0.1:${sandbox.port}`, HAPPY]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`-- connected to 127.0.0.1:${sandbox.port} --`);
    expect(lines[1]).toMatch(/^S: 220 sandbox\.smtp-lab\.test ESMTP /);
    expect(lines[2]).toBe('C: EHLO client.example');
    expect(lines).toContain('C: Subject: Hello from SMTP Lab');
    expect(lines).toContain('C: ');
    expect(lines).toContain('S: 354 End data with <CR><LF>.<CR><LF>');
    expect(lines.slice(-3)).toEqual(['C: QUIT', 'S: 221 2.0.0 Bye', '-- connection closed --']);
  });

  it('prints the same transcript as the simulator, apart from addresses and queue ids', async () => {
    const real = await runCli(['replay', '--target', `smtp://127.0.0.1:${sandbox.port}`, HAPPY]);
    const simulated = await runCli(['replay', HAPPY]);
    expect(real.code).toBe(0);
    expect(normalized(simulated.stdout)).toBe(normalized(real.stdout));
  });

  it('prints one JSON object per line with --json, reading the script from stdin', async () => {
    const script = 'EHLO x\nMAIL FROM:<a@example.com>\n+ RCPT TO:<b@example.org>\nQUIT\n';
    const run = await runCli(['replay', '--json', '--target', `smtp://127.0.0.1:${sandbox.port}`, '-'], script);
    expect(run.code).toBe(0);
    const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => object.from)).toEqual([
      'connection', 'server', 'client', 'server', 'client', 'client', 'server', 'server', 'client', 'server', 'connection',
    ]);
    expect(objects[4]).toEqual({ from: 'client', text: 'MAIL FROM:<a@example.com>' });
    expect(objects[6]).toEqual({ from: 'server', code: 250, lines: ['250 2.1.0 Accepted'] });
    expect(objects.at(-1)).toEqual({ from: 'connection', event: 'closed', reason: null });
  });

  it('prints a line per captured message and exits 0 on SIGTERM', async () => {
    const run = await runCli(['replay', '--target', `smtp://127.0.0.1:${sandbox.port}`, HAPPY]);
    const queueId = /queued as ([0-9A-F]+)/.exec(run.stdout)?.[1];
    expect(queueId).toMatch(/^[0-9A-F]{10}$/);
    const { code, stdout } = await sandbox.stop();
    expect(code).toBe(0);
    const line = stdout.split('\n').find((candidate) => candidate.includes(`queued ${queueId}`));
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d queued [0-9A-F]{10} from=<alice@example\.com> to=<bob@example\.org> size=\d+ subject="Hello from SMTP Lab"$/,
    );
  });
});

describe('smtp-lab exits 2 with a one-line reason', () => {
  it.each([
    ['no script', ['replay'], /^smtp-lab replay: missing script/],
    ['a missing file', ['replay', 'tests/fixtures/scripts/no-such.smtp'], /^smtp-lab replay: cannot read script .*no-such\.smtp: no such file$/],
    ['a bad target', ['replay', '--target', 'http://127.0.0.1:25', HAPPY], /^smtp-lab replay: bad --target "http:\/\/127\.0\.0\.1:25"/],
    ['an unknown flag', ['replay', '--fast', HAPPY], /^smtp-lab replay: unknown option --fast$/],
    ['a bad timeout', ['replay', '--timeout', 'soon', HAPPY], /^smtp-lab replay: --timeout must be a whole number/],
    ['an unknown command', ['relay'], /^smtp-lab: unknown command "relay"/],
  ])('for %s', async (_name, args, reason) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(reason);
  });

  it('for a script syntax error, naming the line', async () => {
    const run = await runCli(['replay', '-'], '# first\n+ EHLO x\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('smtp-lab replay: <stdin>:2: a "+ " line is sent together with the line before it, but there is no line before it\n');
  });

  it('for an unreachable server', async () => {
    const port = await unusedPort();
    const run = await runCli(['replay', '--target', `smtp://127.0.0.1:${port}`, HAPPY]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`smtp-lab replay: cannot connect to 127.0.0.1:${port}: connection refused\n`);
  });

  it('for a port the sandbox cannot take', async () => {
    const sandbox = await startSandboxProcess();
    try {
      const run = await runCli(['sandbox', '--port', String(sandbox.port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`smtp-lab sandbox: cannot listen on 127.0.0.1:${sandbox.port}: the port is already in use\n`);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('smtp-lab help and version', () => {
  it('prints the usage with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('smtp-lab replay [--target sim [--personality NAME] | --target smtp://HOST:PORT]');
  });

  it('prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
