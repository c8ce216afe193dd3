#!/usr/bin/env node
// `npm start` runs this first: it builds the web app (vite build → dist/web) only when the
// build is missing or older than any source it is made from, so a restart costs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/web/index.html');
const sources = ['web', 'protocol', 'lessons', 'vite.config.ts', 'package-lock.json'];

/** The newest modification time under `path` (a file or a folder), in milliseconds. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.map((source) => newest(join(root, source))));
if (builtAt >= changedAt) process.exit(0);

console.log(builtAt === 0 ? 'Building the web app (first start)…' : 'Sources changed since the last build: rebuilding the web app…');
// Always the production build: under vitest NODE_ENV is "test", which Vite would honour with a
// development build (bigger and slower), and the browser tests and the bench would measure that.
const result = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
process.exit(result.status ?? 1);
