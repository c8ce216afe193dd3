/**
 * The lessons plugin in Vite's dev server (never listening): an edited, added or broken lesson
 * is in the compiled module at once and the module is sent as a hot update, so authors see
 * their change without restarting `npm run dev`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILED_LESSONS_ID, compiledLessons } from '../../web/vite-plugin-lessons.ts';
import { LESSONS_DIR } from './load-course.ts';

const FOLDERS = ['01-client-and-server', '04-envelope-and-headers'];

let root: string;
let lessonsDir: string;
let server: ViteDevServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'smtp-lab-lessons-'));
  lessonsDir = join(root, 'lessons');
  for (const folder of FOLDERS) cpSync(join(LESSONS_DIR, folder), join(lessonsDir, folder), { recursive: true });
  server = await createServer({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins: [compiledLessons(lessonsDir)],
    // No listen(): nothing opens a port; the watcher and the module graph work all the same.
    server: { fs: { allow: [root, LESSONS_DIR] } },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function compiledCode(): Promise<string> {
  const result = await server.environments.client.transformRequest(COMPILED_LESSONS_ID);
  if (result === null) throw new Error('the compiled lessons module did not load');
  return result.code;
}

/**
 * Polls the module until `accept` holds (the watcher reports changes asynchronously): 400 tries,
 * 50 ms apart; a loaded machine can take seconds to deliver a file event.
 */
async function codeWhen(accept: (code: string) => boolean): Promise<string> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const code = await compiledCode();
    if (accept(code)) return code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the compiled lessons module did not change');
}

function hotUpdated(): boolean {
  const module = server.environments.client.moduleGraph.getModuleById(`\0${COMPILED_LESSONS_ID}`);
  return (module?.lastHMRTimestamp ?? 0) > 0;
}

describe('the compiled lessons module in the dev server', () => {
  it('serves the parsed lessons and imports the check modules', async () => {
    const code = await compiledCode();
    expect(code).toContain('client-and-server');
    expect(code).toContain('envelope-and-headers');
    expect(code).toMatch(/import \{ check as check0 \} from "[^"]*04-envelope-and-headers\/check\.ts"/);
    expect(hotUpdated()).toBe(false);
  });

  it('follows an edited lesson, a new one and a broken one', async () => {
    const index = join(lessonsDir, '01-client-and-server', 'index.md');
    writeFileSync(index, readFileSync(index, 'utf8').replace(/^title: .*$/m, 'title: Edited while the dev server runs'));
    await codeWhen((code) => code.includes('Edited while the dev server runs'));
    expect(hotUpdated()).toBe(true);

    cpSync(join(LESSONS_DIR, '02-the-greeting'), join(lessonsDir, '02-the-greeting'), { recursive: true });
    await codeWhen((code) => code.includes('the-greeting'));

    writeFileSync(join(lessonsDir, '02-the-greeting', 'solution.smtp'), '# nothing to send yet\n');
    const broken = await codeWhen((code) => !code.includes('\\"id\\":\\"the-greeting\\"'));
    expect(broken).toContain('02-the-greeting');
    expect(broken).toContain('solution.smtp: connection 1 has no lines to send');
  });
});
