/** Plain-language explanations of parsed commands, with their actual arguments. */
import { decodeBase64Utf8 } from './base64.ts';
import { explainParam } from './explain-params.ts';
import type { Command, EsmtpParam } from './types.ts';

/**
 * One or two sentences (plus one per ESMTP parameter) saying what this command, with these
 * arguments, asks the server. Credentials in AUTH lines are decoded but passwords are shown
 * only by their length.
 */
export function explainCommand(command: Command): string {
  switch (command.verb) {
    case 'EHLO':
      return `Greets the server as the host ${command.domain} and asks it to list the ESMTP extensions it supports ` +
        '(SIZE, AUTH, STARTTLS…). The name is your client\'s host, not an email address.';
    case 'HELO':
      return `Greets the server as the host ${command.domain} the original SMTP way: the reply lists no extensions, so use EHLO to see them.`;
    case 'MAIL':
      return withParams(command.path.address === ''
        ? 'Starts a new mail transaction with the null reverse-path <>: no bounce will ever be sent back for this message. ' +
          'Servers use it for bounces and other automatic messages, so that two servers never bounce a bounce back and forth ' +
          '(RFC 5321 §4.5.5).'
        : `Starts a new mail transaction with envelope sender <${command.path.address}> ` +
          '(the return path where bounces go; not the From: header).', command.params);
    case 'RCPT':
      return withParams(command.path.domain === ''
        ? `Adds <${command.path.address}> as a recipient: the domainless postmaster address, ` +
          'which every server must accept (RFC 5321 §4.1.1.3).'
        : `Adds <${command.path.address}> as an envelope recipient: the server will deliver a copy there. ` +
          'It need not appear in the To: header; that is how Bcc works.', command.params);
    case 'DATA':
      return 'Asks to send the message itself. After the server\'s 354 reply, send the headers, a blank line and the body, ' +
        'and end with a line holding only a dot (".") — there is no "END DATA" command. ' +
        'A line of the message that starts with a dot is sent with an extra dot (dot-stuffing).';
    case 'RSET':
      return 'Abandons the current mail transaction: the server forgets the sender, the recipients and any data, ' +
        'but keeps the connection and your greeting.';
    case 'NOOP':
      return 'Does nothing but ask for a 250 reply, to check that the connection is alive.' +
        (command.argument === null ? '' : ` The text "${command.argument}" is ignored.`);
    case 'QUIT':
      return 'Asks the server to reply 221 and close the connection. A transaction whose message was not completed is abandoned.';
    case 'VRFY':
      return `Asks the server whether "${command.argument}" is a user or mailbox it knows. ` +
        'Many servers answer 252 (cannot verify, but will try to deliver) so that spammers cannot collect addresses.';
    case 'EXPN':
      return `Asks the server to list the members of the mailing list "${command.argument}". ` +
        'Most servers disable it for privacy.';
    case 'HELP':
      return command.topic === null ? 'Asks the server for help text.' : `Asks the server for help about "${command.topic}".`;
    case 'AUTH':
      return explainAuth(command.mechanism, command.initialResponse);
    case 'STARTTLS':
      return 'Asks to switch this connection to TLS encryption. After the server\'s 220 reply the TLS handshake starts; ' +
        'then both sides forget what they knew, so you greet again with EHLO (RFC 3207).';
    case 'BDAT':
      return `Sends the next ${command.size} octets, exactly, as a chunk of the message, instead of DATA with its final dot (RFC 3030). ` +
        (command.last
          ? 'LAST marks it as the final chunk: the server then answers for the whole message.'
          : 'More chunks follow; the final one carries LAST.');
  }
}

function withParams(sentence: string, params: readonly EsmtpParam[]): string {
  return [sentence, ...params.map(explainParam)].join(' ');
}

const NOT_ENCRYPTION = 'Base64 is an encoding, not encryption: anyone who can read this line can decode it, ' +
  'which is why AUTH belongs after STARTTLS.';

function explainAuth(mechanism: string, initialResponse: string | null): string {
  switch (mechanism) {
    case 'PLAIN':
      if (initialResponse === null) {
        return 'Starts a PLAIN login. The server answers 334 and waits for one base64 line holding "\\0user\\0password".';
      }
      return `Logs in with PLAIN, sending the credentials on this line. ${NOT_ENCRYPTION} ${describePlain(initialResponse)}`;
    case 'LOGIN':
      if (initialResponse === null) {
        return 'Starts a LOGIN login. The server asks for the user name (334 VXNlcm5hbWU6, base64 of "Username:") ' +
          'and then the password (334 UGFzc3dvcmQ6, "Password:"), each answered with a base64 line.';
      }
      const user = decodeBase64Utf8(initialResponse === '=' ? '' : initialResponse) ?? '?';
      return `Starts a LOGIN login and sends the user name "${user}" right away. ${NOT_ENCRYPTION} ` +
        'The server then asks for the password (334 UGFzc3dvcmQ6, base64 of "Password:").';
    case 'CRAM-MD5':
      return 'Starts a CRAM-MD5 login: the server sends a base64 challenge, and you answer with your user name ' +
        'and an HMAC-MD5 of the challenge keyed with your password, so the password itself never crosses the wire.';
    default:
      return `Starts a login with the SASL mechanism ${mechanism}${initialResponse === null ? '' : ', with an initial response on the same line'}. ` +
        `The server must have listed ${mechanism} on its AUTH line after EHLO.`;
  }
}

/** What a PLAIN response decodes to, with the password shown only by its length. */
function describePlain(initialResponse: string): string {
  const decoded = decodeBase64Utf8(initialResponse === '=' ? '' : initialResponse);
  if (decoded === null) return 'The response is not valid base64, so the server will refuse it.';
  const parts = decoded.split('\0');
  const [authzid, user, password] = parts;
  if (parts.length !== 3 || authzid === undefined || user === undefined || password === undefined) {
    return 'It decodes to something other than the three NUL-separated fields "authorization-id\\0user\\0password", ' +
      'so the server will refuse it.';
  }
  const identity = authzid === ''
    ? 'an empty authorization identity (meaning: act as the user)'
    : `the authorization identity "${authzid}"`;
  const length = [...password].length;
  const characters = `${length} character${length === 1 ? '' : 's'}`;
  return `It decodes to ${identity}, the user "${user}" and a password of ${characters} (not shown).`;
}
