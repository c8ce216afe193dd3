/**
 * A class on two real `smtp-lab serve --classroom` processes behind HAProxy
 * (tests/support/balanced-processes.ts): its instructor set up once, one student joined on each
 * process.
 */
import { Actor, actorOn, PASSWORD } from '../classroom/classroom-app.ts';
import { printedSetupSecret, type ServeProcess } from '../app/serve-process.ts';
import { startBalancedProcesses, type BalancedProcesses } from '../../support/balanced-processes.ts';
import type { RunningHaproxy } from '../../support/haproxy.ts';
import { freshDatabase } from '../../support/sql-engines.ts';

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

export async function startBalancedClass(): Promise<BalancedClass> {
  const database = await freshDatabase('postgres');
  let processes: BalancedProcesses | null = null;
  const stopAll = async () => {
    await processes?.stop();
    await database.drop();
  };
  try {
    processes = await startBalancedProcesses({ databaseUrl: database.url!, args: ['--classroom'] });
    const { a, b, balancer } = processes;
    const instructor = await setUpInstructor(b);
    const [studentA, studentB] = [await join(a, instructor, 'Ana'), await join(b, instructor, 'Bo')];
    return {
      processes: {
        a: { serve: a, instructor: actorOn(instructor, a.httpBase), student: studentA },
        b: { serve: b, instructor, student: studentB },
      },
      balancer,
      databaseUrl: database.url!,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
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
