/**
 * The simulator as it was before server personalities, for the personality benchmark's
 * baseline: that commit's `protocol/` is extracted from git into a git-ignored folder inside
 * the repo (so its imports of xstate and zod resolve from the repo's node_modules) and its
 * SimulatedServer is imported from there. Never used in tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * 60323cf is the parent of 91bb506, the commit that added protocol/simulator/personalities:
 * the last simulator with one built-in server, i.e. "today's simulator path" of issue 12's
 * benchmark. Pinned so the baseline stays the same while personalities change.
 */
export const PRE_PERSONALITY_COMMIT = '60323cf9e9f9822a01ce22851e1935dc138cdab7';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Git-ignored (.gitignore): one sub-folder per commit, reused by later runs. */
export const BASELINE_ROOT = join(REPO_ROOT, '.bench-baseline');

/** What the benchmark uses of a SimulatedServer, old or new. */
export interface BenchServer {
  greeting(): string;
  receive(text: string): string;
  readonly closed: boolean;
}

export interface BenchServerOptions {
  readonly onMessage?: () => void;
}

export type BenchServerFactory = (options: BenchServerOptions) => BenchServer;

export type BaselineLoad =
  | { readonly available: true; readonly commit: string; readonly create: BenchServerFactory }
  | { readonly available: false; readonly reason: string };

/** Short git failure text: its stderr's first line, not a stack trace. */
function gitFailure(error: unknown): string {
  const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim().split('\n')[0];
  return stderr || (error instanceof Error ? error.message : String(error));
}

/**
 * Extracts `protocol/` of `commit` into BASELINE_ROOT/<commit>/ unless already there; returns
 * the folder, or why it could not (no git, a shallow clone without the commit, …).
 */
export function materializeBaseline(commit: string, root = BASELINE_ROOT): { folder: string } | { reason: string } {
  const folder = join(root, commit);
  if (existsSync(join(folder, 'protocol', 'simulator', 'index.ts'))) return { folder };
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (error) {
    return { reason: `commit ${commit.slice(0, 7)} is not in this clone (${gitFailure(error)})` };
  }
  // Extract beside the final folder and rename, so an interrupted run never leaves half a tree.
  const partial = `${folder}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const archive = execFileSync('git', ['archive', commit, 'protocol'], { cwd: REPO_ROOT, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', partial], { input: archive, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    return { reason: `git archive of ${commit.slice(0, 7)} failed (${gitFailure(error)})` };
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return { folder };
}

/** The shape of the old simulator module that the benchmark relies on, checked at run time. */
interface BaselineModule {
  SimulatedServer: new (options: { onMessage?: () => void }) => BenchServer;
}

function isBaselineModule(value: unknown): value is BaselineModule {
  return typeof (value as { SimulatedServer?: unknown }).SimulatedServer === 'function';
}

/** The pre-personality SimulatedServer, or why it is unavailable. */
export async function loadBaselineSimulator(commit = PRE_PERSONALITY_COMMIT): Promise<BaselineLoad> {
  const materialized = materializeBaseline(commit);
  if ('reason' in materialized) return { available: false, reason: materialized.reason };
  const entry = join(materialized.folder, 'protocol', 'simulator', 'index.ts');
  const loaded: unknown = await import(pathToFileURL(entry).href);
  if (!isBaselineModule(loaded)) return { available: false, reason: `${entry} exports no SimulatedServer` };
  const { SimulatedServer } = loaded;
  return { available: true, commit, create: (options) => new SimulatedServer(options) };
}
