/** Command-line parsing shared by the subcommands, and the one way they fail. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A failure the user can fix (bad usage, unreadable script, unreachable server): exit 2, one line. */
export class CliFailure extends Error {
  readonly exitCode = 2;
}

/**
 * node's util.parseArgs with positionals allowed and unknown flags refused; its errors become
 * one-line CliFailures ("unknown option --foo").
 */
export function parseCommandLine<const T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliFailure(describeParseError(error));
  }
}

function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) return `option ${quoted.replace(' <value>', '')} needs a value`;
  return (error.message.split('\n')[0] ?? '').replace(/\.$/, '');
}

/** Reads a whole-number flag value within [min, max]. */
export function parseIntegerFlag(name: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new CliFailure(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return number;
}
