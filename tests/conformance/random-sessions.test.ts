/**
 * Random conversations (seeded, so a failure replays): commands, bad commands, AUTH
 * continuations and message data, grouped into random pipelined writes, against the
 * simulator and the real sandbox. Finds differences no hand-written scenario thought of.
 * Once with the default behaviours, once with the teaching behaviours on.
 * CONFORMANCE_RUNS=500 CONFORMANCE_SEED=7 explores further.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import { GreylistMemory } from '../../protocol/simulator/server-behaviours.ts';
import { closeSandboxes, normalized, realSandboxFor, runOnRealServer, runOnSimulator } from './compare-servers.ts';
import { b64 } from './scenario-types.ts';

const CONFIG: SandboxConfig = { ...DEFAULT_SANDBOX_CONFIG, maxRecipients: 2, maxMessageSize: 120, maxLineLength: 100 };
const STRICT_CONFIG: SandboxConfig = {
  ...CONFIG,
  behaviours: { ...CONFIG.behaviours, requireAuth: true, greylist: true, refuseRelay: true, closeAfterCommands: 20 },
};

const LINES = [
  'EHLO client.example', 'HELO x', 'EHLO', 'ehlo a b',
  'MAIL FROM:<a@example.com>', 'MAIL FROM:<>', 'MAIL FROM:<a@example.com> SIZE=500', 'MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8', 'MAIL FROM:a@example.com', 'mail from:<a@example.com> SIZE',
  'RCPT TO:<b@example.org>', 'RCPT TO:<c@example.org>', 'RCPT TO:<d@example.org>', 'RCPT TO:<postmaster>', 'RCPT TO:<>', 'RCPT TO:<b@exa mple.org>',
  'RCPT TO:<friend@gmail.com>', 'RCPT TO:<nobody@example.org>',
  'DATA', 'RSET', 'NOOP', 'HELP', 'VRFY x', 'VRFY', 'EXPN x', 'QUIT', 'FOO', '', 'BDAT 5',
  'AUTH PLAIN', 'AUTH LOGIN', `AUTH PLAIN ${b64('\0student\0learn-smtp')}`, `AUTH PLAIN ${b64('\0alice\0nope')}`, 'AUTH CRAM-MD5', '*',
  b64('alice'), b64('wonderland'), b64('\0alice\0wonderland'),
  'Subject: hi', '..stuffed', '.single', '.', 'x'.repeat(70), 'y'.repeat(101),
];

const conversation = fc
  .array(fc.tuple(fc.constantFrom(...LINES), fc.boolean()), { minLength: 1, maxLength: 30 })
  .map((items) => {
    // Each line ends a write unless the boolean pipelines the next line into it.
    const writes: string[] = [];
    let current = '';
    for (const [line, pipelineNext] of items) {
      current += `${line}\r\n`;
      if (!pipelineNext) {
        writes.push(current);
        current = '';
      }
    }
    if (current) writes.push(current);
    return writes;
  });

/**
 * Every generated conversation on both servers. The real sandbox keeps its greylisting memory
 * from one conversation to the next, so the simulator gets one memory for the whole property.
 */
async function checkConversations(config: SandboxConfig): Promise<void> {
  const port = await realSandboxFor(config, 'random');
  const greylist = new GreylistMemory();
  await fc.assert(
    fc.asyncProperty(conversation, async (steps) => {
      const simulated = runOnSimulator({ name: 'random', steps }, config, greylist);
      const real = await runOnRealServer(port, simulated.plan);
      expect(normalized(simulated.run)).toEqual(normalized(real));
    }),
    { numRuns: Number(process.env.CONFORMANCE_RUNS ?? 40), seed: Number(process.env.CONFORMANCE_SEED ?? 20240601), endOnFailure: true },
  );
}

describe('random conversations get the same replies from the simulator and the real sandbox', () => {
  afterAll(closeSandboxes);

  it('matches on every generated conversation', () => checkConversations(CONFIG), 600_000);

  it('matches with AUTH required, greylisting, relay refusal and a command limit', () => checkConversations(STRICT_CONFIG), 600_000);
});
