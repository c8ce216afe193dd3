/** What an API route handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteParams } from './router.ts';

export interface ApiContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Whose data this request may see; every store call passes it. */
  readonly namespace: string;
  readonly params: RouteParams;
  readonly query: URLSearchParams;
}

export type ApiHandler = (context: ApiContext) => void | Promise<void>;
