// Test files are named for what they test, and a name is found by name alone (`vitest run
// name`, a failure in CI's summary): two files with one name under tests/ make both ambiguous.
import { readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tests = resolve(import.meta.dirname, '..');

const testFiles = readdirSync(tests, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.test\.ts$/.test(entry.name))
  .map((entry) => relative(tests, join(entry.parentPath, entry.name)));

describe('test file names', () => {
  it('finds the test files it judges', () => {
    // A walk that found nothing would pass the rule below.
    expect(testFiles).toContain(relative(tests, import.meta.filename));
    expect(testFiles.length).toBeGreaterThan(100);
  });

  it('gives no two test files under tests/ the same name', () => {
    const byName = new Map<string, string[]>();
    for (const file of testFiles) byName.set(basename(file), [...(byName.get(basename(file)) ?? []), file]);
    const shared = [...byName.values()].filter((files) => files.length > 1);
    expect(shared).toEqual([]);
  });
});
