/**
 * smtp-server 3.21 with the sandbox's options: the real sandbox's behaviour and the
 * simulator's default. Its texts live in the handlers (handlers/*), which are ports of
 * smtp-server's own; tests/conformance compares them with the real smtp-server.
 */
import { DEFAULT_SANDBOX_CONFIG } from '../../sandbox-config.ts';
import { sizeBoundedReader } from '../message-size.ts';
import { dispatchCommand } from '../dispatcher.ts';
import { SMTP_SERVER_VERBS } from '../handlers/verb-table.ts';
import { randomQueueId } from '../queue-id.ts';
import type { Personality } from './personality.ts';

export const SMTP_SERVER_PERSONALITY: Personality = {
  name: 'smtp-server',
  label: 'smtp-server 3.21 (the SMTP Lab sandbox)',
  evidence: 'verified-against-server',
  labHostname: DEFAULT_SANDBOX_CONFIG.hostname,
  greetingText: ({ hostname, banner }) => `${hostname} ESMTP${banner ? ` ${banner}` : ''}`,
  dispatch: dispatchCommand,
  verbs: SMTP_SERVER_VERBS,
  earlyTalker: 'refuse',
  // Past maxMessageSize the message is refused (transaction-handlers.ts): its start is enough.
  // 0 means no limit (smtp-server's `size: 0`), so all of it is kept.
  newDataReader: ({ maxMessageSize }) => sizeBoundedReader(maxMessageSize),
  longCommandLine: 'refuse',
  // smtp-server adds no Received header; the host that stores the message may.
  receivedHeader: null,
  // Any mailbox at one of the sandbox's localDomains (sandbox-config.ts), so even a lesson that
  // refuses relaying takes them.
  suggestedRecipients: ['friend@example.org', 'another@example.org'],
  newQueueId: randomQueueId,
};
