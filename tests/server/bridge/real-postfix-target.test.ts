/**
 * Live mode against the real Postfix: `--allow-target 127.0.0.1:25` becomes a bridge target,
 * and a bridged session gets the lab Postfix's own banner and EHLO (with CHUNKING), which the
 * session model reads like any other server's. The Postfix is the one .ci/postfix-lab.sh
 * configures; without it (a developer's machine) the test is skipped with one loud line, and
 * in CI (SMTP_LAB_REQUIRE_POSTFIX=1) its absence fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionActor } from '../../../protocol/session/index.ts';
import { fromWireEvent } from '../../../protocol/wire/contract.ts';
import { bridgeSettings } from '../../../server/app/bridge-settings.ts';
import { loadServerConfig } from '../../../server/config/load-server-config.ts';
import { labPostfixForSuite } from '../../conformance/postfix-lab-server.ts';
import { startBridge, startSandbox, WireClient, type RunningBridge, type RunningSandbox } from './bridge-harness.ts';

const postfixAnswers = await labPostfixForSuite('live mode against the real Postfix');


describe.skipIf(!postfixAnswers)('a bridged session to the real Postfix (--allow-target 127.0.0.1:25)', () => {
  let sandbox: RunningSandbox;
  let running: RunningBridge;

  beforeAll(async () => {
    sandbox = await startSandbox();
    // The operator's flag, through the configuration, to the bridge's targets: the whole path `npm start` takes.
    const config = loadServerConfig({ 'allow-target': ['127.0.0.1:25'] }, {});
    const entrance = { address: '127.0.0.1', family: 'IPv4', port: sandbox.port };
    const { extraTargets } = bridgeSettings(config, { entrance, publicSmtp: entrance });
    running = await startBridge(sandbox.port, { extraTargets });
  });
  afterAll(async () => {
    await running?.close();
    await sandbox?.sandbox.close();
  });

  it('offers the target, greets with the Postfix banner, advertises CHUNKING, and the model follows', async () => {
    const client = await WireClient.greeted(running.url);
    const welcome = client.messages.find((message) => message.type === 'welcome');
    expect(welcome).toMatchObject({ targets: [{ id: 'sandbox' }, { id: '127.0.0.1:25', label: 'Live server 127.0.0.1:25' }] });

    await client.open('127.0.0.1:25');
    const greeting = client.events().find((event) => event.type === 'server.reply');
    expect(greeting).toMatchObject({ type: 'server.reply', raw: '220 mx.lab.test ESMTP Postfix\r\n' });

    const [ehlo] = await client.exchange('EHLO learner.example.com\r\n');
    expect(ehlo?.raw).toMatch(/^250-mx\.lab\.test\r\n/);
    expect(ehlo?.raw).toContain('250 CHUNKING\r\n');

    // Postfix's own answer to DATA with a sender but no recipient (smtp-server says 503).
    await client.exchange('MAIL FROM:<a@example.com>\r\n');
    const [data] = await client.exchange('DATA\r\n');
    expect(data?.raw).toBe('554 5.5.1 Error: no valid recipients\r\n');
    await client.exchange('QUIT\r\n');
    await client.next('session.closed');

    const model = createSessionActor();
    for (const event of client.events().map(fromWireEvent)) if (event.type !== 'server.unreadable') model.send(event);
    const { context } = model.getSnapshot();
    expect(context.server).toBe('127.0.0.1:25');
    expect(context.extensions).toHaveProperty('CHUNKING');
    expect(context.identity).toEqual({ verb: 'EHLO', domain: 'learner.example.com' });
    expect(client.invalid).toEqual([]);
    client.close();
  });
});
