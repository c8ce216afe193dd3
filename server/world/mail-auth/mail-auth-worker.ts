/**
 * Runs in a worker thread (see mail-auth-pool.ts): the CPU-heavy, self-contained part of each
 * hop — DKIM signing at the sending domain (an RSA-2048 key parse and signature per message)
 * and the receiving MX's SPF/DKIM/DMARC check (key parse, signature check, parsing) — off the
 * event loop that serves every SMTP connection. The code is the same as in the main thread
 * (signOutbound, verifyWithZone); each verify job carries its zone snapshot, so the lab resolver
 * stays the only resolver (mailauth is always given it). Parsed keys are reused (key-parse-cache.ts).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { cacheKeyParsing } from './key-parse-cache.ts';
import type { MailAuthAnswer, MailAuthBatch, MailAuthJob, MailAuthWorkerData } from './mail-auth-protocol.ts';
import { signOutbound } from './sign-outbound.ts';
import { verifyWithZone } from './verify-with-zone.ts';

if (parentPort === null) throw new Error('mail-auth-worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;
const { keys } = workerData as MailAuthWorkerData;
cacheKeyParsing();

async function answer(job: MailAuthJob): Promise<MailAuthAnswer> {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  try {
    if (job.kind === 'sign') return { id: job.id, kind: 'sign', outcome: await signOutbound(raw, job.domain, keys) };
    return { id: job.id, kind: 'verify', verification: await verifyWithZone(raw, job.request) };
  } catch (error) {
    return { id: job.id, kind: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

port.on('message', ({ jobs }: MailAuthBatch) => {
  for (const job of jobs) void answer(job).then((reply) => port.postMessage(reply));
});
