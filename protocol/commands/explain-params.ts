/** One sentence per ESMTP parameter, for explaining MAIL and RCPT commands. */
import type { EsmtpParam } from './types.ts';
import { checkXtext } from './xtext.ts';

function written(param: EsmtpParam): string {
  return param.value === null ? param.keyword : `${param.keyword}=${param.value}`;
}

function xtextDecoded(value: string): string {
  const verdict = checkXtext(value);
  return verdict.kind === 'invalid' ? value : verdict.decoded;
}

const BODY_MEANINGS: Readonly<Record<string, string>> = {
  '7BIT': 'says the message is plain 7-bit ASCII text',
  '8BITMIME': 'says the message may contain 8-bit bytes, such as UTF-8 text (RFC 6152)',
  BINARYMIME: 'says the message contains binary MIME parts and will be sent with BDAT (RFC 3030)',
};

const NOTIFY_MEANINGS: Readonly<Record<string, string>> = {
  SUCCESS: 'on delivery',
  FAILURE: 'on failure',
  DELAY: 'when delivery is delayed',
};

/** Explains one parameter of MAIL FROM or RCPT TO in a sentence. */
export function explainParam(param: EsmtpParam): string {
  const value = param.value ?? '';
  const text = written(param);
  switch (param.keyword) {
    case 'SIZE':
      return `${text} declares the message size in advance (RFC 1870) so the server can refuse early.`;
    case 'BODY':
      return `${text} ${BODY_MEANINGS[value.toUpperCase()] ?? 'declares the body type'}.`;
    case 'SMTPUTF8':
      return 'SMTPUTF8 says addresses and headers in this message may use UTF-8 (RFC 6531).';
    case 'REQUIRETLS':
      return 'REQUIRETLS asks every server on the way to relay this message only over TLS (RFC 8689).';
    case 'RET':
      return `${text} asks that a failure report (DSN) include ${value.toUpperCase() === 'HDRS' ? 'only the headers' : 'the full message'} (RFC 3461).`;
    case 'ENVID':
      return `${text} gives the envelope the id "${xtextDecoded(value)}", which delivery status notifications will quote (RFC 3461).`;
    case 'AUTH':
      return value === '<>'
        ? 'AUTH=<> says who originally submitted the message is unknown (RFC 4954 §5).'
        : `${text} names ${xtextDecoded(value)} as the mailbox that originally submitted the message (RFC 4954 §5).`;
    case 'NOTIFY': {
      const wanted = value.toUpperCase().split(',');
      if (wanted.includes('NEVER')) return 'NOTIFY=NEVER asks for no delivery status notification about this recipient (RFC 3461).';
      const when = wanted.map((item) => NOTIFY_MEANINGS[item] ?? item.toLowerCase()).join(', ');
      return `${text} asks for a delivery status notification ${when} (RFC 3461).`;
    }
    case 'ORCPT':
      return `${text} records the original recipient, ${xtextDecoded(value.slice(value.indexOf(';') + 1))}, for delivery status notifications (RFC 3461).`;
    default:
      return `${text} is an extension parameter; the server must have advertised its extension.`;
  }
}
