/** The SMTP command grammar: parsing, AUTH continuation lines, verb reference and explanations. */
export { parseCommand } from './parse-command.ts';
export { parseAuthResponse } from './parse-auth-response.ts';
export { VERB_INFO, type VerbInfo } from './verb-info.ts';
export { explainCommand } from './explain-command.ts';
export {
  SYNTAX_ERROR_CODES,
  VERBS,
  type AuthResponse,
  type ColumnRange,
  type Command,
  type CommandParseResult,
  type CommandSyntaxError,
  type EsmtpParam,
  type Path,
  type SyntaxErrorCode,
  type Verb,
} from './types.ts';
