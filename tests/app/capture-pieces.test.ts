/** The capture worker's two small policies: how much may be in flight, and when to do background work. */
import { describe, expect, it } from 'vitest';
import { BackgroundSchedule } from '../../server/app/background-schedule.ts';
import { InFlightLimit } from '../../server/app/in-flight-limit.ts';

describe('InFlightLimit', () => {
  it('has room until a limit is reached, then resumes the waiters once there is room again', async () => {
    const limit = new InFlightLimit({ maxMessages: 2, maxBytes: 1000 });
    limit.add(100);
    expect(limit.room()).toBeNull();
    limit.add(100);
    const waiting = limit.room();
    expect(waiting).not.toBeNull();
    let resumed = false;
    void waiting!.then(() => (resumed = true));
    limit.release(100);
    await waiting;
    expect(resumed).toBe(true);
    expect(limit.messages).toBe(1);
    expect(limit.room()).toBeNull();
  });

  it('counts bytes too: one big message fills it', () => {
    const limit = new InFlightLimit({ maxMessages: 100, maxBytes: 1000 });
    limit.add(1500);
    expect(limit.room()).not.toBeNull();
    limit.release(1500);
    expect(limit.bytes).toBe(0);
    expect(limit.room()).toBeNull();
  });

  it('lets every waiter go when the capture gives up', async () => {
    const limit = new InFlightLimit({ maxMessages: 1, maxBytes: 1000 });
    limit.add(1);
    const waiting = [limit.room(), limit.room()];
    limit.releaseAll();
    await Promise.all(waiting);
    expect(limit.messages).toBe(0);
  });
});

describe('BackgroundSchedule', () => {
  const options = { quietMs: 20, maxDeferMs: 1000, checkpointAfter: 3 };

  it('parses at once when no mail is arriving (e.g. leftovers from the last run)', () => {
    expect(new BackgroundSchedule(options).waitBeforeParse(0)).toBe(0);
  });

  it('waits for mail to stop arriving, but not longer than maxDeferMs', () => {
    const schedule = new BackgroundSchedule(options);
    schedule.arrived(100);
    expect(schedule.waitBeforeParse(105)).toBe(15);
    expect(schedule.waitBeforeParse(120)).toBe(0);
    // A steady stream: each arrival restarts the quiet period, the deferral bound does not move.
    for (let at = 100; at <= 1090; at += 10) schedule.arrived(at);
    expect(schedule.waitBeforeParse(1095)).toBe(5);
    expect(schedule.waitBeforeParse(1100)).toBe(0);
    schedule.caughtUp();
    schedule.arrived(2000);
    expect(schedule.waitBeforeParse(2001)).toBe(19);
  });

  it('checkpoints stored messages when mail stops, or every checkpointAfter messages of a flood', () => {
    const schedule = new BackgroundSchedule(options);
    expect(schedule.checkpointDue(0)).toBe(false);
    schedule.arrived(100);
    schedule.stored(1);
    expect(schedule.checkpointDue(110)).toBe(false);
    expect(schedule.checkpointDue(120)).toBe(true);
    expect(schedule.checkpointDue(500)).toBe(false);
    schedule.arrived(600);
    schedule.stored(3);
    expect(schedule.checkpointDue(601)).toBe(true);
  });
});
