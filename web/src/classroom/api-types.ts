/**
 * The classroom's REST shapes live in protocol/wire/classroom-contract.ts; this type stays here
 * until the configuration schema derives it.
 */

/** The class-wide server behaviours for live sessions. */
export interface ClassBehaviours {
  readonly requireAuth: boolean;
  readonly greylist: boolean;
  /** 0: never. */
  readonly closeAfterCommands: number;
  /** 0: none. */
  readonly replyDelayMs: number;
  /** The SIZE limit in bytes. */
  readonly maxMessageSize: number;
}
