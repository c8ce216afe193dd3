/**
 * The mailbox's paging cursor: `RECEIVED_AT.ID` of the last message of a page (the list's sort
 * key). It stays valid when that message is deleted, unlike an offset or a bare id.
 */
import type { PageCursor } from './message-types.ts';

const CURSOR = /^(0|[1-9][0-9]{0,14})\.([1-9][0-9]{0,14})$/;

export function formatCursor(cursor: PageCursor): string {
  return `${cursor.receivedAt}.${cursor.id}`;
}

/** The cursor written by `formatCursor`, or null for anything else. */
export function parseCursor(text: string): PageCursor | null {
  const match = CURSOR.exec(text);
  if (match === null) return null;
  return { receivedAt: Number(match[1]), id: Number(match[2]) };
}
