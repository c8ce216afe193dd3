/** One row of the API's route table, who may call it, and what its handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../classroom/classroom-types.ts';
import type { HttpMethod, RouteParams } from './router.ts';

/**
 * Who may call a route, checked before its handler runs (access.ts):
 * - `anonymous`: anyone who reaches the server;
 * - `student`: a student of the class (classroom mode);
 * - `instructor`: the signed-in instructor (classroom mode);
 * - `operator`: someone with a mailbox of their own, whose captured mail and transcripts the
 *   route works on. Outside classroom mode that is whoever reaches the server (there is no
 *   sign-in: the one who runs it, on loopback unless they opened it); in classroom mode a
 *   student or the instructor, each in their own namespace.
 */
export type Access = 'anonymous' | 'student' | 'instructor' | 'operator';

export interface ApiContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: RouteParams;
  readonly query: URLSearchParams;
  /** Who is calling; outside classroom mode nobody in particular (no student, not the instructor). */
  readonly identity: Identity;
  /** On `operator` routes: whose data this request may see (every store call passes it); '' on the others. */
  readonly namespace: string;
  /** Who the per-address limits count this request against (the proxy's forwarded client when trusted). */
  readonly clientAddress: string;
}

export type ApiHandler = (context: ApiContext) => void | Promise<void>;

export interface ApiRoute {
  readonly method: HttpMethod;
  /** Segments after `/`; `:name` captures one as `params.name`. */
  readonly path: string;
  readonly access: Access;
  readonly handler: ApiHandler;
}
