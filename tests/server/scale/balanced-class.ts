/**
 * Two real `smtp-lab serve --classroom` processes, `a` and `b`, behind a real HAProxy running
 * deploy/haproxy.cfg, each with its instructor set up and one student joined.
 *
 * Each process has its own SQLite data directory for now, so a student is known to the process
 * they joined on (joined there directly). With the shared PostgreSQL store only the start
 * options change: add `--database URL` to PROCESS_ARGS.
 */
import { Actor, PASSWORD } from '../classroom/classroom-app.ts';
import { startServeProcess, type ServeProcess } from '../app/serve-process.ts';
import { BALANCER_NAME, startHaproxy, type RunningHaproxy } from '../../support/haproxy.ts';

/** The processes answer for the balancer's name (Host and Origin) as well as their own. */
const PROCESS_ARGS = ['--classroom', '--public-host', BALANCER_NAME];
/** The cookie deploy/haproxy.cfg pins a browser's WebSockets with; its value names a process. */
export const PIN = 'SMTPLAB_NODE';

export type ProcessName = 'a' | 'b';

export interface ClassProcess {
  readonly serve: ServeProcess;
  readonly instructor: Actor;
  /** A student who joined on this process, with their sign-in cookie. */
  readonly student: Actor;
}

export interface BalancedClass {
  readonly processes: Readonly<Record<ProcessName, ClassProcess>>;
  readonly balancer: RunningHaproxy;
  stop(): Promise<void>;
}

export async function startBalancedClass(): Promise<BalancedClass> {
  const [a, b] = await Promise.all([startServeProcess({ args: PROCESS_ARGS }), startServeProcess({ args: PROCESS_ARGS })]);
  const stopProcesses = () => Promise.all([a!.stop(), b!.stop()]);
  try {
    const [classA, classB] = await Promise.all([classOn(a!), classOn(b!)]);
    const balancer = await startHaproxy({ a: balancedPorts(a!), b: balancedPorts(b!) });
    return {
      processes: { a: classA!, b: classB! },
      balancer,
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

/** Sets up the instructor with the printed secret and has one student join, directly on the process. */
async function classOn(serve: ServeProcess): Promise<ClassProcess> {
  const secret = await printedSetupSecret(serve);
  const instructor = new Actor(serve.httpBase);
  const setup = await instructor.post('/api/instructor/setup', { secret, password: PASSWORD });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const { joinCode } = await instructor.json<{ joinCode: string }>('/api/classroom/overview');
  const student = new Actor(serve.httpBase);
  const joined = await student.post('/api/class/join', { code: joinCode, displayName: 'Ana' });
  if (joined.status !== 201) throw new Error(`join: ${joined.status} ${await joined.text()}`);
  return { serve, instructor, student };
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
