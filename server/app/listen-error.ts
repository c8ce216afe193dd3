/** A listener that could not bind, named, with the reason in words an operator can act on. */
import type net from 'node:net';
import { formatHostPort } from '../bridge/bridge-options.ts';

export class ListenError extends Error {
  constructor(what: string, host: string, port: number, cause: unknown) {
    super(`cannot listen for ${what} on ${formatHostPort(host, port)}: ${reason(cause)}`, { cause });
  }
}

/** Binds `server`; rejects with a ListenError naming `what` (e.g. "SMTPS"). */
export function listenOn(server: net.Server, what: string, host: string, port: number): Promise<net.AddressInfo> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(new ListenError(what, host, port, error));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve(server.address() as net.AddressInfo);
    });
  });
}

function reason(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return 'the port is already in use (pick another with a flag, or 0 for any free port)';
  if (code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return 'no such address on this machine';
  return cause instanceof Error ? cause.message : String(cause);
}
