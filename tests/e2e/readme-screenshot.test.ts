/** `npm run screenshot` works: run into a temporary folder, it takes a 1366×768 PNG of the learner page and finds the README's lesson list current. */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/readme-screenshot.ts', ...args], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run screenshot', () => {
  it('saves the learner page as a PNG and leaves a current README as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-readme-'));
    const readme = join(dir, 'README.md');
    copyFileSync(join(ROOT, 'README.md'), readme);
    const { code, output } = await run(['--out', join(dir, 'page.png'), '--readme', readme]);
    expect(code, output).toBe(0);
    const png = readFileSync(join(dir, 'page.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, right after the chunk's length and type.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1366, 768]);
    expect(png.length).toBeGreaterThan(50_000);
    expect(readFileSync(readme, 'utf8')).toBe(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(output).toContain('the lesson list is current');
  }, 240_000);
});
