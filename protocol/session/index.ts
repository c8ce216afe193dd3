/** The session model: an XState machine observing one SMTP conversation, and its host API. */
export type { SessionEvent } from './events.ts';
export type {
  AuthStatus,
  CompletedMessage,
  Envelope,
  PendingCommand,
  PendingKind,
  SessionContext,
  SessionEmitted,
  SessionMachineEvent,
  TranscriptEntry,
  TranscriptRole,
  TranscriptUpdate,
} from './types.ts';
export { sessionMachine } from './session-machine.ts';
export { createSessionActor, isMessageLine, type SessionActor } from './session-actor.ts';
export type { SessionInput } from './initial-context.ts';
export { serializeState, statePath, summarizeSession, type SessionSnapshot, type SessionSummary } from './summary.ts';
export { predictCommand, predictOutcome, predictUnreadLine, dataWasRefused, AFTER_REFUSED_DATA, type PredictedOutcome, type Prediction } from './predict.ts';
export { addChangedIndexes, TranscriptLog } from './transcript.ts';
export { dotLineNote, storedBySmtpServer } from './dot-stuffing.ts';
