/**
 * Serves the built web app. Paths are checked twice against traversal: `.`/`..` segments and
 * separators hidden in encoded segments are refused outright, and the resolved real path
 * (symlinks followed) must still lie inside the static directory.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentTypeFor } from './content-types.ts';
import { NOT_BUILT_PAGE } from './not-built-page.ts';
import { sendBytes } from './respond.ts';

/** Vite names files under /assets/ by content hash, so they can be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface FoundFile {
  readonly path: string;
  readonly size: number;
}

/**
 * Answers a non-API request from `staticDir`: the file if it exists, else `index.html` for
 * app routes (paths without a file extension), else 404. With no built app, `/` explains how
 * to build it. Only GET and HEAD are allowed.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  segments: readonly string[],
  staticDir: string | null,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendText(res, 405, `${req.method ?? 'This method'} is not allowed here.`, { Allow: 'GET, HEAD' });
  }
  if (segments.some(isUnsafeSegment)) return sendText(res, 400, 'This path is not allowed.');
  if (segments.some((segment) => segment.startsWith('.'))) return sendText(res, 404, 'Not found.');

  const root = staticDir === null ? null : await realDirectory(staticDir);
  const index = root === null ? null : await findFile(root, ['index.html']);
  const wanted = segments.filter((segment) => segment !== '');
  const file = root === null || wanted.length === 0 ? null : await findFile(root, wanted);

  if (file !== null) {
    const cacheControl = wanted[0] === 'assets' ? IMMUTABLE : 'no-cache';
    return streamFile(req, res, file, cacheControl);
  }
  const lastSegment = wanted.at(-1) ?? '';
  const isAppRoute = !lastSegment.includes('.');
  if (index !== null && isAppRoute) return streamFile(req, res, index, 'no-cache');
  if (index === null && wanted.length === 0) {
    return sendBytes(res, 200, 'text/html; charset=utf-8', Buffer.from(NOT_BUILT_PAGE, 'utf8'), {
      'Cache-Control': 'no-cache',
    });
  }
  sendText(res, 404, 'Not found.');
}

/** `.`, `..`, or a segment that smuggles a separator or NUL in percent-encoding. */
function isUnsafeSegment(segment: string): boolean {
  return segment === '.' || segment === '..' || /[/\\\0]/.test(segment);
}

async function realDirectory(dir: string): Promise<string | null> {
  try {
    const real = await realpath(dir);
    return (await stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** The regular file at root/segments, only if its real path stays inside root. */
async function findFile(root: string, segments: readonly string[]): Promise<FoundFile | null> {
  try {
    const real = await realpath(join(root, ...segments));
    if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

function streamFile(req: IncomingMessage, res: ServerResponse, file: FoundFile, cacheControl: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeFor(file.path));
  res.setHeader('Content-Length', file.size);
  res.setHeader('Cache-Control', cacheControl);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  // A file that vanished or a client that left: end this response, never the process.
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  sendBytes(res, status, 'text/plain; charset=utf-8', Buffer.from(`${text}\n`, 'utf8'), headers);
}
