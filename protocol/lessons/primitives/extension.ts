/**
 * `extension`: an ESMTP extension the server advertised in an EHLO reply, or one the client
 * used. "Used" means the client sent what the extension defines, whatever the server replied.
 */
import type { Command } from '../../commands/types.ts';
import type { TranscriptEntry } from '../../session/types.ts';
import { exchangesOf, hasPipelinedCommand, sentCommands } from '../exchanges.ts';
import type { UsableExtension } from '../goal-types.ts';
import type { Verdict } from './verdict.ts';

/** Some accepted EHLO reply in the transcript lists the keyword (RFC 5321 §4.1.1.1). */
export function evaluateAdvertised(keyword: string, transcript: readonly TranscriptEntry[]): Verdict {
  const advertised = exchangesOf(transcript).some(
    (exchange) =>
      exchange.to === 'EHLO' &&
      exchange.code === 250 &&
      exchange.texts.slice(1).some((line) => (line.split(' ', 1)[0] ?? '').toUpperCase() === keyword),
  );
  return {
    passed: advertised,
    label: `The server advertises ${keyword} in its EHLO reply`,
    notYet: `no EHLO reply has listed ${keyword}`,
  };
}

const MAIL_PARAMETER: Readonly<Partial<Record<UsableExtension, (keyword: string, value: string | null) => boolean>>> = {
  SIZE: (keyword) => keyword === 'SIZE',
  '8BITMIME': (keyword, value) => keyword === 'BODY' && value?.toUpperCase() === '8BITMIME',
  SMTPUTF8: (keyword) => keyword === 'SMTPUTF8',
};

const HOW: Readonly<Record<UsableExtension, string>> = {
  PIPELINING: 'send a command before the previous reply arrived',
  SIZE: 'declare a size with MAIL FROM:<…> SIZE=…',
  STARTTLS: 'send STARTTLS',
  AUTH: 'send AUTH',
  '8BITMIME': 'declare BODY=8BITMIME on MAIL FROM',
  SMTPUTF8: 'add SMTPUTF8 to MAIL FROM',
};

/** The client used the extension in this connection. */
export function evaluateUsed(keyword: UsableExtension, transcript: readonly TranscriptEntry[]): Verdict {
  return {
    passed: used(keyword, transcript),
    label: `You use ${keyword}: ${HOW[keyword]}`,
    notYet: `you have not used ${keyword} yet (${HOW[keyword]})`,
  };
}

function used(keyword: UsableExtension, transcript: readonly TranscriptEntry[]): boolean {
  if (keyword === 'PIPELINING') return hasPipelinedCommand(transcript);
  const commands = sentCommands(transcript);
  if (keyword === 'STARTTLS' || keyword === 'AUTH') return commands.some((command) => command.verb === keyword);
  const isParameter = MAIL_PARAMETER[keyword];
  return isParameter !== undefined && commands.some((command) => hasMailParameter(command, isParameter));
}

function hasMailParameter(command: Command, isParameter: (keyword: string, value: string | null) => boolean): boolean {
  return command.verb === 'MAIL' && command.params.some((param) => isParameter(param.keyword, param.value));
}
