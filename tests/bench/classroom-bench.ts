/**
 * A simulated class against the real `smtp-lab serve --classroom` on this machine: N students
 * join through the API (each with their own cookie), connect to the bridge as their browser
 * would, and work through the course's lesson solutions in live mode, one command at a time
 * with a pause between commands (a paste for message lines). Measured: the reply latency of
 * every command (sent → its reply relayed back), the server's memory per student, and the
 * largest class whose p99 stays under 100 ms with no timeout, bridge error or cut session
 * (stepping N up from 200, one run per size).
 *
 * Joins are limited to 10 a minute per client address, as in a real room; the simulated
 * students come from different loopback addresses (127.0.0.x) so the limit holds as designed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { parseSolution } from '../../protocol/lessons/index.ts';
import { WIRE_PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../../protocol/wire/contract.ts';
import { singleProcess, type ClassDeployment } from './class-deployments.ts';
import { cpuShares, median, percentile, processesNamed } from './measure.ts';

export const TARGET_P99_MS = 100;
const CLASS_SIZES = [200, 300, 400, 500, 600, 800, 1000, 1200, 1500];
const WARMUP_MS = 3000;
const MEASURE_MS = 10_000;
/** The pause after each reply before the next command: about one command a second per student. */
const THINK_MS = { min: 500, max: 1500 };
const REPLY_TIMEOUT_MS = 10_000;
/** Students per loopback source address (joins: 10 a minute per address). */
const STUDENTS_PER_ADDRESS = 8;

const LESSONS_DIR = fileURLToPath(new URL('../../lessons', import.meta.url));

/** Every connection of every lesson solution, as the lines a student sends. */
export function loadSolutions(): string[][] {
  const connections: string[][] = [];
  for (const folder of readdirSync(LESSONS_DIR).filter((name) => /^\d+-/.test(name)).sort()) {
    const parsed = parseSolution(readFileSync(join(LESSONS_DIR, folder, 'solution.smtp'), 'utf8'));
    if (!parsed.ok) throw new Error(`${folder}: ${parsed.error}`);
    connections.push(...parsed.solution.connections.map((lines) => lines.map((line) => line.text)));
  }
  return connections;
}

interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly cookies: string[];
}

/** One JSON request from a chosen local address (node:http, so the source address can be set). */
function requestJson(url: string, method: string, body: unknown, options: { cookie?: string; localAddress?: string } = {}): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      url,
      {
        method,
        localAddress: options.localAddress,
        headers: {
          ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const cookies = (response.headers['set-cookie'] ?? []).map((header) => header.split(';')[0] ?? '');
          resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null, cookies });
        });
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

/** Resident memory of a process in bytes (Linux). */
function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the measuring loop collects, shared by all students. */
interface Tally {
  /** Reply latencies of the commands, the end-of-data line left out. */
  readonly commands: number[];
  /** The replies to the end-of-data line alone (the message is received and stored before 250). */
  readonly endOfData: number[];
  /** Commands sent in the window. */
  sent: number;
  timeouts: number;
  /** Bridge `error` messages (rate limits, refusals). */
  errors: number;
  /** Sessions the server closed before the solution ended. */
  cutShort: number;
  measuring: boolean;
  stopped: boolean;
}

/** One simulated student: a bridge connection with their cookie, running lesson solutions. */
class SimulatedStudent {
  readonly #ws: WebSocket;
  #sessionId: string | null = null;
  #waiter: ((message: ServerMessage | null) => void) | null = null;
  #tally: Tally;

  private constructor(ws: WebSocket, tally: Tally) {
    this.#ws = ws;
    this.#tally = tally;
    ws.on('message', (data) => this.#receive(JSON.parse(String(data)) as ServerMessage));
    ws.on('close', () => this.#wake(null));
  }

  static async connect(wsUrl: string, cookie: string, localAddress: string, tally: Tally): Promise<SimulatedStudent> {
    const ws = new WebSocket(wsUrl, { headers: { cookie }, localAddress });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      ws.once('error', reject);
    });
    ws.on('error', () => undefined);
    const student = new SimulatedStudent(ws, tally);
    const welcome = student.#next((message) => message.type === 'welcome');
    student.#send({ type: 'hello', version: WIRE_PROTOCOL_VERSION });
    if ((await welcome)?.type !== 'welcome') throw new Error('no welcome from the bridge');
    return student;
  }

  /** Works through the solutions from `start` on, round and round, until the tally stops. */
  async run(solutions: readonly string[][], start: number): Promise<void> {
    for (let index = start; !this.#tally.stopped; index = (index + 1) % solutions.length) {
      await this.#runConnection(solutions[index] ?? []);
    }
  }

  close(): void {
    this.#ws.close();
  }

  async #runConnection(lines: readonly string[]): Promise<void> {
    const greeting = this.#next((message) => message.type === 'session.closed' || isReply(message));
    this.#send({ type: 'session.open', target: 'sandbox' });
    if (!isReply(await greeting)) return;
    let inData: boolean = false;
    for (const line of lines) {
      if (this.#tally.stopped || this.#sessionId === null) break;
      const expectsReply: boolean = !inData || line === '.';
      const reply: Promise<ServerMessage | null> | null = expectsReply ? this.#next((message) => message.type === 'session.closed' || isReply(message)) : null;
      const sentAt = performance.now();
      const counted = this.#tally.measuring;
      this.#send({ type: 'session.send', text: `${line}\r\n` });
      if (reply === null) continue;
      if (counted) this.#tally.sent += 1;
      const answer: ServerMessage | null | 'timeout' = await Promise.race([reply, sleep(REPLY_TIMEOUT_MS).then(() => 'timeout' as const)]);
      if (answer === 'timeout') {
        if (counted) this.#tally.timeouts += 1;
        break;
      }
      if (!isReply(answer)) {
        if (counted && !this.#tally.stopped && line.toUpperCase() !== 'QUIT') this.#tally.cutShort += 1;
        return;
      }
      if (counted && this.#tally.measuring) {
        (inData ? this.#tally.endOfData : this.#tally.commands).push(performance.now() - sentAt);
      }
      inData = answer.event.reply.code === 354 || (inData && line !== '.');
      await sleep(THINK_MS.min + Math.random() * (THINK_MS.max - THINK_MS.min));
    }
    if (this.#sessionId !== null) {
      const closed = this.#next((message) => message.type === 'session.closed');
      this.#send({ type: 'session.close' });
      await Promise.race([closed, sleep(REPLY_TIMEOUT_MS)]);
    }
  }

  #send(message: ClientMessage): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #matcher: ((message: ServerMessage) => boolean) | null = null;

  /** The next message that matches (or null when the socket closes). */
  #next(match: (message: ServerMessage) => boolean): Promise<ServerMessage | null> {
    return new Promise((resolve) => {
      this.#matcher = match;
      this.#waiter = resolve;
    });
  }

  #wake(message: ServerMessage | null): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    this.#matcher = null;
    waiter?.(message);
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'session.opened') this.#sessionId = message.sessionId;
    if (message.type === 'session.closed') this.#sessionId = null;
    if (message.type === 'error') this.#tally.errors += 1;
    if (this.#matcher?.(message)) this.#wake(message);
  }
}

function isReply(message: ServerMessage | null): message is Extract<ServerMessage, { type: 'session.event' }> & { event: { type: 'server.reply' } } {
  return message?.type === 'session.event' && message.event.type === 'server.reply';
}

export interface ClassResult {
  readonly students: number;
  readonly p50: number;
  readonly p99: number;
  readonly endOfDataP99: number;
  /** p99 of every reply but those to the end-of-data line. */
  readonly commandsP99: number;
  readonly replies: number;
  readonly timeouts: number;
  readonly errors: number;
  readonly cutShort: number;
  /** Resident memory of the server processes, summed, per student. */
  readonly bytesPerStudent: number;
  /** Each server process's resident memory growth over the run, in bytes. */
  readonly rssGrowth: readonly number[];
  /** CPU in the measured window, in percent of one core: the servers (summed), PostgreSQL, HAProxy, the load generator. */
  readonly cpuPercent: Readonly<Record<string, number>>;
  readonly generatorLagP99: number;
}

/** Sets up a class of `size` on a fresh server (`deploy` starts it), runs it, and measures. */
export async function runClass(size: number, solutions: readonly string[][], deploy: () => Promise<ClassDeployment> = () => singleProcess()): Promise<ClassResult> {
  const lab = await deploy();
  const students: SimulatedStudent[] = [];
  const tally: Tally = { commands: [], endOfData: [], sent: 0, timeouts: 0, errors: 0, cutShort: 0, measuring: false, stopped: false };
  try {
    const api = lab.httpBase;
    const secret = await lab.setupSecret();
    const setup = await requestJson(`${api}api/instructor/setup`, 'POST', { secret, password: 'benchmark password' });
    if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
    const overview = await requestJson(`${api}api/classroom/overview`, 'GET', undefined, { cookie: setup.cookies.join('; ') });
    const code = (overview.body as { joinCode: string }).joinCode;
    await sleep(500);
    const before = lab.pids.map(rssBytes);

    const addressOf = (index: number) => `127.0.${Math.floor(index / STUDENTS_PER_ADDRESS / 250)}.${2 + (Math.floor(index / STUDENTS_PER_ADDRESS) % 250)}`;
    for (let batch = 0; batch < size; batch += 25) {
      const joined = await Promise.all(
        Array.from({ length: Math.min(25, size - batch) }, async (_, offset) => {
          const index = batch + offset;
          const localAddress = addressOf(index);
          const response = await requestJson(`${api}api/class/join`, 'POST', { code, displayName: `Student ${index + 1}` }, { localAddress });
          if (response.status !== 201) throw new Error(`join ${index}: ${response.status} ${JSON.stringify(response.body)}`);
          return SimulatedStudent.connect(lab.wsUrl, response.cookies.join('; '), localAddress, tally);
        }),
      );
      students.push(...joined);
    }

    const lag = monitorEventLoopDelay({ resolution: 10 });
    const cpu = cpuShares({
      servers: () => lab.pids,
      postgres: () => processesNamed('postgres'),
      haproxy: () => processesNamed('haproxy'),
      generator: () => [process.pid],
    });
    const running = students.map((student, index) => student.run(solutions, (index * 7) % solutions.length));
    await sleep(WARMUP_MS);
    tally.measuring = true;
    lag.enable();
    cpu.start();
    await sleep(MEASURE_MS);
    const cpuPercent = cpu.stop();
    tally.measuring = false;
    lag.disable();
    const rssGrowth = lab.pids.map((pid, index) => rssBytes(pid) - (before[index] ?? 0));
    const bytesPerStudent = rssGrowth.reduce((sum, bytes) => sum + bytes, 0) / size;
    tally.stopped = true;
    for (const student of students) student.close();
    await Promise.race([Promise.all(running), sleep(5000)]);
    const all = [...tally.commands, ...tally.endOfData];
    return {
      students: size,
      p50: median(all),
      p99: percentile(all, 99),
      endOfDataP99: percentile(tally.endOfData, 99),
      commandsP99: percentile(tally.commands, 99),
      replies: all.length,
      timeouts: tally.timeouts,
      errors: tally.errors,
      cutShort: tally.cutShort,
      bytesPerStudent,
      rssGrowth,
      cpuPercent,
      generatorLagP99: lag.percentile(99) / 1e6,
    };
  } finally {
    tally.stopped = true;
    for (const student of students) student.close();
    await lab.stop();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Meeting the target means every command answered in time: no timeout, no bridge error, no cut session. */
export function withinTarget(result: ClassResult): boolean {
  return result.p99 < TARGET_P99_MS && result.timeouts === 0 && result.errors === 0 && result.cutShort === 0;
}

export function describe(result: ClassResult): string {
  return (
    `${String(result.students).padStart(4)} students: ${result.replies} replies, p50 ${ms(result.p50)}, p99 ${ms(result.p99)} ` +
    `(end of data p99 ${ms(result.endOfDataP99)}, other commands p99 ${ms(result.commandsP99)}); ` +
    `${(result.bytesPerStudent / 1024).toFixed(0)} KiB server memory per student; ` +
    `${result.timeouts} timeouts, ${result.errors} bridge errors, ${result.cutShort} sessions cut short; ` +
    `load generator event-loop lag p99 ${ms(result.generatorLagP99)}`
  );
}

/** Runs the class benchmark and prints its figures and verdicts (it never fails the run). */
export async function runClassroomBench(): Promise<void> {
  const solutions = loadSolutions();
  console.log(
    `classroom: a simulated class against one 'smtp-lab serve --classroom' on this machine: each student joins through the API, ` +
      `connects to the bridge with their cookie and replays the ${solutions.length} connections of the lesson solutions in live mode, ` +
      `one command at a time, ${THINK_MS.min / 1000}-${THINK_MS.max / 1000} s apart (message lines as a paste); ` +
      `${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured`,
  );
  let largest = 0;
  let first: ClassResult | null = null;
  // One run per size, each printed: a miss stops the sweep and is the figure reported.
  for (const size of CLASS_SIZES) {
    let result: ClassResult;
    try {
      result = await runClass(size, solutions);
    } catch (error) {
      console.log(`  ${size} students: could not run (${(error as Error).message})`);
      break;
    }
    first ??= result;
    console.log(`  ${describe(result)}${withinTarget(result) ? '' : '  <- misses the target'}`);
    if (!withinTarget(result)) break;
    largest = size;
  }
  if (first === null) return;
  console.log(
    `  verdict: ${first.students} students ${withinTarget(first) ? 'meet' : 'MISS'} the target (p99 < ${TARGET_P99_MS} ms with no timeout, ` +
      `bridge error or cut session): p99 ${ms(first.p99)}, ${first.timeouts} timeouts, ${first.errors} bridge errors, ${first.cutShort} cut short, ` +
      `${(first.bytesPerStudent / 1024).toFixed(0)} KiB per student`,
  );
  console.log(
    `  largest class within the target: ${largest === 0 ? 'none of the sizes tried' : `${largest} students`}` +
      `${largest === CLASS_SIZES.at(-1) ? ' (the largest size tried; the cap of this benchmark)' : ''}`,
  );
}
