/**
 * Every setting of `smtp-lab serve` in one table: its flag, its environment variable, its
 * default and one line of help. The CLI options, the help text, the environment reader and the
 * zod schema are all derived from it, so a new limit is one row here plus one schema field.
 * The sandbox's own settings keep their names and defaults (protocol/sandbox-config.ts).
 */
import { z } from 'zod';
import { DEFAULT_SANDBOX_CONFIG as SANDBOX } from '../../protocol/sandbox-config.ts';
import { DEFAULT_MAX_QUEUED } from '../world/outbound/queue-cap.ts';
import type { ServerConfig } from './server-config.ts';
import {
  byteSize,
  databaseUrlSchema,
  duration,
  formatBytes,
  hostNameSchema,
  listenHostSchema,
  originSchema,
  pathSchema,
  portSchema,
  publicHostSchema,
  switchSchema,
  targetSchema,
  trustedProxySchema,
  wholeNumber,
} from './value-schemas.ts';

export interface SettingInfo {
  readonly flag: string;
  readonly env: string;
  /** The default as it would be typed; undefined: the setting is off unless given. */
  readonly default?: string;
  /** May be given several times (env: comma-separated). */
  readonly repeatable?: boolean;
  /** A switch: the flag takes no value; the environment variable is 1/0, true/false, yes/no. */
  readonly switch?: boolean;
  /** Placeholder for the value in the help text. */
  readonly value: string;
  readonly help: string;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** The settings in help order. */
export const SETTINGS: Readonly<Record<keyof ServerConfig, SettingInfo>> = {
  httpHost: { flag: 'http-host', env: 'SMTP_LAB_HTTP_HOST', default: '127.0.0.1', value: 'HOST', help: 'address of the web app, API and /ws bridge' },
  httpPort: { flag: 'http-port', env: 'SMTP_LAB_HTTP_PORT', default: '8025', value: 'PORT', help: 'HTTP port (0 picks a free one)' },
  smtpHost: { flag: 'smtp-host', env: 'SMTP_LAB_SMTP_HOST', default: '127.0.0.1', value: 'HOST', help: 'address of the sandbox SMTP server (and SMTPS)' },
  smtpPort: { flag: 'smtp-port', env: 'SMTP_LAB_SMTP_PORT', default: '2525', value: 'PORT', help: 'SMTP port, STARTTLS offered (0 picks a free one)' },
  smtpsPort: { flag: 'smtps-port', env: 'SMTP_LAB_SMTPS_PORT', value: 'PORT', help: 'also listen for implicit-TLS SMTP on this port (off by default)' },
  dataDir: { flag: 'data-dir', env: 'SMTP_LAB_DATA', default: './.data', value: 'DIR', help: 'where captured mail, transcripts and the certificate are kept' },
  database: {
    flag: 'database',
    env: 'SMTP_LAB_DATABASE',
    value: 'URL',
    help: 'PostgreSQL shared by several processes (postgres://user:password@host/db); default: SQLite in --data-dir',
  },
  tlsKeyFile: { flag: 'tls-key', env: 'SMTP_LAB_TLS_KEY', value: 'FILE', help: 'PEM private key for STARTTLS/SMTPS (with --tls-cert)' },
  tlsCertFile: { flag: 'tls-cert', env: 'SMTP_LAB_TLS_CERT', value: 'FILE', help: 'PEM certificate (default: self-signed, made at first start)' },
  hostname: { flag: 'hostname', env: 'SMTP_LAB_HOSTNAME', default: SANDBOX.hostname, value: 'NAME', help: 'name in the SMTP greeting and the generated certificate' },
  allowTargets: { flag: 'allow-target', env: 'SMTP_LAB_ALLOW_TARGETS', repeatable: true, value: 'HOST:PORT', help: 'extra live SMTP server learners may pick (repeatable)' },
  allowedOrigins: { flag: 'allowed-origin', env: 'SMTP_LAB_ALLOWED_ORIGINS', repeatable: true, value: 'ORIGIN', help: 'extra browser origin allowed to open /ws (repeatable)' },
  publicHosts: { flag: 'public-host', env: 'SMTP_LAB_PUBLIC_HOSTS', repeatable: true, value: 'NAME', help: 'another name the web app answers for, with any port (a classroom DNS name, a proxy; repeatable)' },
  trustedProxies: {
    flag: 'trusted-proxy',
    env: 'SMTP_LAB_TRUSTED_PROXIES',
    repeatable: true,
    value: 'ADDRESS',
    help: "a reverse proxy's address: its X-Forwarded-For names the client for the per-address limits (repeatable)",
  },
  maxMessageSize: { flag: 'max-message-size', env: 'SMTP_LAB_MAX_MESSAGE_SIZE', default: formatBytes(SANDBOX.maxMessageSize), value: 'BYTES', help: 'largest message accepted (552 beyond)' },
  maxRecipients: { flag: 'max-recipients', env: 'SMTP_LAB_MAX_RECIPIENTS', default: String(SANDBOX.maxRecipients), value: 'N', help: 'recipients per message (452 beyond)' },
  maxLineLength: { flag: 'max-line-length', env: 'SMTP_LAB_MAX_LINE_LENGTH', default: String(SANDBOX.maxLineLength), value: 'BYTES', help: 'longest SMTP command line (421 beyond)' },
  wsMaxPayload: { flag: 'ws-max-payload', env: 'SMTP_LAB_WS_MAX_PAYLOAD', default: '2M', value: 'BYTES', help: 'largest WebSocket message from a browser (a console send: half of it)' },
  maxSessionsPerAddress: { flag: 'max-sessions-per-address', env: 'SMTP_LAB_MAX_SESSIONS_PER_ADDRESS', default: '20', value: 'N', help: 'concurrent SMTP connections, and bridge sessions, per client address' },
  commandsPerSecond: { flag: 'commands-per-second', env: 'SMTP_LAB_COMMANDS_PER_SECOND', default: '10', value: 'N', help: 'console sends per second per bridge session (bursts of twice that)' },
  idleTimeoutMs: { flag: 'idle-timeout', env: 'SMTP_LAB_IDLE_TIMEOUT', default: '5m', value: 'DURATION', help: 'close a silent session after this long (SMTP: 421)' },
  sessionLifetimeMs: { flag: 'session-lifetime', env: 'SMTP_LAB_SESSION_LIFETIME', default: '1h', value: 'DURATION', help: 'close a bridge session after this long' },
  sessionDataBudget: { flag: 'session-data-budget', env: 'SMTP_LAB_SESSION_DATA_BUDGET', default: '64M', value: 'BYTES', help: 'bytes a console session may send in all; past it the session closes' },
  maxStoredMessages: { flag: 'max-stored-messages', env: 'SMTP_LAB_MAX_STORED_MESSAGES', default: '1000', value: 'N', help: 'messages kept; the oldest are evicted beyond it' },
  maxSmtpClients: { flag: 'max-smtp-clients', env: 'SMTP_LAB_MAX_SMTP_CLIENTS', default: '2000', value: 'N', help: 'SMTP connections in all, bridge sessions included (421 beyond)' },
  classroom: { flag: 'classroom', env: 'SMTP_LAB_CLASSROOM', default: 'false', switch: true, value: '', help: 'classroom mode: instructor dashboard, students join with a code' },
  classDomain: { flag: 'class-domain', env: 'SMTP_LAB_CLASS_DOMAIN', default: 'class.smtp-lab.test', value: 'DOMAIN', help: "domain of the students' class addresses (classroom mode)" },
  labClockSpeed: { flag: 'lab-clock-speed', env: 'SMTP_LAB_LAB_CLOCK_SPEED', default: '60', value: 'N', help: 'lab-world seconds per real second (retries, greylisting, expiry)' },
  queueLifetimeMs: { flag: 'queue-lifetime', env: 'SMTP_LAB_QUEUE_LIFETIME', default: '120h', value: 'DURATION', help: 'lab time a relayed message may wait before it bounces as expired' },
  relayConcurrency: { flag: 'relay-concurrency', env: 'SMTP_LAB_RELAY_CONCURRENCY', default: '16', value: 'N', help: 'outbound messages the relay worker carries to lab MX hosts at once' },
  maxQueued: { flag: 'max-queued', env: 'SMTP_LAB_MAX_QUEUED', default: String(DEFAULT_MAX_QUEUED), value: 'N', help: "recipients waiting in one learner's outbound queue (452 4.3.1 at RCPT beyond)" },
};

/** What the raw strings of one run look like before validation. */
export type RawSettings = Partial<Record<keyof ServerConfig, string | readonly string[]>>;

const optional = <T>(schema: z.ZodType<T, string>) => schema.optional().transform((value) => value ?? null);

/** Turns raw strings (defaults already filled in) into a typed, checked ServerConfig. */
export const serverConfigSchema = z
  .object({
    httpHost: listenHostSchema,
    httpPort: portSchema,
    smtpHost: listenHostSchema,
    smtpPort: portSchema,
    smtpsPort: optional(portSchema),
    dataDir: pathSchema,
    database: optional(databaseUrlSchema),
    tlsKeyFile: optional(pathSchema),
    tlsCertFile: optional(pathSchema),
    hostname: hostNameSchema,
    allowTargets: z.array(targetSchema).default([]),
    allowedOrigins: z.array(originSchema).default([]),
    publicHosts: z.array(publicHostSchema).default([]),
    trustedProxies: z.array(trustedProxySchema).default([]),
    // RFC 5321 §4.5.3.1.7: at least 64k octets must be accepted; 1 GiB keeps a message in memory sane.
    maxMessageSize: byteSize(64 * 1024, 1024 ** 3),
    // RFC 5321 §4.5.3.1.8: at least 100 recipients "must" be buffered; a sandbox may choose fewer.
    maxRecipients: wholeNumber(1, 10_000),
    // RFC 5321 §4.5.3.1.4: at least 512 octets per command line.
    maxLineLength: wholeNumber(512, 1024 * 1024),
    wsMaxPayload: byteSize(1024, 64 * 1024 ** 2),
    maxSessionsPerAddress: wholeNumber(1, 100_000),
    commandsPerSecond: wholeNumber(1, 100_000),
    idleTimeoutMs: duration(SECOND, 24 * HOUR),
    sessionLifetimeMs: duration(SECOND, 7 * 24 * HOUR),
    sessionDataBudget: byteSize(64 * 1024, 1024 ** 3),
    maxStoredMessages: wholeNumber(1, 10_000_000),
    maxSmtpClients: wholeNumber(1, 1_000_000),
    classroom: switchSchema,
    classDomain: hostNameSchema,
    labClockSpeed: wholeNumber(1, 1_000_000),
    queueLifetimeMs: duration(SECOND, 1000 * HOUR),
    relayConcurrency: wholeNumber(1, 256),
    maxQueued: wholeNumber(1, 1_000_000),
  })
  .superRefine((config, context) => {
    if ((config.tlsKeyFile === null) !== (config.tlsCertFile === null)) {
      const missing = config.tlsKeyFile === null ? 'tlsKeyFile' : 'tlsCertFile';
      context.addIssue({ code: 'custom', path: [missing], message: 'is needed too: give both --tls-key and --tls-cert, or neither' });
    }
    if (config.smtpsPort !== null && config.smtpsPort !== 0 && config.smtpsPort === config.smtpPort) {
      context.addIssue({ code: 'custom', path: ['smtpsPort'], message: 'must differ from --smtp-port' });
    }
    if (config.httpPort !== 0 && config.httpPort === config.smtpPort && config.httpHost === config.smtpHost) {
      context.addIssue({ code: 'custom', path: ['httpPort'], message: 'must differ from --smtp-port on the same host' });
    }
  });
