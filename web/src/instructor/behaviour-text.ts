/** The class-wide server behaviours in words, for the "active now" list. */
import type { BehaviourLimits } from '../../../protocol/wire/classroom-contract.ts';
import type { ClassBehaviours } from '../../../protocol/sandbox-config.ts';

/** A size in bytes the way people say it: "10 MB", "20 KB", "1500 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** One sentence per behaviour that differs from a plain server; empty when none is on. */
export function activeBehaviours(behaviours: ClassBehaviours, limits: BehaviourLimits): string[] {
  const active: string[] = [];
  if (behaviours.requireAuth) active.push('AUTH required: MAIL FROM before AUTH gets 530.');
  if (behaviours.maxMessageSize < limits.maxMessageSize.max) {
    active.push(`SIZE limit ${sizeText(behaviours.maxMessageSize)}: bigger messages get 552.`);
  }
  if (behaviours.greylist) active.push('Greylisting: the first RCPT TO for each sender and recipient pair gets 451; the same RCPT again passes (AUTH skips it).');
  if (behaviours.closeAfterCommands > 0) active.push(`421 and the connection closes after ${behaviours.closeAfterCommands} commands.`);
  if (behaviours.replyDelayMs > 0) active.push(`Slow replies: every reply waits ${behaviours.replyDelayMs} ms.`);
  return active;
}
