/**
 * One receiving MX's check as a self-contained job: mailauth over a lab resolver built from a
 * zone snapshot, every DNS question recorded for the journey. Plain data in, plain data out, so
 * the same function runs in the main thread or in the mail-auth worker (mail-auth-worker.ts)
 * with identical verdicts.
 */
import type { DnsRecord } from '../../../protocol/world/dns-record.ts';
import type { InboundAuthentication } from '../../../protocol/world/auth-verdicts.ts';
import { createLabResolver, type DnsLookup } from '../../../protocol/world/lab-resolver.ts';
import { verifyInbound, type InboundConnection } from './verify-inbound.ts';

export interface ZoneVerifyRequest {
  /** The connection as the MX saw it (InboundConnection without the resolver, built here). */
  readonly connection: Omit<InboundConnection, 'resolver'>;
  /** The sender's namespace's zone at the end of data. */
  readonly zone: readonly DnsRecord[];
  /** Names whose DNS does not answer (the default world's `unreachable`). */
  readonly unreachable?: readonly string[];
}

export interface ZoneVerification {
  readonly authentication: InboundAuthentication;
  /** Every lookup mailauth and the SPF reader made, in order. */
  readonly lookups: readonly DnsLookup[];
}

export type VerifyWithZone = (raw: Buffer, request: ZoneVerifyRequest) => Promise<ZoneVerification>;

export const verifyWithZone: VerifyWithZone = async (raw, request) => {
  const lookups: DnsLookup[] = [];
  const resolver = createLabResolver(request.zone, {
    onLookup: (lookup) => lookups.push(lookup),
    ...(request.unreachable ? { unreachable: request.unreachable } : {}),
  });
  const { authentication } = await verifyInbound(raw, { ...request.connection, resolver });
  return { authentication, lookups };
};
