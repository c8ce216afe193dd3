/** Opens the simulated server configured for a lesson, as the web app does in simulated mode. */
import { mergeServerConfig, type Lesson } from '../../protocol/lessons/index.ts';
import { createSimulatedTransport } from '../../protocol/simulator/index.ts';
import type { TransportFactory } from '../../protocol/transport.ts';

/** One factory per play, so state a server keeps between connections (greylisting) carries over. */
export function openLessonServer(lesson: Pick<Lesson, 'server'>): TransportFactory {
  return createSimulatedTransport({ config: mergeServerConfig(lesson.server) });
}
