/**
 * Runs one scenario on the simulator and on a real sandbox, and reduces both runs to what
 * must be identical. The simulator runs first; how many replies it gave per write tells the
 * real client how many to wait for (a missing or extra real reply still shows as a
 * difference, at that step or the next). A reconnect step opens a new connection to the
 * same server: on the simulator, a new SimulatedServer sharing the greylisting memory.
 */
import { SimulatedServer, type SimulatedMessage } from '../../protocol/simulator/index.ts';
import { GreylistMemory } from '../../protocol/simulator/server-behaviours.ts';
import type { SandboxConfig } from '../../protocol/sandbox-config.ts';
import type { CapturedMessage } from '../../server/sandbox/captured-message.ts';
import { createSandbox, type Sandbox } from '../../server/sandbox/create-sandbox.ts';
import { RealSmtpClient } from './real-smtp-client.ts';
import type { Scenario, ScenarioStep } from './scenario-types.ts';

const FINAL_LINE = /^\d{3}(?: |$)/;
const QUEUE_ID = /queued as ([0-9A-F]{10})$/;

/** What both servers must agree on about an accepted message: all but the queue id, which differs by design. */
export type ComparedMessage = Omit<SimulatedMessage, 'queueId'>;

export interface Run {
  /** Server lines per step: the greeting first, then one entry per client step. */
  readonly replies: string[][];
  readonly closed: boolean;
  readonly messages: ComparedMessage[];
  readonly queueIds: string[];
}

/** A run on the real server also says how long each step took, for the reply delay. */
export interface TimedRun extends Run {
  /** Per entry of `replies`: milliseconds from the connect or write until its replies came. */
  readonly stepMs: number[];
}

/** Messages the real sandboxes capture go to the scenario that is running. */
let capturedByRealServer: CapturedMessage[] = [];
const sandboxes = new Map<string, { sandbox: Sandbox; port: number }>();

/**
 * The port of a real sandbox running `config`, started on first use. Sandboxes remember
 * greylisted pairs, so a scenario that needs a fresh memory passes its own `isolation` key.
 */
export async function realSandboxFor(config: SandboxConfig, isolation = ''): Promise<number> {
  const key = `${isolation}\n${JSON.stringify(config)}`;
  const known = sandboxes.get(key);
  if (known) return known.port;
  const sandbox = createSandbox({ config, onMessage: (message) => capturedByRealServer.push(message) });
  const { port } = await sandbox.listen(0, '127.0.0.1');
  sandboxes.set(key, { sandbox, port });
  return port;
}

function wireLines(text: string): string[] {
  return text.split('\r\n').slice(0, -1);
}

export function queueIdsIn(replies: readonly string[][]): string[] {
  return replies.flat().flatMap((line) => QUEUE_ID.exec(line)?.[1] ?? []);
}

export function normalized(run: Run): Run {
  const replies = run.replies.map((step) => step.map((line) => line.replace(QUEUE_ID, 'queued as <queue id>')));
  return { replies, closed: run.closed, messages: run.messages, queueIds: [] };
}

/**
 * Runs on the simulator; also returns, per step, how many replies came and whether it closed.
 * `greylist` is the memory of the simulated server, to mirror a real sandbox used before.
 */
export function runOnSimulator(scenario: Scenario, config: SandboxConfig, greylist = new GreylistMemory()) {
  const messages: SimulatedMessage[] = [];
  const connect = () =>
    new SimulatedServer({ config, clientAddress: '127.0.0.1', greylist, onMessage: (message) => messages.push(message) });
  let server = connect();
  const replies = [wireLines(server.greeting())];
  const plan: Array<{ step: ScenarioStep; replyCount: number; closes: boolean }> = [];
  const play = (step: ScenarioStep) => {
    const wasClosed = server.closed;
    if (typeof step !== 'string' && 'reconnect' in step) {
      server = connect();
      replies.push(wireLines(server.greeting()));
      plan.push({ step, replyCount: 1, closes: false });
      return;
    }
    if (typeof step !== 'string') {
      if (server.awaitingTls) server.startTls();
      replies.push([]);
      plan.push({ step, replyCount: 0, closes: false });
      return;
    }
    const output = wireLines(server.receive(step));
    replies.push(output);
    plan.push({ step, replyCount: output.filter((line) => FINAL_LINE.test(line)).length, closes: server.closed && !wasClosed });
  };
  scenario.steps.forEach(play);
  // A final QUIT when the scenario left the connection open: once the real server has
  // closed, every reply it was going to send has arrived, so none can be missed.
  if (!server.closed) play('QUIT\r\n');
  const run: Run = {
    replies,
    closed: server.closed,
    messages: messages.map(({ queueId: _queueId, ...summary }) => summary),
    queueIds: messages.map((message) => message.queueId),
  };
  return { run, plan };
}

export async function runOnRealServer(port: number, plan: ReturnType<typeof runOnSimulator>['plan']): Promise<TimedRun> {
  capturedByRealServer = [];
  const stepMs: number[] = [];
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    stepMs.push(performance.now() - start);
    return result;
  };
  let { client, greeting } = await timed(() => RealSmtpClient.connect(port));
  const replies = [greeting];
  try {
    for (const { step, replyCount, closes } of plan) {
      if (typeof step === 'string') replies.push(await timed(() => client.send(step, replyCount, closes)));
      else if ('reconnect' in step) {
        client.destroy();
        ({ client, greeting } = await timed(() => RealSmtpClient.connect(port)));
        replies.push(greeting);
      } else {
        await timed(() => client.startTls());
        replies.push([]);
      }
    }
  } finally {
    client.destroy();
  }
  const messages = capturedByRealServer.map((message) => ({
    mailFrom: message.mailFrom,
    rcptTo: [...message.rcptTo],
    data: message.raw.toString('utf8'),
    clientHelo: message.clientHelo,
    remoteAddress: message.remoteAddress,
    authenticatedUser: message.authenticatedUser,
    secure: message.secure,
  }));
  return { replies, closed: client.closed, messages, queueIds: capturedByRealServer.map((message) => message.queueId), stepMs };
}

/** Stops every sandbox started so far. */
export async function closeSandboxes(): Promise<void> {
  await Promise.all([...sandboxes.values()].map(({ sandbox }) => sandbox.close()));
  sandboxes.clear();
}
