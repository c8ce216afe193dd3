/**
 * The journey benchmark's client as its own process, as a learner's mail client would be:
 * `node --import tsx journey-client-process.ts PORT COUNT CONNECTIONS FROM TO`. Opens and greets
 * every connection, prints "ready", waits for a line on stdin, sends with that envelope, and
 * prints one line `done <JSON array>`: when each journey began (epoch ms), by journey number.
 */
import { once } from 'node:events';
import { openClient } from './smtp-load.ts';
import { sendJourneys } from './journey-load.ts';

const [port = '0', count = '0', connections = '1', from = '', to = ''] = process.argv.slice(2);
const clients = await Promise.all(Array.from({ length: Number(connections) }, () => openClient(Number(port))));
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const started = await sendJourneys(clients, Number(count), { from, to });
process.stdout.write(`done ${JSON.stringify(started)}\n`);
for (const client of clients) client.destroy();
process.exit(0);
