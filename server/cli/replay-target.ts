/** Turns `--target sim` or `--target smtp://HOST:PORT` into a transport to play a script over. */
import type { SandboxConfig } from '../../protocol/sandbox-config.ts';
import { createSimulatedTransport } from '../../protocol/simulator/index.ts';
import type { TransportFactory } from '../../protocol/transport.ts';
import { createTcpTransport } from '../transport/tcp-transport.ts';
import { CliFailure } from './cli-failure.ts';

export interface ReplayTarget {
  /** How the transcript names the server. */
  readonly name: string;
  readonly open: TransportFactory;
}

/** The SMTP port (25), used when the URL names none. */
const SMTP_PORT = 25;

/**
 * Resolves a target. `verifyTls` turns certificate checks on for STARTTLS: they are off by
 * default because the sandbox, a learning server on your own machine, uses a self-signed
 * certificate that no client could verify. Real mail clients must verify. `config` (a
 * personality's, from --personality) configures the simulator; it has no effect on a real server.
 */
export function resolveReplayTarget(target: string, verifyTls: boolean, config?: SandboxConfig): ReplayTarget {
  if (target === 'sim') {
    if (config === undefined) return { name: 'the simulated server', open: createSimulatedTransport() };
    return { name: `the simulated ${config.personality}`, open: createSimulatedTransport({ config }) };
  }
  const url = parseSmtpUrl(target);
  // An IPv6 host comes bracketed ("[::1]"): keep the brackets for display only.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    name: `${url.hostname}:${url.port}`,
    open: createTcpTransport(host, url.port, { tls: { rejectUnauthorized: verifyTls } }),
  };
}

function parseSmtpUrl(target: string): { hostname: string; port: number } {
  const bad = (why: string) =>
    new CliFailure(`bad --target ${JSON.stringify(target)}: ${why} (use sim or smtp://HOST:PORT)`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw bad('not a valid URL');
  }
  if (url.protocol !== 'smtp:') throw bad(`the scheme must be smtp://, not ${url.protocol}//`);
  if (url.hostname === '') throw bad('no host');
  if (url.username || url.password || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw bad('only a host and a port are allowed');
  }
  const port = url.port === '' ? SMTP_PORT : Number(url.port);
  if (port === 0) throw bad('port 0 is not a port a server listens on');
  return { hostname: url.hostname, port };
}
