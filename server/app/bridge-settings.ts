/** The bridge's targets and limits, from the process configuration. */
import type { AddressInfo } from 'node:net';
import { formatHostPort, type BridgeOptions } from '../bridge/bridge-options.ts';
import type { ServerConfig } from '../config/server-config.ts';
import { displayHost } from './app-urls.ts';

/**
 * Learners reach the sandbox through its private loopback entrance (so their sessions do not
 * count against the SMTP port's per-address limit; the bridge applies its own), labelled with
 * the public SMTP address they would use from a mail client (the transcript names that one too).
 */
export function bridgeSettings(
  config: ServerConfig,
  sandbox: { readonly entrance: AddressInfo; readonly publicSmtp: AddressInfo },
): Pick<BridgeOptions, 'sandbox' | 'extraTargets' | 'limits' | 'allowedOrigins'> {
  return {
    sandbox: {
      host: sandbox.entrance.address,
      port: sandbox.entrance.port,
      label: `SMTP Lab sandbox (${formatHostPort(displayHost(sandbox.publicSmtp.address), sandbox.publicSmtp.port)})`,
      address: formatHostPort(displayHost(sandbox.publicSmtp.address), sandbox.publicSmtp.port),
    },
    extraTargets: config.allowTargets.map(({ host, port }) => ({
      id: formatHostPort(host, port),
      label: `Live server ${formatHostPort(host, port)}`,
      host,
      port,
    })),
    limits: {
      maxPayloadBytes: config.wsMaxPayload,
      // Half the frame: room for JSON escaping of the text inside it.
      maxSendBytes: Math.floor(config.wsMaxPayload / 2),
      commandsPerSecond: config.commandsPerSecond,
      commandBurst: config.commandsPerSecond * 2,
      // A minute more than the SMTP idle timeout, so a learner meets the real server's 421 first.
      idleTimeoutMs: config.idleTimeoutMs + 60_000,
      maxSessionMs: config.sessionLifetimeMs,
      maxSessionsPerAddress: config.maxSessionsPerAddress,
      maxSessionDataBytes: config.sessionDataBudget,
    },
    allowedOrigins: config.allowedOrigins,
  };
}
