/**
 * `npm run bench`: every benchmark, figures and ratios against baselines from the same run.
 * `npm run bench -- personality protocol` runs only the named ones.
 */
import { runBridgeRoundTripBench, runConcurrentSessionsBench } from './bridge-bench.ts';
import { runIngestBench } from './ingest-bench.ts';
import { runPersonalityBench } from './personality-bench.ts';
import { runProtocolBench } from './protocol-bench.ts';

const BENCHES: Readonly<Record<string, () => Promise<unknown>>> = {
  protocol: runProtocolBench,
  personality: runPersonalityBench,
  ingest: runIngestBench,
  bridge: runBridgeRoundTripBench,
  concurrent: runConcurrentSessionsBench,
  // Imported on demand, so choosing other benches does not load the server app, Chromium or the lessons.
  budget: async () => (await import('./budget-bench.ts')).runBudgetBench(),
  web: async () => (await import('./web-bench.ts')).runWebBench(),
  classroom: async () => (await import('./classroom-bench.ts')).runClassroomBench(),
  // One process on SQLite, one on PostgreSQL, two behind HAProxy (needs PostgreSQL, HAProxy and taskset).
  'classroom-scale': async () => (await import('./classroom-scale-bench.ts')).runClassroomScaleBench(),
  journey: async () => (await import('./journey-bench.ts')).runJourneyBench(),
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(1);
}
for (const [name, run] of Object.entries(BENCHES)) if (chosen.length === 0 || chosen.includes(name)) await run();
