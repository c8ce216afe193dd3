/**
 * The simulated SMTP server: answers like the project's sandboxed smtp-server (same codes,
 * texts and enhanced status codes, same limits), in the browser, with no network.
 *
 * - `new SimulatedServer({ config, clientAddress, newQueueId, onMessage })`, then
 *   `greeting()`, `receive(text)` for any chunk of client text, `startTls()` after its
 *   "220 Ready to start TLS", and `closed` / `awaitingTls`.
 * - `createSimulatedTransport(options)`: the same server behind the `Transport` interface,
 *   delivering replies asynchronously like a socket (slowly with `replyDelayMs`); its
 *   connections share one `GreylistMemory`, like the connections of one real sandbox.
 * - `PERSONALITIES`: the servers it can answer like (`config.personality`): `smtp-server`
 *   (the sandbox, the default) and `postfix` (the lab's Postfix 3.7, verified).
 */
export { SimulatedServer, DEFAULT_CLIENT_ADDRESS } from './simulated-server.ts';
export { createSimulatedTransport } from './simulated-transport.ts';
export { GreylistMemory } from './server-behaviours.ts';
export type { MessageVerdict, SimulatedMessage, SimulatedServerOptions } from './types.ts';
export { PERSONALITIES, PERSONALITY_NAMES } from './personalities/index.ts';
export type { Personality, PersonalityEvidence, ReceivedFields } from './personalities/index.ts';
