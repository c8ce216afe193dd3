/** The words the console shows when a bridged session ends. Lower-case fragments; the UI capitalizes. */
import type { Reply } from '../../protocol/replies/types.ts';

/** "5 minutes", "30 seconds", "250 ms". */
export function formatDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms >= 1000 && ms % 1000 === 0) return plural(ms / 1000, 'second');
  return `${ms} ms`;
}

export function idleReason(idleTimeoutMs: number): string {
  return `the bridge closed the session after ${formatDuration(idleTimeoutMs)} without input from you (idle timeout)`;
}

export function lifetimeReason(maxSessionMs: number): string {
  return `the bridge closed the session because a session may last at most ${formatDuration(maxSessionMs)}`;
}

/**
 * Why the server side ended: the reply that announced it (421 and 221 close the channel,
 * RFC 5321 §3.8 and §4.2.2), a failed TLS handshake, or the socket error.
 */
export function serverCloseReason(where: string, lastReply: Reply | null, tlsFailure: string | null, socketError?: string): string {
  if (tlsFailure !== null) return `the TLS handshake with ${where} failed: ${tlsFailure}`;
  if (lastReply !== null && (lastReply.code === 421 || lastReply.code === 221)) {
    return `the SMTP server closed the connection after "${lastReply.lines[0] ?? lastReply.code}"`;
  }
  if (socketError !== undefined) return `the connection to ${where} ended: ${socketError}`;
  return 'the SMTP server closed the connection';
}

/** "64 MiB", "512 KiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  const unit = (size: number, name: string) => `${Number.isInteger(size) ? size : size.toFixed(1)} ${name}`;
  if (bytes >= 1024 * 1024) return unit(bytes / (1024 * 1024), 'MiB');
  if (bytes >= 1024) return unit(bytes / 1024, 'KiB');
  return `${bytes} bytes`;
}

export function dataBudgetReason(maxDataBytes: number): string {
  return `this session reached its limit of ${formatBytes(maxDataBytes)} sent to the server (the data budget); start a new session to go on`;
}

export function eventLimitReason(maxEvents: number): string {
  return `this session reached its limit of ${maxEvents.toLocaleString('en-US')} recorded events; start a new session to go on`;
}

export function transcriptLimitReason(maxTranscriptBytes: number): string {
  return `this session reached its limit of ${formatBytes(maxTranscriptBytes)} of recorded transcript; start a new session to go on`;
}
