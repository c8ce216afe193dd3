/** `npm run bench`: every benchmark, figures and ratios against baselines from the same run. */
import { runProtocolBench } from './protocol-bench.ts';

await runProtocolBench();
