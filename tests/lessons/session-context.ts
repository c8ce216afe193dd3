/** Runs a replay script against the simulator and returns the lesson-check context it leaves. */
import { mergeServerConfig, type LessonCheckContext, type ServerOverrides } from '../../protocol/lessons/index.ts';
import { lessonContext } from '../../protocol/lessons/index.ts';
import { parseScript } from '../../protocol/replay/parse-script.ts';
import { runScript } from '../../protocol/replay/run-script.ts';
import { createSessionActor } from '../../protocol/session/index.ts';
import { createSimulatedTransport } from '../../protocol/simulator/index.ts';

/**
 * The context after the script's last reply. The close at the end of the replay is not fed to
 * the model, so state conditions see the state the script reached.
 */
export async function contextAfter(script: string, server: ServerOverrides = {}): Promise<LessonCheckContext> {
  const parsed = parseScript(script);
  if (!parsed.ok) throw new Error(parsed.message);
  const session = createSessionActor();
  await runScript(parsed.lines, createSimulatedTransport({ config: mergeServerConfig(server) }), {
    onEvent: (event) => {
      if (event.type !== 'server.unreadable' && event.type !== 'socket.closed') session.send(event);
    },
  });
  return lessonContext(session.getSnapshot(), [...session.transcript]);
}
