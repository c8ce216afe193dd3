/**
 * Runs in a worker thread (see capture-writer.ts): parses and stores captured messages with
 * its own database connection, one at a time so ids follow the order the sandbox accepted
 * them. Parsing (mailparser) is the expensive part of ingest; here it never delays an SMTP
 * reply or a learner's round trip on the main thread.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { MessageStore } from '../storage/message-store.ts';
import { openDatabase } from '../storage/open-database.ts';
import type { CaptureRequest, CaptureResult, CaptureWorkerData } from './capture-protocol.ts';

if (parentPort === null) throw new Error('capture-worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;

const { databaseFile, maxMessages } = workerData as CaptureWorkerData;
const db = openDatabase(databaseFile);
const store = new MessageStore(db, { maxMessages });
const queue: CaptureRequest[] = [];
let draining = false;

port.on('message', (request: CaptureRequest) => {
  queue.push(request);
  if (!draining) void drain();
});

async function drain(): Promise<void> {
  draining = true;
  // One transaction per message, never one around parsing: the main thread writes session
  // transcripts to the same database and would wait (synchronously) for the lock.
  for (let request = queue.shift(); request !== undefined; request = queue.shift()) {
    if (request.kind === 'close') {
      db.close();
      port.close();
      return;
    }
    port.postMessage(await storeOne(request.seq, request.namespace, request.message));
  }
  draining = false;
}

async function storeOne(seq: number, namespace: string, message: CapturedMessage): Promise<CaptureResult> {
  try {
    // Structured cloning turns the Buffer into a plain Uint8Array; the store wants a Buffer.
    const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength);
    const { message: summary, evicted } = await store.save(namespace, { ...message, raw });
    return { seq, ok: true, summary, evicted };
  } catch (error) {
    return { seq, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
