/**
 * A message's journey through the lab internet, as GET /api/messages/:id/journey returns it and
 * the browser's Journey view draws it: the hops in order (client → sandbox → each MX attempt →
 * mailbox), what the receiving MX concluded about SPF, DKIM and DMARC, and the outbound rows
 * (with their DSN state) that moved it. One schema: the server checks what it sends with it,
 * the page parses what it receives with it.
 */
import * as z from 'zod';
import type { InboundAuthentication } from './auth-verdicts.ts';
import type { DnsLookup } from './lab-resolver.ts';

const dnsErrorSchema = z.enum(['ENOTFOUND', 'ENODATA', 'ETIMEOUT', 'ESERVFAIL']);
const dnsAnswerSchema = z.union([
  z.array(z.array(z.string())),
  z.array(z.strictObject({ exchange: z.string(), priority: z.number().int() })),
  z.array(z.string()),
]);

/** One question to the lab resolver and its answer or error (lab-resolver.ts's DnsLookup). */
export const dnsLookupSchema: z.ZodType<DnsLookup> = z.union([
  z.strictObject({ name: z.string(), type: z.string(), answer: dnsAnswerSchema }),
  z.strictObject({ name: z.string(), type: z.string(), error: dnsErrorSchema }),
]);

const spfResultSchema = z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror']);
const dkimResultSchema = z.enum(['pass', 'fail', 'neutral', 'policy', 'temperror', 'permerror', 'none']);
const dmarcPolicySchema = z.enum(['none', 'quarantine', 'reject']);
const dmarcResultSchema = z.enum(['pass', 'fail', 'none', 'temperror']);

/** auth-verdicts.ts's InboundAuthentication, field for field. */
export const inboundAuthenticationSchema: z.ZodType<InboundAuthentication> = z.strictObject({
  receiver: z.string(),
  connection: z.strictObject({ ip: z.string(), helo: z.string(), sender: z.string() }),
  spf: z.strictObject({
    result: spfResultSchema,
    domain: z.string(),
    identity: z.enum(['mailfrom', 'helo']),
    record: z.string().nullable(),
    mechanism: z.string().nullable(),
    lookups: z.strictObject({ count: z.number().int(), limit: z.number().int(), void: z.number().int() }),
    explanation: z.string(),
  }),
  dkim: z.strictObject({
    result: dkimResultSchema,
    signatures: z.array(
      z.strictObject({
        domain: z.string(),
        selector: z.string(),
        algorithm: z.string(),
        canonicalization: z.string(),
        signedHeaders: z.array(z.string()),
        bodyHash: z.strictObject({ matches: z.boolean(), expected: z.string(), computed: z.string() }),
        signature: z.enum(['pass', 'fail', 'not-checked']),
        mailauth: z.strictObject({ result: z.string(), comment: z.string().nullable() }),
        rfcResult: dkimResultSchema,
        alignedWithFrom: z.boolean(),
      }),
    ),
  }),
  dmarc: z.strictObject({
    result: dmarcResultSchema,
    mailauthResult: dmarcResultSchema,
    fromDomain: z.string(),
    organizationalDomain: z.string(),
    record: z.string().nullable(),
    p: dmarcPolicySchema.nullable(),
    sp: dmarcPolicySchema.nullable(),
    policy: dmarcPolicySchema.nullable(),
    pct: z.number(),
    alignment: z.strictObject({
      spfMode: z.enum(['r', 's']),
      dkimMode: z.enum(['r', 's']),
      spfAligned: z.string().nullable(),
      dkimAligned: z.string().nullable(),
    }),
    explanation: z.string(),
  }),
  authenticationResults: z.string(),
});

/** What a receiving lab MX recorded beside a delivered copy (messages.lab_host and the columns after it). */
export interface LabReceipt {
  /** The lab MX that delivered it. */
  readonly host: string;
  /** The outbound queue row that relayed it, or null for a client that connected on its own. */
  readonly outboundId: number | null;
  readonly authentication: InboundAuthentication | null;
  /** What the receiver asked the lab resolver (SPF, DKIM keys, DMARC), in order. */
  readonly lookups: readonly DnsLookup[];
  /** What the DMARC policy made of it, in a sentence (delivered, junk, not enforced). */
  readonly disposition: string | null;
  /** Lab ms of the delivery. */
  readonly labTime: number;
}

const endpointSchema = z.strictObject({
  /** A host name (or a mailbox for the last hop); null when nobody is known (a route with no MX). */
  host: z.string().nullable(),
  /** Its lab IP, when it has one. */
  ip: z.string().nullable(),
});

const transcriptLineSchema = z.strictObject({
  /** Lab ms. */
  at: z.number(),
  direction: z.enum(['client', 'server', 'note']),
  text: z.string(),
});

export const journeyHopSchema = z.strictObject({
  /**
   * submission: the learner's client to the sandbox; relay: one connection attempt to an MX
   * (or a route that found none); delivery: the receiving MX into the mailbox.
   */
  kind: z.enum(['submission', 'relay', 'delivery']),
  /** The envelope recipient this hop carried it for (null for a submission with several). */
  recipient: z.string().nullable(),
  /** The outbound attempt number (relay hops only). */
  attempt: z.number().int().nullable(),
  from: endpointSchema,
  to: endpointSchema,
  /** The personality of the server at `to` (for a delivery, of the MX that delivered). */
  personality: z.string().nullable(),
  /** DNS questions asked for this hop: the sender's MX lookups on a relay, the receiver's SPF/DKIM/DMARC ones on a delivery. */
  lookups: z.array(dnsLookupSchema),
  transcript: z.array(transcriptLineSchema),
  /**
   * captured: the sandbox kept it and relayed nothing; accepted: the sandbox took it for relay;
   * delivered/temporary/permanent/no-connection: how one MX attempt ended; no-route: no MX to try.
   */
  outcome: z.enum(['captured', 'accepted', 'delivered', 'temporary', 'permanent', 'no-connection', 'no-route']),
  /** The reply or failure in words, when there is one. */
  reply: z.string().nullable(),
  /** Lab ms, or null where only real time is known (a message the sandbox only captured). */
  labTime: z.number().nullable(),
});
export type JourneyHop = z.infer<typeof journeyHopSchema>;

export const journeyOutboundSchema = z.strictObject({
  id: z.number().int(),
  recipient: z.string(),
  state: z.enum(['queued', 'in-flight', 'delivered', 'bounced', 'expired']),
  lastReply: z.string().nullable(),
  /** Whether a DSN went (or is due) to the envelope sender: never for the null sender. */
  dsn: z.enum(['none', 'due', 'sent']),
});

export const journeySchema = z.strictObject({
  messageId: z.number().int(),
  /** The lab mailbox it was delivered to; null for the sandbox's own capture. */
  mailbox: z.string().nullable(),
  hops: z.array(journeyHopSchema),
  /** What the receiving MX concluded; null when no lab MX checked it. */
  authentication: inboundAuthenticationSchema.nullable(),
  disposition: z.string().nullable(),
  /** The outbound queue rows that moved it (one per recipient), with their DSN state. */
  outbound: z.array(journeyOutboundSchema),
});
export type Journey = z.infer<typeof journeySchema>;
