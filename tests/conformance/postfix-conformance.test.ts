/**
 * Conformance of the `postfix` personality: every scenario runs on the simulator playing the
 * lab's Postfix and on the real Postfix 3.7 that .ci/postfix-lab.sh configures on
 * 127.0.0.1:25, over real TCP. Replies must be identical line by line (codes and texts; only
 * the queue id is normalised), and so must whether the server hung up. The simulator runs
 * first and says how many replies to wait for per write, like the smtp-server conformance.
 *
 * Without the lab's Postfix (a developer's machine) the suite is skipped with one warning;
 * in CI (.ci/run sets SMTP_LAB_REQUIRE_POSTFIX=1) its absence fails.
 */
import { describe, expect, it } from 'vitest';
import { runOnRealServer, runOnSimulator } from './compare-servers.ts';
import { comparablePostfixRun, describeDifferences, labPostfixForSuite, POSTFIX_LAB_CONFIG, POSTFIX_PORT } from './postfix-lab-server.ts';
import { POSTFIX_DIFFERENCE_SCENARIOS } from './postfix-scenarios-differences.ts';
import { POSTFIX_LIMIT_SCENARIOS } from './postfix-scenarios-limits.ts';
import { POSTFIX_SYNTAX_SCENARIOS } from './postfix-scenarios-syntax.ts';
import { POSTFIX_COMMAND_SCENARIOS } from './postfix-scenarios-commands.ts';

const SCENARIOS = [...POSTFIX_DIFFERENCE_SCENARIOS, ...POSTFIX_COMMAND_SCENARIOS, ...POSTFIX_SYNTAX_SCENARIOS, ...POSTFIX_LIMIT_SCENARIOS];

const postfixAnswers = await labPostfixForSuite('postfix conformance');


describe('the scenarios', () => {
  it('are at least 100, with unique names', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
  });
});

// Concurrent in small batches (vitest's maxConcurrency, 5): each scenario has its own
// connection to Postfix, which serves them in parallel, and the suite stays well under a minute.
describe.skipIf(!postfixAnswers).concurrent('the postfix personality answers exactly like the real Postfix', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const simulated = runOnSimulator(scenario, POSTFIX_LAB_CONFIG);
      const real = await runOnRealServer(POSTFIX_PORT, simulated.plan);
      const personality = comparablePostfixRun(simulated.run);
      const reference = comparablePostfixRun(real);
      const writes = simulated.plan.map(({ step }) => (typeof step === 'string' ? step : JSON.stringify(step)));
      expect(personality, describeDifferences(personality, reference, writes)).toEqual(reference);
    });
  }
});
