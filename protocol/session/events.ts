/**
 * The events the session model observes: the two sides of the wire plus connection and TLS
 * events. Hosts (simulator, CLI replay, WebSocket bridge, browser) emit exactly these.
 */
import type { Reply } from '../replies/types.ts';
import type { TlsInfo } from '../transport.ts';

export type SessionEvent =
  | { readonly type: 'socket.opened'; readonly server: string }
  /** One line the client sent, without its CRLF. */
  | { readonly type: 'client.line'; readonly text: string }
  /**
   * Message lines a bounded transcript left out (see message-window.ts): how many, and their
   * bytes as the server stores them. Only a recorded transcript carries it, never the wire.
   */
  | { readonly type: 'client.elided'; readonly lines: number; readonly bytes: number }
  /** One complete (possibly multi-line) reply from the server. */
  | { readonly type: 'server.reply'; readonly reply: Reply }
  | { readonly type: 'tls.established'; readonly tls: TlsInfo }
  | { readonly type: 'tls.failed'; readonly reason: string }
  | { readonly type: 'socket.closed'; readonly reason: string | null };
