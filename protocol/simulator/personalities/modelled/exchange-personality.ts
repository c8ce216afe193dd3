/**
 * Exchange Online / Exchange Server's receive connector as published sessions and non-delivery
 * reports show it (https://pastebin.com/b5iHTeFd, an outlook.office365.com session: banner and
 * EHLO; https://pastebin.com/FcFLdfAj, an Exchange session: MAIL, RCPT, DATA and the queued
 * reply; https://pastebin.com/4NLVeuUu, an NDR: the unknown-recipient reply). Not verified
 * against the server. Where none gives a text, smtp-server's is kept.
 */
import { modelledPersonality } from './modelled-personality.ts';
import { SMTP_SERVER_SESSION_RULES, SMTP_SERVER_TEXTS, type ModelledReply } from './modelled-table.ts';

const reply = (code: number, text: string): ModelledReply => ({ code, text });

/** The banner's date, as Exchange writes it: "Fri, 16 May 2014 07:54:36 +0000". */
function exchangeDate(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

export const EXCHANGE_PERSONALITY = modelledPersonality({
  name: 'exchange',
  label: 'Exchange-like (Exchange Online)',
  evidence: 'modelled-on-documentation',
  labHostname: 'mx.exchange.lab.test',
  banner: (hostname) => `${hostname} Microsoft ESMTP MAIL Service ready at ${exchangeDate(new Date())}`, // b5iHTeFd
  welcome: (hostname, _helo, clientHostname) => `${hostname} Hello ${clientHostname}`, // b5iHTeFd
  // b5iHTeFd, in its order; BINARYMIME and CHUNKING left out because BDAT is not modelled.
  ehloKeywords: ['SIZE 78643200', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES', 'STARTTLS', '8BITMIME'],
  // Not documented in the sources: smtp-server's rule (EHLO/HELO first) and limit.
  ...SMTP_SERVER_SESSION_RULES,
  replies: {
    ...SMTP_SERVER_TEXTS,
    mailOk: reply(250, '2.1.0 Sender OK'), // FcFLdfAj
    rcptOk: reply(250, '2.1.5 Recipient OK'), // FcFLdfAj
    startData: reply(354, 'Start mail input; end with <CRLF>.<CRLF>'), // FcFLdfAj
    // FcFLdfAj: "250 2.6.0 <message-id> [InternalId=…, Hostname=…] … Queued mail for delivery",
    // shortened to the id and the closing words (the lab has no internal ids or timings).
    queued: (queueId) => reply(250, `2.6.0 <${queueId}> Queued mail for delivery`),
    unknownUser: () => reply(550, '5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'), // 4NLVeuUu
  },
});
