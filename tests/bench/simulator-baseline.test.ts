import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { materializeBaseline } from './simulator-baseline.ts';

const roots: string[] = [];
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('materializeBaseline', () => {
  // HEAD is in every clone, shallow or not; the pinned commit may not be.
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

  it("extracts a commit's protocol/ folder, and only that", () => {
    const root = tempRoot();
    const result = materializeBaseline(head, root);
    expect(result).toEqual({ folder: join(root, head) });
    expect(existsSync(join(root, head, 'protocol', 'simulator', 'simulated-server.ts'))).toBe(true);
    expect(existsSync(join(root, head, 'server'))).toBe(false);
    expect(existsSync(join(root, `${head}.partial`))).toBe(false);
  });

  it('reuses a folder an earlier run extracted', () => {
    const root = tempRoot();
    materializeBaseline(head, root);
    const marker = join(root, head, 'protocol', 'kept-from-the-first-run');
    writeFileSync(marker, '');
    materializeBaseline(head, root);
    expect(existsSync(marker)).toBe(true);
  });

  it('says why when the commit is not in the clone, and extracts nothing', () => {
    const root = tempRoot();
    const missing = 'f'.repeat(40);
    const result = materializeBaseline(missing, root);
    expect(result).toEqual({ reason: expect.stringContaining('commit fffffff is not in this clone') });
    expect(existsSync(join(root, missing))).toBe(false);
  });
});
