/**
 * The sockets a process owns, read from /proc (Linux): its fds that are sockets, matched by
 * inode against the TCP and UDP tables of its network namespace. Used to prove that the
 * sandbox never opens a connection to the outside, without touching the process under test.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessSocket {
  readonly protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  /** The kernel's hex state (0A = LISTEN, 01 = ESTABLISHED, 02 = SYN_SENT). */
  readonly state: string;
  /** The local port, so a caller can find a listener it knows. */
  readonly localPort: number;
  readonly remote: string;
  /** True when the remote end is this machine (127.0.0.0/8, ::1) or unset (listening). */
  readonly remoteIsLocal: boolean;
}

/**
 * Every TCP/UDP socket `pid` holds right now. An unreadable /proc throws rather than reading
 * as "no sockets", which would pass for "no connections"; callers also check that their
 * own listener is among the results.
 */
export function processSockets(pid: number): ProcessSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = linkOrNothing(`/proc/${pid}/fd/${fd}`);
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const sockets: ProcessSocket[] = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const line of readFileSync(`/proc/${pid}/net/${protocol}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9] ?? '')) continue;
      const remote = fields[2] ?? '';
      const localPort = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      sockets.push({ protocol, state: fields[3] ?? '', localPort, remote, remoteIsLocal: isLocal(remote.split(':')[0] ?? '') });
    }
  }
  return sockets;
}

/** True for a socket that reaches beyond this machine, or any UDP socket (a DNS lookup would be one). */
export function isOutside(socket: ProcessSocket): boolean {
  return socket.protocol.startsWith('udp') || !socket.remoteIsLocal;
}

/** True when `sockets` hold a TCP listener on `port` (the kernel's state 0A). */
export function listensOn(sockets: readonly ProcessSocket[], port: number): boolean {
  return sockets.some((socket) => socket.protocol.startsWith('tcp') && socket.state === '0A' && socket.localPort === port);
}

/** /proc writes addresses as hex in host (little-endian) byte order per 32-bit word. */
function isLocal(hex: string): boolean {
  if (/^0+$/.test(hex)) return true;
  if (hex.length === 8) return hex.slice(6, 8) === '7F';
  if (hex === '00000000000000000000000001000000') return true;
  // ::ffff:127.x.y.z (an IPv4 client on a dual-stack socket)
  return hex.startsWith('0000000000000000FFFF0000') && hex.slice(30, 32) === '7F';
}

/** An fd closed between the listing and the read is simply gone: not an error. */
function linkOrNothing(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
