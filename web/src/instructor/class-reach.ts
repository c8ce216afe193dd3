/**
 * How students reach the class, from the URLs the server answers at (the ones it printed at
 * start). A loopback address (localhost, 127.x.x.x, [::1]) only works on the server's own
 * machine, so it is never a link for students.
 */

export type ClassReach =
  /** The server listens on this machine only: no student can reach it until it is restarted. */
  | { readonly kind: 'this-machine-only' }
  /** The join links students can open, the projector's first. */
  | { readonly kind: 'network'; readonly joinLinks: readonly string[] };

/** The command that opens the server to the classroom network (the README's warning applies). */
export const OPEN_TO_CLASS_COMMAND = 'npx smtp-lab serve --classroom --http-host 0.0.0.0';

/** True for a host name only this machine can use. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Where students can join, given the server's URLs and the join path (`/join/CODE`). */
export function classReach(webUrls: readonly string[], joinPath: string): ClassReach {
  const joinLinks = webUrls.filter((url) => !isLoopbackHost(new URL(url).hostname)).map((url) => new URL(joinPath, url).href);
  return joinLinks.length === 0 ? { kind: 'this-machine-only' } : { kind: 'network', joinLinks };
}

/**
 * The join link for the projector: on the page's own origin when students can open it too,
 * else the first address they can reach (a dashboard opened at localhost still shows a link
 * that works for the class).
 */
export function projectorJoinLink(reach: ClassReach, page: Pick<Location, 'origin' | 'hostname'>, joinPath: string): string {
  if (reach.kind === 'network' && isLoopbackHost(page.hostname)) return reach.joinLinks[0] ?? `${page.origin}${joinPath}`;
  return `${page.origin}${joinPath}`;
}
