#!/usr/bin/env node
// The smtp-lab command. The CLI is TypeScript; tsx compiles it on the fly, so there is no
// build step between editing the source and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
