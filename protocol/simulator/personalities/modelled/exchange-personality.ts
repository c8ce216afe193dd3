/**
 * Exchange's receive connector as Microsoft documents it in "Use Telnet to test SMTP
 * communication on Exchange servers" (https://learn.microsoft.com/exchange/mail-flow/test-smtp-with-telnet;
 * read as MicrosoftDocs/OfficeDocs-Exchange Exchange/ExchangeServer/mail-flow/test-smtp-with-telnet.md, ms.date 6/8/2018):
 * a whole example session plus each command's success and failure replies. Not verified against
 * the server. Where the guide gives no text, smtp-server's is kept.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { exchangeReceived } from './modelled-received.ts';
import { SMTP_SERVER_SESSION_RULES, SMTP_SERVER_TEXTS, type ModelledReply, type ModelledTable } from './modelled-table.ts';

const reply = (code: number, text: string): ModelledReply => ({ code, text });

const TELNET_GUIDE = 'https://learn.microsoft.com/exchange/mail-flow/test-smtp-with-telnet';

/** The banner's date as the guide's example writes it ("Fri, 5 Aug 2016 16:24:41 -0700"), in UTC. */
function exchangeDate(date: Date): string {
  return date.toUTCString().replace(/, 0(\d)/, ', $1').replace('GMT', '+0000');
}

/** The build number Exchange writes as the Received id (the one in Microsoft's header examples). */
const EXCHANGE_BUILD = '15.20.8207.18';

export const EXCHANGE_TABLE: ModelledTable = {
  name: 'exchange',
  label: 'Exchange-like (Microsoft\'s Exchange Server Telnet guide)',
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.exchange.lab.test',
  banner: (hostname) => `${hostname} Microsoft ESMTP MAIL Service ready at ${exchangeDate(new Date())}`,
  welcome: (hostname, _helo, clientHostname) => `${hostname} Hello ${clientHostname}`,
  // The guide's list in its order, less what the lab does not model: AUTH NTLM, BINARYMIME and
  // CHUNKING (no BDAT), and the X- extensions.
  ehloKeywords: ['SIZE 37748736', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES', 'STARTTLS', '8BITMIME'],
  // Not documented in the guide: smtp-server's rule (EHLO/HELO first) and limit.
  ...SMTP_SERVER_SESSION_RULES,
  // As the guide's SIZE keyword announces it; the guide gives no text for refusing a message
  // over it, so the refusal is smtp-server's.
  messageSizeLimit: 37748736,
  replies: {
    ...SMTP_SERVER_TEXTS,
    heloSyntax: () => reply(501, '5.5.4 Invalid domain name'),
    mailOk: reply(250, '2.1.0 Sender OK'),
    badSender: reply(550, '5.1.7 Invalid address'),
    rcptOk: reply(250, '2.1.5 Recipient OK'),
    startData: reply(354, 'Start mail input; end with <CRLF>.<CRLF>'),
    unknownCommand: reply(500, '5.3.3 Unrecognized command'),
    bye: () => reply(221, '2.0.0 Service closing transmission channel'),
    // The guide's reply also names an internal id and host in brackets; the lab has neither.
    queued: (queueId) => reply(250, `2.6.0 <${queueId}> Queued mail for delivery`),
    unknownUser: () => reply(550, '5.1.1 User unknown'),
  },
  received: exchangeReceived(EXCHANGE_BUILD),
  sources: {
    banner: { source: TELNET_GUIDE, quote: '220 mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700' },
    welcome: { source: TELNET_GUIDE, quote: '250 mail1.fabrikam.com Hello [<sourceIPaddress>]' },
    ehloKeywords: { source: TELNET_GUIDE, quote: '250-SIZE 37748736 250-PIPELINING 250-DSN 250-ENHANCEDSTATUSCODES 250-STARTTLS 250-X-ANONYMOUSTLS 250-AUTH NTLM 250-X-EXPS GSSAPI NTLM 250-8BITMIME 250-BINARYMIME 250-CHUNKING 250 XRDST' },
    heloSyntax: { source: TELNET_GUIDE, quote: 'EHLO command … Failure response: 501 5.5.4 Invalid domain name' },
    mailOk: { source: TELNET_GUIDE, quote: 'MAIL FROM command Successful response: 250 2.1.0 Sender OK' },
    badSender: { source: TELNET_GUIDE, quote: 'Failure response: 550 5.1.7 Invalid address Possible reasons for failure: A syntax error in the sender\'s e-mail address.' },
    rcptOk: { source: TELNET_GUIDE, quote: 'RCPT TO command Successful response: 250 2.1.5 Recipient OK' },
    startData: { source: TELNET_GUIDE, quote: '354 Start mail input; end with <CRLF>.<CRLF>' },
    unknownCommand: { source: TELNET_GUIDE, quote: 'Unrecognized SMTP commands or syntax errors result in an error message that looks like this: 500 5.3.3 Unrecognized command' },
    bye: { source: TELNET_GUIDE, quote: '221 2.0.0 Service closing transmission channel' },
    queued: { source: TELNET_GUIDE, quote: '250 2.6.0 <c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com> [InternalId=5111011082268, Hostname=mail1.fabrikam.com] Queued mail for delivery' },
    unknownUser: { source: TELNET_GUIDE, quote: 'Failure response: 550 5.1.1 User unknown Possible reasons for failure: The specified recipient doesn\'t exist.' },
  },
};

export const EXCHANGE_PERSONALITY = modelledPersonality(EXCHANGE_TABLE);
