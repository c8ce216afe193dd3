/**
 * zod schemas that turn one flag or environment value (always a string) into a typed setting.
 * Their error messages finish the sentence "--flag …" so the CLI can print them as they are.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** A TCP port; 0 lets the system pick a free one (tests and benchmarks use that). */
export const portSchema = wholeNumber(0, 65535);

/** A whole number within [min, max]. */
export function wholeNumber(min: number, max: number) {
  const range = `must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error: range })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: range }).max(max, { error: range }));
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** A size in bytes, written as bytes or with a binary suffix: `65536`, `64k`, `10M`. */
export function byteSize(min: number, max: number) {
  const range = `must be a size from ${formatBytes(min)} to ${formatBytes(max)} (bytes, or with a k/M suffix)`;
  return numberWithUnit(/^(\d+)\s*([a-z]*)$/i, SIZE_UNITS, min, max, range);
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, '': 1000, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds, written in seconds or with a unit: `300`, `90s`, `5m`, `1h`, `500ms`. */
export function duration(minMs: number, maxMs: number) {
  const range = `must be a duration from ${formatDuration(minMs)} to ${formatDuration(maxMs)} (seconds, or with ms/s/m/h)`;
  return numberWithUnit(/^(\d+)\s*(ms|s|m|h)?$/i, DURATION_UNITS, minMs, maxMs, range);
}

/** A whole number and an optional unit (`pattern`'s two groups), scaled by `units`, within [min, max]. */
function numberWithUnit(pattern: RegExp, units: Readonly<Record<string, number>>, min: number, max: number, range: string) {
  return z.string().transform((text, context) => {
    const match = pattern.exec(text.trim());
    const unit = match ? units[(match[2] ?? '').toLowerCase()] : undefined;
    const value = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      context.addIssue({ code: 'custom', message: range });
      return z.NEVER;
    }
    return value;
  });
}

/** An address to listen on: an IPv4 or IPv6 address or a host name (no brackets, no port). */
export const listenHostSchema = z
  .string()
  .trim()
  .refine((host) => isIP(host) !== 0 || isHostName(host), {
    error: 'must be an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name, without a port',
  });

/** An extra live SMTP server the bridge may connect to: `host:port` or `[v6]:port`. */
export const targetSchema = z.string().transform((text, context) => {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/i.exec(text.trim());
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  const hostOk = match?.[1] !== undefined ? isIP(host) === 6 : isIP(host) === 4 || isHostName(host);
  if (!match || !hostOk || !Number.isInteger(port) || port < 1 || port > 65535) {
    context.addIssue({ code: 'custom', message: `must be host:port (e.g. mail.school.lan:25 or [::1]:2525), not ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return { host, port };
});

/** A browser origin allowed to open the WebSocket: scheme, host and optional port, no path. */
export const originSchema = z.string().transform((text, context) => {
  const trimmed = text.trim().replace(/\/$/, '');
  let origin: string | null = null;
  try {
    const url = new URL(trimmed);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === trimmed) origin = url.origin;
  } catch {
    origin = null;
  }
  if (origin === null) {
    context.addIssue({ code: 'custom', message: `must be an origin like http://lab.school.lan:8025 (scheme, host, port; no path), not ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return origin;
});

/**
 * A name the web app answers for besides its own (`--public-host`): a host name or an IP
 * address, IPv6 with or without brackets, no port and no scheme. Kept as a Host header
 * writes it: lower case, IPv6 in brackets.
 */
export const publicHostSchema = z.string().transform((text, context) => {
  const trimmed = text.trim().toLowerCase();
  const bare = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  if (isIP(bare) === 6) return `[${bare}]`;
  if (bare === trimmed && (isIP(bare) === 4 || isHostName(bare))) return bare;
  context.addIssue({ code: 'custom', message: `must be a host name or IP address without a port, like lab.school.lan, not ${JSON.stringify(text)}` });
  return z.NEVER;
});

/** A reverse proxy's address (`--trusted-proxy`): an IPv4 or IPv6 address, no port, no range. */
export const trustedProxySchema = z.string().transform((text, context) => {
  const trimmed = text.trim();
  const bare = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  if (isIP(bare) !== 0) return bare.toLowerCase();
  context.addIssue({ code: 'custom', message: `must be the IP address the proxy connects from, like 127.0.0.1, not ${JSON.stringify(text)}` });
  return z.NEVER;
});

/** An on/off switch: the flag alone is "true"; the environment may say 1/0, true/false, yes/no, on/off. */
export const switchSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(text), { error: 'must be 1 or 0 (true/false, yes/no, on/off)' })
  .transform((text) => ['1', 'true', 'yes', 'on'].includes(text));

/** A file system path; only emptiness is checked here, existence when it is opened. */
export const pathSchema = z.string().trim().min(1, { error: 'must not be empty' });

/** A PostgreSQL connection URL (the only other engine); its password is never echoed back. */
export const databaseUrlSchema = z.string().trim().refine(isPostgresUrl, { error: 'must be a PostgreSQL URL like postgres://user:password@127.0.0.1:5432/smtplab' });

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** The sandbox's host name, as used in its greeting and certificate. */
export const hostNameSchema = z.string().trim().refine(isHostName, { error: 'must be a host name like sandbox.smtp-lab.test' });

function isHostName(text: string): boolean {
  return text.length <= 253 && /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(text);
}

/** A byte count as the size settings are written: `10M`, `64k`, `1000`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}M`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}k`;
  return `${bytes}`;
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
