/** The data the session model keeps about one SMTP conversation. */
import type { Command, Verb } from '../commands/types.ts';
import type { Reply } from '../replies/types.ts';
import type { PersonalityName } from '../sandbox-config.ts';
import type { TlsInfo } from '../transport.ts';
import type { SessionEvent } from './events.ts';

/**
 * What a pending item is: a command verb, or one of the lines that are not commands but still
 * wait for a reply — an AUTH continuation (RFC 4954 §4) or the `.` that ends DATA.
 * `UNKNOWN` is a line that names no SMTP verb.
 */
export type PendingKind = Verb | 'AUTH-RESPONSE' | 'END-OF-DATA' | 'UNKNOWN';

/** A client line the server has not answered yet (one entry of the RFC 2920 FIFO). */
export interface PendingCommand {
  readonly kind: PendingKind;
  /** The typed command, or null when the grammar refused the line. */
  readonly command: Command | null;
  readonly text: string;
  /** Where the line sits in the transcript, so its reply can point back at it. */
  readonly transcriptIndex: number;
  /** True when it was sent while earlier commands still waited for replies. */
  readonly pipelined: boolean;
}

/** A line sent while a mode-changing command was pending: the server decides what it is. */
export interface HeldLine {
  readonly text: string;
  readonly transcriptIndex: number;
}

export interface Envelope {
  /** The accepted reverse-path; "" for the null path `<>`, null before MAIL is accepted. */
  readonly sender: string | null;
  /** Forward-paths the server accepted, in order. */
  readonly recipients: readonly string[];
}

export interface AuthStatus {
  readonly mechanism: string;
  /** The user name when PLAIN or LOGIN revealed it, otherwise null. */
  readonly user: string | null;
}

/** A message the server accepted with a 2xx after the end of data. */
export interface CompletedMessage {
  readonly sender: string;
  readonly recipients: readonly string[];
  /** The message as smtp-server stores it: ".." at a line start unstuffed (see dot-stuffing.ts), CRLF line ends. */
  readonly body: string;
  /** UTF-8 bytes of `body`. */
  readonly bytes: number;
  /** The queue id named in the reply text ("queued as ABC123"), when there is one. */
  readonly queueId: string | null;
}

/** The message being written in DATA (or sent in BDAT chunks). */
export interface MessageDraft {
  readonly body: string;
  readonly bytes: number;
  readonly lines: number;
}

export interface SessionContext {
  /**
   * Which kind of server the conversation is with, as far as the host knows: predictions and
   * reply explanations follow its rules where it departs from RFC 5321 or from smtp-server.
   */
  readonly personality: PersonalityName;
  /**
   * Two addresses the server takes mail for: what the console and the statechart suggest at
   * RCPT, so a suggestion is never a recipient it refuses.
   */
  readonly recipients: readonly [string, string];
  /** Who the host says it connected to. */
  readonly server: string | null;
  /** The EHLO/HELO the server accepted. */
  readonly identity: { readonly verb: 'EHLO' | 'HELO'; readonly domain: string } | null;
  /** Keywords from the accepted EHLO reply with their parameters; null before EHLO (or after HELO). */
  readonly extensions: Readonly<Record<string, readonly string[]>> | null;
  readonly envelope: Envelope;
  readonly auth: AuthStatus | null;
  /** The AUTH exchange in progress (from the AUTH command's reply until the final reply). */
  readonly authExchange: AuthStatus | null;
  readonly tls: TlsInfo | null;
  readonly pending: readonly PendingCommand[];
  /** The command the latest reply answered; reply steps read it after pairReply. */
  readonly answered: PendingCommand | null;
  readonly held: readonly HeldLine[];
  /** Held lines settled by the latest reply, replayed (and their entries updated) right after it. */
  readonly released: ReleasedLines | null;
  readonly draft: MessageDraft | null;
  readonly messages: readonly CompletedMessage[];
  readonly counts: {
    /** Lines the command grammar refused. */
    readonly syntaxErrors: number;
    /** 4xx/5xx replies. */
    readonly rejections: number;
    /** Replies no pending command explains. */
    readonly unexpectedReplies: number;
  };
  /** How many transcript entries exist; the next one gets this index. */
  readonly transcriptLength: number;
  /**
   * The transcript events of the latest step, emitted by the publish actions that follow it.
   * (XState actions cannot hand data to each other; `enqueueActions` could, at ~1.5 µs a use.)
   */
  readonly outbox: readonly SessionEmitted[];
}

/** What a reply to a mode-changing command decided about the lines held behind it. */
export interface ReleasedLines {
  /** Entries reclassified without a replay (discarded after STARTTLS, part of a BDAT chunk). */
  readonly updates: readonly TranscriptUpdate[];
  /** Lines to feed through the machine again, now as the mode the reply chose. */
  readonly replay: readonly HeldLineEvent[];
}

/** A held line replayed once the server's mode is known. */
export interface HeldLineEvent {
  readonly type: 'client.heldLine';
  readonly text: string;
  readonly transcriptIndex: number;
  /** The mode-changing command it waited behind, e.g. "DATA". */
  readonly heldBehind: PendingKind;
  /** The reply code that command got. */
  readonly settledBy: number;
}

/** What a transcript line is, once the model knows. */
export type TranscriptRole =
  | 'command'
  | 'message-data'
  | 'end-of-data'
  | 'auth-response'
  | 'chunk-data'
  /** Stands for message lines left out of the transcript ("… 12,345 more lines (4.2 MB) not kept"). */
  | 'elided'
  | 'discarded'
  | 'undetermined'
  | 'reply'
  | 'connection';

export interface TranscriptEntry {
  readonly index: number;
  readonly from: 'client' | 'server' | 'connection';
  /** The client line, the reply lines joined with CRLF, or a connection event in words. */
  readonly text: string;
  readonly role: TranscriptRole;
  /** The main explanation (command meaning, reply meaning, or syntax error and fix). */
  readonly explanation: string;
  /** What the model itself adds: pipelining, classification, state changes. */
  readonly notes: readonly string[];
  /** For a reply: the transcript index of the line it answers. */
  readonly answers: number | null;
  /** For a client line: the transcript index of the reply that answered it. */
  readonly answeredBy: number | null;
  readonly reply: Reply | null;
}

/** A change to an entry made once the model learns more (a held line classified, a reply paired). */
export interface TranscriptUpdate {
  readonly index: number;
  readonly role?: TranscriptRole;
  readonly explanation?: string;
  /** Notes to add to the entry's notes. */
  readonly notes?: readonly string[];
  readonly answeredBy?: number;
}

/**
 * Emitted by the machine; the host keeps the transcript (see TranscriptLog).
 * An appended reply entry whose `answers` is set also links the line it answers: that line's
 * `answeredBy` becomes the reply's index (no separate update, to save a machine action per reply).
 */
export type SessionEmitted =
  | { readonly type: 'transcript.appended'; readonly entry: TranscriptEntry }
  /** Many entries at once, in order: a batch of message lines (one event per batch, not per line). */
  | { readonly type: 'transcript.appendedMany'; readonly entries: readonly TranscriptEntry[] }
  | { readonly type: 'transcript.updated'; readonly update: TranscriptUpdate };

/**
 * Events only the model and its host wrapper send: held lines replayed once the server's mode
 * is known, and a batch of message lines (sent by createSessionActor in data mode for speed).
 */
export type SessionMachineEvent =
  | SessionEvent
  | HeldLineEvent
  /** Lines sent in data mode; a lone `.` among them ends the message (later ones are commands). */
  | { readonly type: 'client.dataLines'; readonly texts: readonly string[] };
