/**
 * Conformance: every scenario runs against the simulator and against the real sandboxed
 * smtp-server (same configuration, started on port 0 here, spoken to over real TCP). The
 * replies must be identical line by line, except the queue id, which is random on both
 * sides; the simulator is told the real client address (127.0.0.1) so the EHLO line is
 * compared as is. The captured messages must be identical too. Scenarios with greylisting get
 * a sandbox of their own, since a sandbox remembers the pairs it has seen. With a reply delay,
 * each real step must also take at least the delay per reply it waited for: identical texts
 * alone would pass a server that forgot to be slow.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeSandboxes, normalized, queueIdsIn, realSandboxFor, runOnRealServer, runOnSimulator } from './compare-servers.ts';
import { configFor } from './scenario-types.ts';
import { BEHAVIOUR_SCENARIOS } from './scenarios-behaviours.ts';
import { COMMAND_SCENARIOS } from './scenarios-commands.ts';
import { FLOW_SCENARIOS } from './scenarios-flows.ts';

const SCENARIOS = [...COMMAND_SCENARIOS, ...FLOW_SCENARIOS, ...BEHAVIOUR_SCENARIOS];

describe('the simulator answers exactly like the real sandbox', () => {
  afterAll(closeSandboxes);

  it('has enough scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const config = configFor(scenario);
      const simulated = runOnSimulator(scenario, config);
      const port = await realSandboxFor(config, config.behaviours.greylist ? scenario.name : '');
      const real = await runOnRealServer(port, simulated.plan);

      // Each side's replies name the queue ids of the messages it captured.
      expect(queueIdsIn(simulated.run.replies)).toEqual(simulated.run.queueIds);
      expect(queueIdsIn(real.replies)).toEqual(real.queueIds);
      expect(normalized(simulated.run)).toEqual(normalized(real));

      const delayMs = config.behaviours.replyDelayMs;
      if (delayMs > 0) {
        // The greeting is one delayed reply; then each step's replies come one delay apart.
        const repliesPerStep = [1, ...simulated.plan.map((planned) => planned.replyCount)];
        expect(real.stepMs.length).toBe(repliesPerStep.length);
        repliesPerStep.forEach((count, step) => {
          // A lower bound only; Node's timers may fire up to 1 ms early against performance.now().
          expect(real.stepMs[step], `step ${step}: ${count} delayed replies`).toBeGreaterThanOrEqual(count * (delayMs - 1));
        });
      }
    });
  }
});
