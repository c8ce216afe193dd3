/** The messages between the main thread and the mail-auth worker (mail-auth-worker.ts). */
import type { DkimKeys } from '../dkim-keys.ts';
import type { SignOutcome } from './sign-outbound.ts';
import type { ZoneVerification, ZoneVerifyRequest } from './verify-with-zone.ts';

export interface MailAuthWorkerData {
  /** The lab's signing keys (PEM), loaded once by the main thread. */
  readonly keys: DkimKeys;
}

/** One job: DKIM-sign `raw` as `domain`, or run a receiving MX's check on it. */
export type MailAuthJob =
  | { readonly id: number; readonly kind: 'sign'; readonly raw: Uint8Array; readonly domain: string }
  | { readonly id: number; readonly kind: 'verify'; readonly raw: Uint8Array; readonly request: ZoneVerifyRequest };

/** The jobs of one turn of the main thread's event loop, posted together: one wake-up of the worker. */
export interface MailAuthBatch {
  readonly jobs: readonly MailAuthJob[];
}

/** A job's answer; `error` when the job threw (that job fails, the worker goes on). */
export type MailAuthAnswer =
  | { readonly id: number; readonly kind: 'sign'; readonly outcome: SignOutcome }
  | { readonly id: number; readonly kind: 'verify'; readonly verification: ZoneVerification }
  | { readonly id: number; readonly kind: 'error'; readonly error: string };
