/**
 * The composition root in one piece (startApp in-process): a learner's console sends a mail
 * through the WebSocket bridge, the sandbox captures it, the capture worker stores it, the
 * browser is told, and the API serves the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../server/app/start-app.ts';
import { testConfig } from './app-config.ts';
import { LearnerClient } from './learner-client.ts';
import { rawSource, waitForMessage } from './mailbox-api.ts';

let app: RunningApp;
/** The lab hosts offered after mx.example.net, in DEFAULT_HOSTS order. */
const LAB_TARGETS_AFTER_NET = ['mx1.example.org', 'mx2.example.org', 'no-mx.example', 'mx.p-none.example', 'mx.forwarder.example', 'mx.lists.example'].map((id) => ({ id }));

beforeAll(async () => {
  app = await startApp(testConfig());
});
afterAll(() => app.close('test finished'));

describe('startApp', () => {
  it('prints loopback URLs for everything it started', () => {
    expect(app.urls.http).toBe(`http://127.0.0.1:${app.ports.http}/`);
    expect(app.urls.ws).toBe(`ws://127.0.0.1:${app.ports.http}/ws`);
    expect(app.urls.smtp).toBe(`smtp://127.0.0.1:${app.ports.smtp}`);
    expect(app.urls.smtps).toBeNull();
  });

  it('captures a message sent through the bridge, pushes it to the browser and serves it byte-exact', async () => {
    const learner = await LearnerClient.open(app.urls.ws);
    const welcome = learner.received.find((message) => message.type === 'welcome');
    // The sandbox first, then the lab MX hosts (tests/server/bridge/lab-host-target.test.ts).
    expect(welcome).toMatchObject({ targets: [{ id: 'sandbox' }, { id: 'mx.example.net' }, ...LAB_TARGETS_AFTER_NET], limits: { commandsPerSecond: 10, maxSessionsPerAddress: 20 } });

    expect((await learner.command('EHLO console.example')).code).toBe(250);
    expect((await learner.command('MAIL FROM:<learner@example.com>')).code).toBe(250);
    expect((await learner.command('RCPT TO:<friend@gmail.com>')).code).toBe(250);
    expect((await learner.command('DATA')).code).toBe(354);
    const body = 'Subject: through the bridge\r\n\r\nGrüße\r\n..dot-stuffed on the wire\r\n';
    const queued = await learner.command(`${body}.`);
    expect(queued.raw).toMatch(/^250 2\.6\.0 OK: message queued as \w+\r\n$/);

    const stored = await waitForMessage(app.urls.http, 'through the bridge');
    expect(stored.rcptTo).toEqual(['friend@gmail.com']);
    // What the server unstuffed: the leading dot of "..dot" is gone.
    expect((await rawSource(app.urls.http, stored.id)).toString('utf8')).toBe(
      'Subject: through the bridge\r\n\r\nGrüße\r\n.dot-stuffed on the wire\r\n',
    );
    for (let tries = 0; tries < 100 && !learner.received.some((m) => m.type === 'message.captured'); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(learner.received).toContainEqual({ type: 'message.captured', summary: expect.objectContaining({ id: stored.id, subject: 'through the bridge' }) });
    learner.close();
  });

  it('names the sandbox by its public SMTP port in the transcript, not the private entrance the bridge dials', async () => {
    const learner = await LearnerClient.open(app.urls.ws);
    expect((await learner.command('NOOP')).code).toBe(250);
    const opened = learner.received.flatMap((message) => (message.type === 'session.event' && message.event.type === 'socket.opened' ? [message.event] : []));
    expect(opened).toEqual([expect.objectContaining({ server: `127.0.0.1:${app.ports.smtp}` })]);
    learner.close();
  });

  it('offers the operator\'s --allow-target servers, by id, to the console', async () => {
    const target = `127.0.0.1:${app.ports.smtp}`;
    const classroom = await startApp(testConfig({ 'allow-target': [target] }));
    try {
      const learner = await LearnerClient.open(classroom.urls.ws, target);
      const welcome = learner.received.find((message) => message.type === 'welcome');
      expect(welcome).toMatchObject({ targets: [{ id: 'sandbox' }, { id: target, label: `Live server ${target}` }, { id: 'mx.example.net' }, ...LAB_TARGETS_AFTER_NET] });
      expect(learner.received).toContainEqual(expect.objectContaining({ type: 'session.opened', target }));
      expect((await learner.command('EHLO console.example')).code).toBe(250);
      learner.close();
    } finally {
      await classroom.close('test finished');
    }
  });
});
