/**
 * The floor for the bridge round trip: a WebSocket-to-TCP relay that does nothing else (no
 * validation, no session model, no annotations, no transcript), in the same process as a
 * sandbox it relays to, as the real bridge is. Run as `node --import tsx bare-relay-process.ts`;
 * prints `{"ws":PORT,"smtp":PORT}` once both listen. Frames: `{"text"}` in, `{"raw"}` out.
 */
import net from 'node:net';
import { WebSocketServer } from 'ws';
import { createSandbox } from '../../server/sandbox/create-sandbox.ts';

const sandbox = createSandbox();
const smtp = await sandbox.listen(0, '127.0.0.1');
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('connection', (ws) => {
  const tcp = net.connect(smtp.port, '127.0.0.1');
  tcp.setNoDelay(true);
  tcp.on('error', () => ws.close());
  tcp.on('data', (data) => ws.send(JSON.stringify({ raw: data.toString('latin1') })));
  ws.on('message', (data) => tcp.write((JSON.parse(String(data)) as { text: string }).text));
  ws.on('close', () => tcp.destroy());
});
await new Promise((resolve) => wss.once('listening', resolve));
process.stdout.write(`${JSON.stringify({ ws: (wss.address() as net.AddressInfo).port, smtp: smtp.port })}\n`);
