/**
 * Keeps a sandbox on the class's server behaviours: read from the tables whenever any process
 * announces a change, and again after a resync (a change may have been missed). Reads run one
 * after another, so the last applied is the newest.
 */
import type { ClassBehaviours } from '../../protocol/sandbox-config.ts';
import type { ClassService } from './class-service.ts';

export function followBehaviours(service: ClassService, apply: (behaviours: ClassBehaviours) => void, onError: (error: unknown) => void): () => void {
  let last: Promise<void> = Promise.resolve();
  const reread = (): void => {
    last = last.then(async () => apply(await service.behaviours())).catch(onError);
  };
  const unsubscribe = [
    service.events.subscribe((event) => {
      if (event.type === 'behaviours.changed') reread();
    }),
    service.events.onResync(reread),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}
