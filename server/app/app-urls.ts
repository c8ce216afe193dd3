/** The addresses the live process prints, built from what the listeners actually bound. */
import { isIP, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { formatHostPort } from '../bridge/bridge-options.ts';
import { canonicalHostName, isWildcardAddress, type HostAllowList } from '../http/host-allow-list.ts';

export interface AppUrls {
  /** The web app and JSON API. */
  readonly http: string;
  /** Every URL the web app answers at from a browser (`http` first), for the start banner. */
  readonly web: readonly string[];
  /** The console bridge. */
  readonly ws: string;
  /** Plain SMTP with STARTTLS. */
  readonly smtp: string;
  /** Implicit TLS, when configured. */
  readonly smtps: string | null;
}

/** How the web listener was configured: the names it answers for, and `--http-host`. */
export interface WebNames {
  readonly httpHost: string;
  readonly allowedHosts: HostAllowList;
}

/** Builds the URLs; a wildcard address (0.0.0.0, ::) shows this machine's first LAN address. */
export function buildAppUrls(http: AddressInfo, smtp: AddressInfo, smtps: AddressInfo | null, names: WebNames): AppUrls {
  const web = reachableWebHosts(http.port, names);
  // Never empty: the bound address, or for a wildcard the loopback names at least.
  const main = web[0]!;
  return {
    http: `http://${main}/`,
    web: web.map((host) => `http://${host}/`),
    ws: `ws://${main}/ws`,
    smtp: `smtp://${formatHostPort(displayHost(smtp.address), smtp.port)}`,
    smtps: smtps ? `smtps://${formatHostPort(displayHost(smtps.address), smtps.port)}` : null,
  };
}

/** The host to show for a bound address: for a wildcard, this machine's first LAN address. */
export function displayHost(bound: string): string {
  if (bound !== '0.0.0.0' && bound !== '::') return bound;
  for (const entries of Object.values(networkInterfaces())) {
    const lan = entries?.find((entry) => entry.family === 'IPv4' && !entry.internal);
    if (lan) return lan.address;
  }
  return '127.0.0.1';
}

/**
 * The `host[:port]`s that both reach the listener and pass the Host check: for a wildcard
 * bind, each address of this machine of the bound family (not IPv6 link-local, which needs a
 * zone a URL cannot carry), machine addresses before loopback; for one address or name, that
 * (a name rather than the address it resolved to: only the name passes the Host check), and
 * `localhost` when it is 127.0.0.1 or ::1; then every `--public-host` name.
 */
function reachableWebHosts(port: number, { httpHost, allowedHosts }: WebNames): string[] {
  const bound = canonicalHostName(httpHost) ?? httpHost;
  const direct = isWildcardAddress(httpHost)
    ? allowedHosts.ownNames.filter((name) => (isIP(httpHost) === 6 || !name.startsWith('[')) && !name.startsWith('[fe80:'))
    : [bound, ...(bound === '127.0.0.1' || bound === '[::1]' ? ['localhost'] : [])];
  const ordered = [...direct.filter((name) => !isLoopbackName(name)), ...direct.filter(isLoopbackName)];
  const suffix = port === 80 ? '' : `:${port}`;
  return [...new Set([...ordered, ...allowedHosts.publicNames])].map((name) => `${name}${suffix}`);
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || name.startsWith('127.');
}
