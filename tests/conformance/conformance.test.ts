/**
 * Conformance: every scenario runs against the simulator and against the real sandboxed
 * smtp-server (same configuration, started on port 0 here, spoken to over real TCP). The
 * replies must be identical line by line, except the queue id, which is random on both
 * sides; the simulator is told the real client address (127.0.0.1) so the EHLO line is
 * compared as is. The captured messages must be identical too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import { closeSandboxes, normalized, queueIdsIn, realSandboxFor, runOnRealServer, runOnSimulator } from './compare-servers.ts';
import { COMMAND_SCENARIOS } from './scenarios-commands.ts';
import { FLOW_SCENARIOS } from './scenarios-flows.ts';

const SCENARIOS = [...COMMAND_SCENARIOS, ...FLOW_SCENARIOS];

describe('the simulator answers exactly like the real sandbox', () => {
  afterAll(closeSandboxes);

  it('has enough scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const config: SandboxConfig = { ...DEFAULT_SANDBOX_CONFIG, ...scenario.config };
      const simulated = runOnSimulator(scenario, config);
      const real = await runOnRealServer(await realSandboxFor(config), simulated.plan);

      // Each side's replies name the queue ids of the messages it captured.
      expect(queueIdsIn(simulated.run.replies)).toEqual(simulated.run.queueIds);
      expect(queueIdsIn(real.replies)).toEqual(real.queueIds);
      expect(normalized(simulated.run)).toEqual(normalized(real));
    });
  }
});
