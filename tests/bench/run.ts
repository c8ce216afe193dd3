/** `npm run bench`: every benchmark, figures and ratios against baselines from the same run. */
import { runBridgeRoundTripBench, runConcurrentSessionsBench } from './bridge-bench.ts';
import { runIngestBench } from './ingest-bench.ts';
import { runPersonalityBench } from './personality-bench.ts';
import { runProtocolBench } from './protocol-bench.ts';

await runProtocolBench();
await runPersonalityBench();
await runIngestBench();
await runBridgeRoundTripBench();
await runConcurrentSessionsBench();
await (await import('./budget-bench.ts')).runBudgetBench();
await (await import('./web-bench.ts')).runWebBench();
await (await import('./classroom-bench.ts')).runClassroomBench();
