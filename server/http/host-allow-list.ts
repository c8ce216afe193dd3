/**
 * The names this server answers for. Against DNS rebinding: a foreign site whose name the
 * attacker re-points at 127.0.0.1 makes the victim's browser send `Host: evil.example`, so a
 * request for a name that is not ours is refused (421) before anything else looks at it. The
 * `/ws` and classroom Origin checks use the same list, so they no longer trust the Host header.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export interface HostAllowListOptions {
  /** `--http-host`: a wildcard (0.0.0.0, ::) stands for every address of this machine. */
  readonly httpHost: string;
  /** `--public-host` names: a classroom DNS name, a reverse proxy's name. */
  readonly publicHosts: readonly string[];
  /** This machine's interface addresses, used for a wildcard bind; default: os.networkInterfaces(), read once. */
  readonly interfaceAddresses?: readonly string[];
}

/** A Host header or Origin split into a canonical name (lower case, IPv6 in brackets) and a port. */
interface Authority {
  readonly name: string;
  /** null: no port given. */
  readonly port: number | null;
}

/** The loopback names a local browser uses; always ours. */
const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Which names a request may use; the port comes from the socket the request arrived on. */
export class HostAllowList {
  /**
   * Names reached directly on the listener: valid only with its port (`NAME:PORT`), or
   * bare when the listener is on 80 (browsers leave out the default port).
   */
  readonly ownNames: readonly string[];
  /**
   * `--public-host` names, with any port or none: they are typically served through a
   * reverse proxy on 80/443 or a port mapping, whose port we cannot know. The name alone is
   * what stops rebinding (an attacker's page carries the attacker's name).
   */
  readonly publicNames: readonly string[];

  constructor(options: HostAllowListOptions) {
    const direct = isWildcardAddress(options.httpHost) ? (options.interfaceAddresses ?? machineAddresses()) : [options.httpHost];
    this.ownNames = canonicalNames([...LOOPBACK_NAMES, ...direct]);
    this.publicNames = canonicalNames(options.publicHosts);
  }

  /** A loopback-only list: what a server bound to 127.0.0.1 with no public names accepts. */
  static loopback(): HostAllowList {
    return new HostAllowList({ httpHost: '127.0.0.1', publicHosts: [] });
  }

  /** Whether a Host header names this server, for a request that arrived on `listenerPort`. */
  allowsHost(header: string | undefined, listenerPort: number | undefined): boolean {
    const authority = header === undefined ? null : parseHostHeader(header);
    return authority !== null && this.#allows(authority, listenerPort);
  }

  /**
   * Whether a browser Origin is one of this server's own pages: an own name over plain
   * HTTP on the listener's port, or a public name over HTTP or HTTPS on any port.
   */
  allowsOrigin(origin: string, listenerPort: number | undefined): boolean {
    const url = parseHttpUrl(origin);
    if (url === null) return false;
    const name = canonicalHostName(url.hostname);
    if (name === null) return false;
    if (this.publicNames.includes(name)) return true;
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return url.protocol === 'http:' && this.#allows({ name, port }, listenerPort);
  }

  #allows({ name, port }: Authority, listenerPort: number | undefined): boolean {
    if (this.publicNames.includes(name)) return true;
    if (listenerPort === undefined || !this.ownNames.includes(name)) return false;
    return port === listenerPort || (port === null && listenerPort === 80);
  }
}

/** What a refused request is told (a learner may have typed a name the operator did not give). */
export function misdirectedMessage(host: string | undefined): string {
  const named = host === undefined || host === '' ? 'no name' : `the name ${JSON.stringify(host.slice(0, 100))}`;
  return (
    `This server does not answer for ${named}: it answers only for its own names, so that other web sites cannot reach it ` +
    'through your browser. Open it at an address it printed when it started, or have it started with --public-host NAME.'
  );
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; null for anything else (a path, userinfo, spaces). */
export function parseHostHeader(header: string): Authority | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(header);
  if (match === null) return null;
  const name = canonicalHostName(match[1]!);
  const port = match[2] === undefined ? null : Number(match[2]);
  if (name === null || (port !== null && (port < 1 || port > 65535))) return null;
  return { name, port };
}

/** The addresses of this machine's interfaces, loopback included. */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}

/** 0.0.0.0 or :: (in any spelling): listen on every address. */
export function isWildcardAddress(host: string): boolean {
  if (isIP(host) === 4) return host === '0.0.0.0';
  return isIP(host) === 6 && canonicalHostName(host) === '[::]';
}

/** Lower case; IPv6 in compressed form inside brackets (as in a Host header); null if it is no name. */
export function canonicalHostName(text: string): string | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname;
  if (text !== bare) return null;
  // Letters, digits, dots and hyphens only: no ports, no userinfo, no IDN left undecoded.
  return /^[a-z0-9.-]+$/i.test(bare) ? bare.toLowerCase() : null;
}

/** An http: or https: URL (an Origin header, an allowed origin), or null for anything else. */
export function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function canonicalNames(names: readonly string[]): string[] {
  return [...new Set(names.map(canonicalHostName).filter((name): name is string => name !== null))];
}
