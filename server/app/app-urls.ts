/** The addresses the live process prints, built from what the listeners actually bound. */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

export interface AppUrls {
  /** The web app and JSON API. */
  readonly http: string;
  /** The console bridge. */
  readonly ws: string;
  /** Plain SMTP with STARTTLS. */
  readonly smtp: string;
  /** Implicit TLS, when configured. */
  readonly smtps: string | null;
}

/** Builds the URLs; a wildcard address (0.0.0.0, ::) shows this machine's first LAN address. */
export function buildAppUrls(http: AddressInfo, smtp: AddressInfo, smtps: AddressInfo | null): AppUrls {
  const web = hostPort(http);
  return {
    http: `http://${web}/`,
    ws: `ws://${web}/ws`,
    smtp: `smtp://${hostPort(smtp)}`,
    smtps: smtps ? `smtps://${hostPort(smtps)}` : null,
  };
}

/** `host:port` with IPv6 in brackets, as URLs and `swaks --server` want it. */
export function hostPort(address: AddressInfo): string {
  return formatHostPort(displayHost(address.address), address.port);
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function displayHost(bound: string): string {
  if (bound !== '0.0.0.0' && bound !== '::') return bound;
  for (const entries of Object.values(networkInterfaces())) {
    const lan = entries?.find((entry) => entry.family === 'IPv4' && !entry.internal);
    if (lan) return lan.address;
  }
  return '127.0.0.1';
}
