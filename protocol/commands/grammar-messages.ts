/**
 * Every learner-facing grammar message, keyed by SyntaxErrorCode and then by variant (one
 * code covers several mistakes: `invalid-address` is a missing @, a stray space, a long
 * path…). Each entry is a message (what is wrong) and a fix (how to write it), as
 * templates whose `{placeholders}` are the parameters the parser gives; `{example}` is
 * always a corrected command line. Parsers pick code, variant and parameters; only
 * `fillTemplate` writes the words.
 */
import type { GrammarText, TemplateParams } from './grammar-template.ts';
import type { SyntaxErrorCode } from './types.ts';

export interface GrammarTemplate {
  readonly message: GrammarText;
  readonly fix: GrammarText;
}

const WRITE_IT_AS = 'Write it as `{example}`.';
const REMOVE_OR_RETYPE = 'Remove it, or retype the line if you pasted it.';
const LINE_LIMIT = [
  'This line is {octets} octets long.',
  'RFC 5321 §4.5.3.1.4 limits a command line to 512 octets including the CRLF, so 510 of text.',
] as const;
const AUTH_LINE_LIMIT = [
  'RFC 4954 §4 keeps AUTH under this limit too: if the initial response makes the line too long,',
  'send AUTH without it and send the response on its own line after the 334 reply.',
] as const;
const SANDBOX_ACCEPTS = 'This sandbox accepts up to {limit} octets, but other servers may refuse it with 500.';
const SANDBOX_REFUSES = 'The sandbox\'s smtp-server refuses lines over {limit} octets with 421 and closes the connection.';
const AUTH_ON_NEXT_LINE = 'Write just `AUTH PLAIN` and send the base64 response on the next line.';
const LEADING_SPACE = [
  'The line starts with a space.',
  'The command word must come first: servers read the first word up to a space as the command.',
] as const;
const NOT_A_COMMAND = '"{word}" is not an SMTP command.';
const FROM_HEADER = 'The envelope sender is set with MAIL FROM:<…>. A "From:" header line belongs inside the message, after DATA.';
const TO_HEADER = 'A recipient is added with RCPT TO:<…>. A "To:" header line belongs inside the message, after DATA.';
const TRY_HELP = 'Try `HELP` to see what the server offers.';
const TO_SEND_MAIL = 'To send mail write `MAIL FROM:<alice@example.com>`.';
const START_WITH_EHLO = 'Start with `EHLO client.example.com`.';
const SAY_QUIT = { message: [NOT_A_COMMAND, 'SMTP says goodbye with QUIT.'], fix: 'Write `QUIT`.' } as const;
const USE_AUTH = [NOT_A_COMMAND, 'To log in, SMTP uses AUTH with a mechanism name.'] as const;
const SINGLE_SPACES = 'Use a single space between words and none at the end.';
const WRITE_ADDRESS_LIKE = 'Write the address like `{example}`.';
const WRITE_VALUE_LIKE = 'Write it like {example}.';
const BDAT_EXAMPLE = 'Write it as `BDAT 1000` or `BDAT 1000 LAST`.';
const BDAT_LAST = 'Write it as `BDAT {size} LAST`.';
const AUTH_EXAMPLE = 'Write it as `AUTH PLAIN` or `AUTH LOGIN`.';
const NEEDS_BASE64 = 'Send the answer in base64, or a line with just "*" to cancel the login.';

/** MAIL without FROM:, RCPT without TO: (the same words for both, as `{verb} {keyword}:`). */
const KEYWORD_MISTAKES = {
  'typo': { message: '"{word}" looks like a typo. Did you mean {verb} {keyword}:?', fix: WRITE_IT_AS },
  'missing': { message: '{verb} needs the keyword {keyword}: before the address.', fix: WRITE_IT_AS },
} as const;

/** The names of the control characters a learner is likely to paste (a tab has its own message). */
export const CONTROL_CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL', 0x08: 'backspace', 0x0a: 'line feed (LF)', 0x0d: 'carriage return (CR)', 0x1b: 'escape', 0x7f: 'DEL',
};

/** Words learners type that are not SMTP commands (upper-cased), and what to say about each. */
export const NOT_COMMAND_MESSAGES = {
  LHLO: {
    message: [NOT_A_COMMAND, 'LHLO is the greeting of LMTP (RFC 2033), a cousin of SMTP for final delivery.'],
    fix: 'In SMTP write `EHLO client.example.com`.',
  },
  ETRN: {
    message: [NOT_A_COMMAND, 'ETRN (RFC 1985) asks a server to flush its queue for a domain; this lab does not cover it.'],
    fix: TRY_HELP,
  },
  TURN: {
    message: [NOT_A_COMMAND, 'TURN was part of the original SMTP (RFC 821); RFC 5321 removed it because it was insecure.'],
    fix: TRY_HELP,
  },
  SEND: {
    message: [NOT_A_COMMAND, 'SEND was part of the original SMTP (RFC 821) for delivering to terminals; RFC 5321 removed it.'],
    fix: TO_SEND_MAIL,
  },
  SOML: { message: [NOT_A_COMMAND, 'SOML was part of the original SMTP (RFC 821); RFC 5321 removed it.'], fix: TO_SEND_MAIL },
  SAML: { message: [NOT_A_COMMAND, 'SAML was part of the original SMTP (RFC 821); RFC 5321 removed it.'], fix: TO_SEND_MAIL },
  XCLIENT: { message: [NOT_A_COMMAND, 'XCLIENT is a Postfix extension that only trusted proxies may use.'], fix: START_WITH_EHLO },
  XFORWARD: { message: [NOT_A_COMMAND, 'XFORWARD is a Postfix extension that only trusted proxies may use.'], fix: START_WITH_EHLO },
  END: {
    message: [
      NOT_A_COMMAND,
      'There is no END command. After DATA (and the server\'s 354 reply) a message ends with a line that holds only a dot.',
    ],
    fix: 'End the message with a line containing just `.`.',
  },
  '.': {
    message: [
      NOT_A_COMMAND,
      'A line with only a dot ends a message, but only after DATA and its 354 reply. Outside the message it means nothing.',
    ],
    fix: 'Send `DATA` first, then the message, then `.`.',
  },
  EXIT: SAY_QUIT,
  BYE: SAY_QUIT,
  LOGOUT: SAY_QUIT,
  LOGIN: { message: USE_AUTH, fix: 'Write `AUTH LOGIN` or `AUTH PLAIN`.' },
  PLAIN: { message: USE_AUTH, fix: 'Write `AUTH PLAIN`.' },
  'FROM:': { message: [NOT_A_COMMAND, FROM_HEADER], fix: 'Write `MAIL FROM:<alice@example.com>`.' },
  'TO:': { message: [NOT_A_COMMAND, TO_HEADER], fix: 'Write `RCPT TO:<bob@example.com>`.' },
  'SUBJECT:': {
    message: [
      NOT_A_COMMAND,
      'Subject: is a header line of the message, not a command. Headers go after DATA and the server\'s 354 reply.',
    ],
    fix: 'Send `DATA` first, then your headers, a blank line and the body.',
  },
} as const;

export const GRAMMAR_MESSAGES = {
  'empty-line': {
    'empty': {
      message: 'The line is empty. SMTP has no empty command: the server answers 500.',
      fix: 'Type a command, such as `EHLO client.example.com` or `HELP`.',
    },
  },
  'control-character': {
    'tab': {
      message: [
        'This line contains a tab (U+0009).',
        'SMTP separates words with single spaces, and smtp-server refuses control characters.',
      ],
      fix: 'Use a space instead of the tab.',
    },
    'named': {
      message: [
        'This line contains a {name} ({hex}).',
        'Commands are printable text; smtp-server refuses control characters, and a CR or LF would end the line early.',
      ],
      fix: REMOVE_OR_RETYPE,
    },
    'unnamed': {
      message: [
        'This line contains the control character {hex}.',
        'Commands are printable text; smtp-server refuses control characters, and a CR or LF would end the line early.',
      ],
      fix: REMOVE_OR_RETYPE,
    },
  },
  'line-too-long': {
    'within-sandbox': { message: [...LINE_LIMIT, SANDBOX_ACCEPTS], fix: 'Shorten the line.' },
    'beyond-sandbox': { message: [...LINE_LIMIT, SANDBOX_REFUSES], fix: 'Shorten the line.' },
    'auth-within-sandbox': { message: [...LINE_LIMIT, ...AUTH_LINE_LIMIT, SANDBOX_ACCEPTS], fix: AUTH_ON_NEXT_LINE },
    'auth-beyond-sandbox': { message: [...LINE_LIMIT, ...AUTH_LINE_LIMIT, SANDBOX_REFUSES], fix: AUTH_ON_NEXT_LINE },
  },
  'unknown-command': {
    ...NOT_COMMAND_MESSAGES,
    'envelope-from': { message: [NOT_A_COMMAND, FROM_HEADER], fix: 'Write it as `MAIL {line}`.' },
    'envelope-to': { message: [NOT_A_COMMAND, TO_HEADER], fix: 'Write it as `RCPT {line}`.' },
    'joined-words': {
      message: '{verb} and {keyword}: are two words: put a space between them.',
      fix: 'Write it as `{verb} {keyword}{rest}`.',
    },
    'did-you-mean': { message: [NOT_A_COMMAND, 'Did you mean {suggestion}?'], fix: 'Write it as `{suggestion}{rest}`.' },
    'not-a-verb': {
      message: [NOT_A_COMMAND, 'A command line starts with one of {verbs}.'],
      fix: 'Start with `EHLO client.example.com`, or type `HELP`.',
    },
    'leading-space': { message: LEADING_SPACE, fix: 'Remove the space at the start of the line.' },
    'only-spaces': { message: LEADING_SPACE, fix: 'Type a command, such as `EHLO client.example.com`.' },
  },
  'missing-argument': {
    'hello': {
      message: [
        '{verb} needs the name of your client\'s own host: a domain like client.example.com,',
        'or an address literal like [192.0.2.1] if it has no name. It names the machine that is connecting, not your email address.',
      ],
      fix: 'Write it as `{verb} client.example.com`.',
    },
    'sender': {
      message: [
        'The sender\'s address is missing after FROM:.',
        'Put it in angle brackets, or write <> (the null sender) for a bounce message.',
      ],
      fix: WRITE_IT_AS,
    },
    'recipient': {
      message: [
        'The recipient\'s address is missing after TO:.',
        'Put the mailbox that should receive the message in angle brackets.',
      ],
      fix: WRITE_IT_AS,
    },
    'vrfy': {
      message: 'VRFY needs the user name or mailbox you want the server to check.',
      fix: 'Write it as `VRFY alice` or `VRFY alice@example.com`.',
    },
    'expn': { message: 'EXPN needs the name of the mailing list you want the server to expand.', fix: 'Write it as `EXPN staff`.' },
    'auth': {
      message: 'AUTH needs the name of a SASL mechanism that the server listed in its EHLO reply, such as PLAIN or LOGIN.',
      fix: AUTH_EXAMPLE,
    },
    'bdat': { message: 'BDAT needs the size of the chunk that follows, in octets; add LAST to the final chunk.', fix: BDAT_EXAMPLE },
  },
  'unexpected-argument': {
    'hello': { message: '{verb} takes exactly one word: your client\'s host name.', fix: 'Write it as `{verb} {host}`.' },
    'starttls': { message: 'STARTTLS takes no argument (RFC 3207), and smtp-server refuses it with one.', fix: 'Write just `STARTTLS`.' },
    'no-argument': {
      message: 'RFC 5321 gives {verb} no argument; smtp-server ignores it, other servers may refuse the command.',
      fix: 'Write just `{verb}`.',
    },
    'auth-words': {
      message: [
        'AUTH takes at most two words: the mechanism and one base64 initial response.',
        'For PLAIN that response is the base64 of "\\0user\\0password", not the user name and password as separate words.',
      ],
      fix: 'Write it as `AUTH PLAIN {example}` (that is \\0alice\\0secret in base64).',
    },
    'cram-md5-response': {
      message: [
        'With CRAM-MD5 the server speaks first: it sends a challenge and you answer it.',
        'So AUTH CRAM-MD5 takes no initial response (RFC 4954 §4: the server must refuse it with 501).',
      ],
      fix: 'Write just `AUTH CRAM-MD5` and answer the 334 challenge on the next line.',
    },
    'bdat-extra': { message: 'BDAT takes a chunk size and, on the final chunk, the word LAST; nothing else.', fix: BDAT_LAST },
    'bdat-not-last': {
      message: 'After the chunk size only the word LAST may follow, to mark the final chunk, not "{word}".',
      fix: BDAT_LAST,
    },
  },
  'missing-from-keyword': {
    'nothing-after-verb': { message: 'MAIL needs FROM: and the sender\'s address in angle brackets.', fix: WRITE_IT_AS },
    'other-keyword': { message: 'MAIL FROM: names the sender. Recipients go in RCPT TO:, one command per recipient.', fix: WRITE_IT_AS },
    ...KEYWORD_MISTAKES,
  },
  'missing-to-keyword': {
    'nothing-after-verb': { message: 'RCPT needs TO: and the recipient\'s address in angle brackets.', fix: WRITE_IT_AS },
    'other-keyword': { message: 'RCPT TO: names a recipient. The sender goes in MAIL FROM:, before any RCPT.', fix: WRITE_IT_AS },
    ...KEYWORD_MISTAKES,
  },
  'missing-angle-brackets': {
    'missing': { message: 'The address must be inside angle brackets.', fix: WRITE_IT_AS },
  },
  'unclosed-angle-bracket': {
    'unclosed': { message: 'The address opens with "<" but never closes with ">".', fix: WRITE_IT_AS },
  },
  'invalid-address': {
    'empty-recipient': {
      message: [
        'RCPT TO needs a real recipient.',
        'The empty path <> exists only as the sender in MAIL FROM:<>, for bounce messages.',
      ],
      fix: WRITE_IT_AS,
    },
    'unclosed-quote': {
      message: 'The quoted local part opens with " but never closes.',
      fix: 'Close the quotes before the @, like `{example}`.',
    },
    'no-domain': { message: '"{localPart}" has no @ and no domain. A mailbox is local-part@domain.', fix: WRITE_IT_AS },
    'too-long': {
      message: 'The address is too long: RFC 5321 §4.5.3.1.3 limits a path to 256 octets, angle brackets included.',
      fix: 'Use a shorter address.',
    },
    'space': { message: 'An address cannot contain a space (unless the local part is in quotes).', fix: 'Remove the space: `{example}`.' },
    'nested-brackets': { message: 'Only one pair of angle brackets goes around an address.', fix: WRITE_IT_AS },
    'unexpected-character': { message: '"{char}" cannot appear here in an address.', fix: WRITE_IT_AS },
    'extra-closing-bracket': { message: 'There is one ">" too many after the address.', fix: WRITE_IT_AS },
    'missing-local-part': { message: 'The part before the @ is missing. A mailbox is local-part@domain.', fix: WRITE_IT_AS },
    'malformed-source-route': {
      message: [
        'This looks like a source route, but it is malformed.',
        'Source routes are obsolete anyway (RFC 5321 Appendix C).',
      ],
      fix: 'Leave the route out: `{example}`.',
    },
    'invisible-character': {
      message: 'The address contains an invisible character (such as a zero-width space), probably from copy and paste.',
      fix: 'Type the address again by hand.',
    },
    'local-part-too-long': {
      message: 'RFC 5321 §4.5.3.1.1 limits the local part to 64 octets; smtp-server accepts longer ones.',
      fix: 'Use a shorter local part.',
    },
    'local-part-dots': {
      message: 'A local part cannot start or end with a dot or have two dots in a row.',
      fix: 'If the mailbox really has such a name, quote it: `{example}`.',
    },
    'local-part-character': {
      message: [
        'RFC 5321 does not allow "{char}" in an unquoted local part',
        '(only letters, digits, dots and {allowed}); smtp-server accepts it anyway.',
      ],
      fix: 'Put the local part in double quotes, or remove the character.',
    },
  },
  'invalid-domain': {
    'hello-too-long': {
      message: [
        'This host name is too long:',
        'smtp-server refuses {verb} arguments over {limit} characters, and a domain has at most 255.',
      ],
      fix: 'Write it as `{verb} client.example.com`.',
    },
    'hello-email-address': {
      message: [
        '{verb} names your client\'s own host, not your email address. Your address goes in MAIL FROM later.',
        'smtp-server accepts any word here, but servers record this name (for example in the Received: header they add)',
        'and some refuse a greeting that is not a host name.',
      ],
      fix: 'Write it as `{verb} client.example.com` (or `{verb} [192.0.2.1]`), then `MAIL FROM:<{address}>`.',
    },
    'hello-not-a-host': {
      message: '{reason} smtp-server accepts any single word here.',
      fix: 'Write it as `{verb} client.example.com` or `EHLO [192.0.2.1]`.',
    },
    'helo-address-literal': {
      message: '{reason} smtp-server accepts any single word here.',
      fix: 'Write it as `EHLO {literal}`, or name the host: `HELO client.example.com`.',
    },
    'literal-unclosed': { message: 'The address literal opens with "[" but never closes with "]".', fix: 'Write it like `{example}`.' },
    'refused': { message: '{reason}', fix: WRITE_ADDRESS_LIKE },
    'tolerated': { message: '{reason} smtp-server accepts it anyway.', fix: WRITE_ADDRESS_LIKE },
  },
  'invalid-parameter': {
    'after-path': {
      message: 'After the closing ">" comes either the end of the line or a space and a parameter.',
      fix: 'Write a space after ">": `{example} {rest}`.',
    },
    'not-a-parameter': {
      message: [
        '"{token}" is not a parameter.',
        'A parameter is a keyword of letters, digits and hyphens, optionally followed by = and a value, like SIZE=12345.',
      ],
      fix: 'Separate parameters with single spaces, after the closing ">".',
    },
  },
  'unknown-parameter': {
    'other-command': {
      message: '{keyword} belongs to {home}, not {here}.',
      fix: 'Remove {keyword}, or check the server\'s EHLO reply for the extension.',
    },
    'unknown': {
      message: [
        '{keyword} is not a parameter this lab knows. RFC 5321 allows extension parameters,',
        'but a server that did not advertise the matching extension refuses them with 555;',
        'smtp-server ignores parameters it does not know.',
      ],
      fix: 'Remove {keyword}, or check the server\'s EHLO reply for the extension.',
    },
  },
  'duplicate-parameter': {
    'duplicate': { message: '{keyword} appears twice. Each parameter may be given only once.', fix: 'Remove the second {keyword}.' },
  },
  'invalid-parameter-value': {
    'empty-value': { message: 'The value after "{keyword}=" is missing.', fix: 'Write a value after the = sign, or leave out {keyword}.' },
    'needs-value': { message: '{keyword} needs a value.', fix: WRITE_VALUE_LIKE },
    'flag-with-value': { message: '{keyword} is a flag and takes no value.', fix: 'Write just {keyword}.' },
    'size': { message: 'SIZE is the message size in bytes: digits only (RFC 1870).', fix: 'Write it like SIZE=12345.' },
    'body': { message: 'BODY is 7BIT, 8BITMIME (RFC 6152) or BINARYMIME (RFC 3030).', fix: 'Write it like BODY=8BITMIME.' },
    'ret': {
      message: 'RET says what a bounce should contain: FULL (the whole message) or HDRS (headers only), RFC 3461.',
      fix: 'Write it like RET=HDRS.',
    },
    'envid-too-long': { message: 'RFC 3461 §4.4 limits ENVID to 100 characters.', fix: 'Use a shorter envelope id.' },
    'auth-brackets': {
      message: 'RFC 4954 §5 writes the AUTH= mailbox without angle brackets; only the unknown submitter is written <>.',
      fix: 'AUTH={mailbox}',
    },
    'auth-mailbox': {
      message: 'AUTH= takes the mailbox of whoever submitted the message, or <> when that is unknown (RFC 4954 §5).',
      fix: 'AUTH=alice@example.com',
    },
    'notify-never-combined': {
      message: 'NOTIFY=NEVER cannot be combined with other values (RFC 3461 §4.1).',
      fix: 'Write it like NOTIFY=NEVER.',
    },
    'notify': {
      message: 'NOTIFY is NEVER, or a comma-separated list of SUCCESS, FAILURE and DELAY (RFC 3461 §4.1).',
      fix: 'Write it like NOTIFY=FAILURE,DELAY.',
    },
    'orcpt': {
      message: 'ORCPT is an address type, a semicolon and the original recipient in xtext (RFC 3461 §4.2).',
      fix: 'Write it like ORCPT=rfc822;bob@example.com.',
    },
    'xtext-refused': { message: '{reason}', fix: 'Write it like {keyword}=….' },
    'xtext-tolerated': { message: '{reason} smtp-server accepts it anyway.', fix: 'Encode the value as xtext (RFC 3461 §4).' },
  },
  'invalid-base64': {
    'initial-response': {
      message: 'The initial response must be base64. {reason}',
      fix: 'Encode the response in base64, or write "=" for an empty response.',
    },
    'plain-initial-response': {
      message: 'The initial response must be base64. {reason}',
      fix: 'For PLAIN it is "\\0user\\0password" in base64, like `AUTH PLAIN {example}` (\\0alice\\0secret). Write "=" for an empty response.',
    },
    'login-initial-response': {
      message: 'The initial response must be base64. {reason}',
      fix: 'For LOGIN it is your user name in base64: `AUTH LOGIN {encoded}`.',
    },
    'unpadded': {
      message: 'Base64 is padded with "=" to a multiple of four characters (RFC 4648); smtp-server decodes it anyway.',
      fix: 'Add "{padding}" at the end of the response.',
    },
    'lone-equals': {
      message: 'A lone "=" means an empty response only on the AUTH line itself. Here, an empty response is an empty line.',
      fix: 'Send an empty line, or "*" to cancel.',
    },
    'continuation': { message: 'The server waits for a base64 answer to its 334 challenge. {reason}', fix: NEEDS_BASE64 },
  },
  'invalid-mechanism': {
    'not-a-name': {
      message: '"{mechanism}" is not a SASL mechanism name: those are 1 to 20 letters, digits, hyphens or underscores.',
      fix: AUTH_EXAMPLE,
    },
    'did-you-mean': {
      message: '{mechanism} is not a mechanism this lab knows. Did you mean {suggestion}?',
      fix: 'Write it as `AUTH {suggestion}`.',
    },
  },
  'invalid-chunk-size': {
    'not-digits': {
      message: '"{size}" is not a chunk size: BDAT takes the number of octets in the chunk, digits only.',
      fix: BDAT_EXAMPLE,
    },
    'too-large': { message: 'This chunk size is too large to be real. Send a large message as several BDAT chunks.', fix: BDAT_EXAMPLE },
  },
  'invalid-character': {
    'lone-surrogate': {
      message: 'This character is half of a UTF-16 surrogate pair on its own: it cannot be sent as UTF-8.',
      fix: REMOVE_OR_RETYPE,
    },
  },
  'missing-colon': {
    'missing': { message: 'A colon goes right after {keyword}, before the address.', fix: WRITE_IT_AS },
  },
  'space-after-colon': {
    'space': {
      message: [
        'RFC 5321 has no space after "{keyword}:": the "<" follows the colon directly.',
        'smtp-server and most servers accept it anyway.',
      ],
      fix: WRITE_IT_AS,
    },
  },
  'extra-whitespace': {
    'trailing-space': {
      message: 'The line ends with a space. RFC 5321 allows no space before the end of a command line; most servers ignore it.',
      fix: SINGLE_SPACES,
    },
    'between-words': {
      message: 'RFC 5321 separates the words of a command with exactly one space; most servers accept more.',
      fix: SINGLE_SPACES,
    },
    'verb-keyword-gap': {
      message: [
        'Write exactly one space between {verb} and {keyword}:',
        'smtp-server reads "{verb} {keyword}" as one unit and refuses the command otherwise.',
      ],
      fix: WRITE_IT_AS,
    },
    'space-before-colon': {
      message: 'RFC 5321 writes "{keyword}:" with no space before the colon; smtp-server accepts it anyway.',
      fix: 'Write `{verb} {keyword}:<…>`.',
    },
  },
  'source-route': {
    'obsolete': {
      message: [
        'This is a source route, a list of relays to pass through.',
        'RFC 5321 makes it obsolete: servers must accept it but should ignore it.',
      ],
      fix: 'Leave the route out and write only the mailbox.',
    },
  },
  'server-may-reject': {
    'binarymime': {
      message: 'BODY=BINARYMIME (RFC 3030) is valid only with BDAT, and the sandbox\'s smtp-server supports neither: it answers 501.',
      fix: 'Use BODY=8BITMIME or BODY=7BIT.',
    },
    'quoted-local-part': {
      message: [
        'RFC 5321 allows this quoted local part,',
        'but smtp-server refuses addresses containing spaces, angle brackets or a second @.',
      ],
      fix: 'Avoid quoted local parts unless the mailbox really needs one.',
    },
  },
  'missing-smtputf8': {
    'missing': {
      message: [
        'This address contains non-ASCII characters.',
        'RFC 6531 §3.4 asks for the SMTPUTF8 parameter on MAIL FROM when the transaction uses such addresses;',
        'smtp-server does not check.',
      ],
      fix: 'Write it as `{example} SMTPUTF8`.',
    },
  },
} as const satisfies { readonly [Code in SyntaxErrorCode]: Readonly<Record<string, GrammarTemplate>> };

type Messages = typeof GRAMMAR_MESSAGES;

/** The messages one code has, by name. */
export type GrammarVariant<Code extends SyntaxErrorCode> = keyof Messages[Code] & string;

/** The parameters one message needs: one per placeholder in its message and fix. */
export type GrammarParams<Code extends SyntaxErrorCode, Variant extends GrammarVariant<Code>> =
  Messages[Code][Variant] extends { readonly message: infer Message extends GrammarText; readonly fix: infer Fix extends GrammarText }
    ? TemplateParams<Message> & TemplateParams<Fix>
    : never;
