/** Shared paging rules for the stores' list queries. */
import type { PageOptions } from './message-types.ts';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** Clamps paging options to safe integers: limit 1..MAX_PAGE_LIMIT, offset ≥ 0. */
export function pageBounds(page: PageOptions): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_LIMIT), 1), MAX_PAGE_LIMIT);
  const offset = Math.max(Math.trunc(page.offset ?? 0), 0);
  return { limit: Number.isFinite(limit) ? limit : DEFAULT_PAGE_LIMIT, offset: Number.isFinite(offset) ? offset : 0 };
}
