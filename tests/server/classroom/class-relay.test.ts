/**
 * In classroom mode the journey runs in the sender's own world: a student's message to
 * another lab domain is relayed in the student's namespace and lands in that lab mailbox
 * there, not in a classmate's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../server/app/start-app.ts';
import { Actor, instructorOf, mailBobAsStudent, startClassroom, studentOf } from './classroom-app.ts';

let app: RunningApp;
let instructor: Actor;
let ana: Awaited<ReturnType<typeof studentOf>>;
let bo: Awaited<ReturnType<typeof studentOf>>;

beforeAll(async () => {
  app = await startClassroom();
  instructor = await instructorOf(app);
  ana = await studentOf(app, instructor, 'Ana');
  bo = await studentOf(app, instructor, 'Bo');
});
afterAll(() => app.close('test finished'));

type Listed = { id: number; subject: string | null; mailbox?: string };

async function labMailbox(actor: Actor, address: string): Promise<Listed[]> {
  return (await actor.json<{ messages: Listed[] }>(`/api/messages?mailbox=${encodeURIComponent(address)}`)).messages;
}

describe('classroom relay', () => {
  it("delivers a student's mail for example.net in that student's world only", async () => {
    await mailBobAsStudent(ana, 'ana.example', 'From: <alice@example.com>\r\nSubject: across the lab\r\n\r\nHi Bob!');

    let delivered: Listed[] = [];
    for (let tries = 0; tries < 400 && !delivered.some((message) => message.subject === 'across the lab'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      delivered = await labMailbox(ana, 'bob@example.net');
    }
    expect(delivered.map((message) => [message.subject, message.mailbox])).toEqual([['across the lab', 'bob@example.net']]);
    expect(await labMailbox(bo, 'bob@example.net')).toEqual([]);
  });
});
