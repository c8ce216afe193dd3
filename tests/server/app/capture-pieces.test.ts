/** The capture worker's scheduling policy: when to do background work. */
import { describe, expect, it } from 'vitest';
import { BackgroundSchedule } from '../../../server/app/background-schedule.ts';

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
