/**
 * Runs the ingest client as its own process, as a real client would be, so it does not share
 * the measured server's event loop: `node --import tsx smtp-load-process.ts PORT COUNT CONNECTIONS`.
 * Opens and greets every connection, prints "ready", waits for a line on stdin, sends, and
 * prints "done" once the last message got its 250.
 */
import { once } from 'node:events';
import { openClient, sendAll } from './smtp-load.ts';

const [port = 0, count = 0, connections = 1] = process.argv.slice(2).map(Number);
const clients = await Promise.all(Array.from({ length: connections }, () => openClient(port)));
process.stdout.write('ready\n');
await once(process.stdin, 'data');
await sendAll(clients, count);
process.stdout.write('done\n');
for (const client of clients) client.destroy();
process.exit(0);
