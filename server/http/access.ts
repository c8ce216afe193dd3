/** The access check every API route passes before its handler: who may call it, and the refusal for who may not. */
import type { ApiErrorCode } from '../../protocol/wire/api-error.ts';
import type { Identity } from '../classroom/classroom-types.ts';
import type { Access } from './api-route.ts';

export interface Refusal {
  readonly status: 401 | 403;
  readonly code: ApiErrorCode;
  readonly message: string;
}

/**
 * The refusal for a caller the route's access does not admit, or null to go on. `namespace`
 * is the caller's own mailbox on `operator` routes (null: they have none).
 * Anonymous: 401. Signed in as the wrong kind (a student on an instructor route, or the
 * reverse): 403.
 */
export function accessRefusal(access: Access, identity: Identity, namespace: string | null): Refusal | null {
  switch (access) {
    case 'anonymous':
      return null;
    case 'operator':
      return namespace === null
        ? { status: 401, code: 'unauthorized', message: 'Join the class (or sign in as the instructor) to see a mailbox.' }
        : null;
    case 'instructor':
      if (identity.instructor) return null;
      return identity.student === null
        ? { status: 401, code: 'unauthorized', message: 'Sign in as the instructor first.' }
        : { status: 403, code: 'forbidden', message: 'This is for the instructor only.' };
    case 'student':
      if (identity.student !== null) return null;
      return identity.instructor
        ? { status: 403, code: 'forbidden', message: 'This is for students: join the class in another browser profile to try it.' }
        : { status: 401, code: 'unauthorized', message: 'Join the class first: open the join link your instructor gave you.' };
  }
}
