/**
 * Two real `smtp-lab serve` processes, `a` and `b`, on one PostgreSQL database and one data
 * directory (the TLS certificate and the lab's DKIM keys), behind a real HAProxy running
 * deploy/haproxy.cfg: the README's "Running several processes", for the balanced tests and the
 * classroom-scale benchmark alike.
 */
import { freshDataDir, startServeProcess, type ServeProcess } from '../server/app/serve-process.ts';
import { BALANCER_NAME, startHaproxy, type RunningHaproxy } from './haproxy.ts';

export interface BalancedProcesses {
  readonly a: ServeProcess;
  readonly b: ServeProcess;
  readonly balancer: RunningHaproxy;
  /** Stops the balancer, then both processes. */
  stop(): Promise<void>;
}

export async function startBalancedProcesses(options: {
  readonly databaseUrl: string;
  /** More `serve` flags (`--classroom`…); the database and the balancer's name are added. */
  readonly args: readonly string[];
  /** Each process pinned to a core (benchmarks). */
  readonly pinToCores?: readonly [number, number];
  /** The balancer's connection limit. */
  readonly maxConnections?: number;
}): Promise<BalancedProcesses> {
  // The processes answer for the balancer's name (Host and Origin) as well as their own.
  const args = [...options.args, '--database', options.databaseUrl, '--public-host', BALANCER_NAME];
  const dataDir = freshDataDir();
  const started: ServeProcess[] = [];
  const stopProcesses = () => Promise.all(started.map((serve) => serve.stop()));
  try {
    // One after the other: the last start's setup secret is the one that works, and the first
    // makes the certificate and DKIM keys the second then reads from the shared data directory.
    for (const core of options.pinToCores ?? [undefined, undefined]) {
      started.push(await startServeProcess({ dataDir, args, ...(core === undefined ? {} : { pinToCore: core }) }));
    }
    const [a, b] = started as [ServeProcess, ServeProcess];
    const balancer = await startHaproxy({ a: balancedPorts(a), b: balancedPorts(b) }, options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections });
    return {
      a,
      b,
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
