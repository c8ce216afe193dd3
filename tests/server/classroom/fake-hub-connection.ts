/** A bridge connection as the live hub sees it, recording what it was sent and how it was closed. */
import type { ClassroomServerMessage } from '../../../protocol/wire/classroom-contract.ts';
import type { HubConnection } from '../../../server/classroom/live-hub.ts';

export class FakeConnection implements HubConnection {
  readonly sent: ClassroomServerMessage[] = [];
  closedWith: [number, string] | null = null;
  constructor(readonly namespace: string) {}
  notify(message: ClassroomServerMessage): void {
    this.sent.push(message);
  }
  kick(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }
}
