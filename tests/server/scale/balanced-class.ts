/**
 * Two real `smtp-lab serve --classroom` processes, `a` and `b`, on one PostgreSQL database and
 * one data directory (the TLS certificate and the lab's DKIM keys), behind a real HAProxy
 * running deploy/haproxy.cfg: one class, its instructor set up once, one student joined on each
 * process.
 */
import { Actor, PASSWORD } from '../classroom/classroom-app.ts';
import { freshDataDir, startServeProcess, type ServeProcess } from '../app/serve-process.ts';
import { BALANCER_NAME, startHaproxy, type RunningHaproxy } from '../../support/haproxy.ts';
import { freshDatabase } from '../../support/sql-engines.ts';

/** The processes answer for the balancer's name (Host and Origin) as well as their own. */
const PROCESS_ARGS = ['--classroom', '--public-host', BALANCER_NAME];
/** The cookie deploy/haproxy.cfg pins a browser's WebSockets with; its value names a process. */
export const PIN = 'SMTPLAB_NODE';

export type ProcessName = 'a' | 'b';

export interface ClassProcess {
  readonly serve: ServeProcess;
  /** The class's one instructor, signed in, talking to this process. */
  readonly instructor: Actor;
  /** The student who joined on this process, with their sign-in cookie. */
  readonly student: Actor & { readonly id: string; readonly address: string; readonly displayName: string };
}

export interface BalancedClass {
  readonly processes: Readonly<Record<ProcessName, ClassProcess>>;
  readonly balancer: RunningHaproxy;
  /** The shared database's URL (a test database of its own). */
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

/** `actor`'s cookies (their sign-in), on another base URL: the same person through another door. */
export function actorOn(actor: Actor, base: string): Actor {
  const moved = new Actor(base);
  for (const [name, value] of actor.cookies) moved.cookies.set(name, value);
  return moved;
}

export async function startBalancedClass(): Promise<BalancedClass> {
  const database = await freshDatabase('postgres');
  const args = [...PROCESS_ARGS, '--database', database.url!];
  const dataDir = freshDataDir();
  const started: ServeProcess[] = [];
  const stopProcesses = async () => {
    await Promise.all(started.map((serve) => serve.stop()));
    await database.drop();
  };
  try {
    // One after the other: the last start's setup secret is the one that works, and the first
    // makes the certificate and DKIM keys the second then reads from the shared data directory.
    const a = await startServeProcess({ dataDir, args });
    started.push(a);
    const b = await startServeProcess({ dataDir, args });
    started.push(b);
    const instructor = await setUpInstructor(b);
    const [studentA, studentB] = [await join(a, instructor, 'Ana'), await join(b, instructor, 'Bo')];
    const balancer = await startHaproxy({ a: balancedPorts(a), b: balancedPorts(b) });
    return {
      processes: {
        a: { serve: a, instructor: actorOn(instructor, a.httpBase), student: studentA },
        b: { serve: b, instructor, student: studentB },
      },
      balancer,
      databaseUrl: database.url!,
      stop: async () => {
        await balancer.stop();
        await stopProcesses();
      },
    };
  } catch (error) {
    await stopProcesses();
    throw error;
  }
}

function balancedPorts(serve: ServeProcess): { httpPort: number; smtpPort: number } {
  return { httpPort: Number(new URL(serve.httpBase).port), smtpPort: serve.smtpPort };
}

/** Sets up the instructor on `serve` with the secret it printed. */
async function setUpInstructor(serve: ServeProcess): Promise<Actor> {
  const secret = await printedSetupSecret(serve);
  const instructor = new Actor(serve.httpBase);
  const setup = await instructor.post('/api/instructor/setup', { secret, password: PASSWORD });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  return instructor;
}

/** A student joining directly on `serve` with the class code. */
async function join(serve: ServeProcess, instructor: Actor, displayName: string): Promise<ClassProcess['student']> {
  const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
  const student = new Actor(serve.httpBase);
  const joined = await student.post('/api/class/join', { code: joinCode, displayName });
  if (joined.status !== 201) throw new Error(`join: ${joined.status} ${await joined.text()}`);
  const { student: info } = (await joined.json()) as { student: { id: string; address: string } };
  return Object.assign(student, { id: info.id, address: info.address, displayName });
}

/** The one-time setup secret from the start banner (printed with it, so a short wait is plenty). */
async function printedSetupSecret(serve: ServeProcess): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const secret = /setup secret:\s*\n\s*(\S+)/.exec(serve.stdout())?.[1];
    if (secret !== undefined) return secret;
    if (Date.now() > deadline) throw new Error(`no setup secret in:\n${serve.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
