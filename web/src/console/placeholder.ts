/** What the empty console says, for what the next line means to the server. */
import type { InputMode } from './input-mode.ts';

const PLACEHOLDERS: Readonly<Record<InputMode, string>> = {
  command: 'Type an SMTP command and press Enter, e.g. EHLO client.example.com',
  data: 'Message lines — a line with just . ends the message',
  'auth-response': 'Your base64 answer to the server, or * to cancel',
  closed: 'Type a line to send it in a new session',
};

export function placeholderFor(mode: InputMode): string {
  return PLACEHOLDERS[mode];
}
