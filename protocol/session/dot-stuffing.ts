/**
 * A message line that starts with a dot, as the standard and as this lab's server read it.
 * RFC 5321 §4.5.2: the receiver removes the first dot of any data line that starts with one.
 * smtp-server (the simulator copies its smtp-stream rules) only turns a leading ".." into
 * "."; a single leading dot is kept. The notes say both, so what a learner reads is what the
 * mailbox then shows.
 */
import type { PersonalityName } from '../sandbox-config.ts';

/** The line as smtp-server stores it. */
export function storedBySmtpServer(text: string): string {
  return text.startsWith('..') ? text.slice(1) : text;
}

/**
 * The note for a data line that starts with a dot, or null for any other line. What the server
 * keeps is said for `personality` only where the lab knows it: smtp-server keeps a single
 * leading dot, Postfix removes it as the RFC says; of a modelled server nothing is claimed.
 */
export function dotLineNote(text: string, personality: PersonalityName = 'smtp-server'): string | null {
  if (!text.startsWith('.')) return null;
  const rfcStores = text.slice(1);
  if (text.startsWith('..')) {
    const agrees = personality === 'smtp-server' ? '; smtp-server does so too' : personality === 'postfix' ? '; Postfix does so too' : '';
    return `Dot-stuffed. RFC 5321 §4.5.2: the server removes the first dot, storing \`${rfcStores}\`${agrees}.`;
  }
  const rule = `Not dot-stuffed. RFC 5321 §4.5.2 says the server removes the first dot and stores \`${rfcStores}\``;
  const advice = `Send \`.${text}\` to store \`${text}\` on every server.`;
  if (personality === 'smtp-server') return `${rule}; smtp-server (this lab's server) keeps \`${text}\` as sent. ${advice}`;
  if (personality === 'postfix') return `${rule}, and Postfix does. ${advice}`;
  return `${rule}; not every server does. ${advice}`;
}
