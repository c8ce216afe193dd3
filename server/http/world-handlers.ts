/**
 * The lab world's handlers: the learner's DNS zone and host switches (read, replace; reset puts
 * back the starting zone and the default switches).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../../protocol/wire/api-error.ts';
import { checkZone, MAX_ZONE_RECORDS, type DnsRecord } from '../../protocol/world/dns-record.ts';
import { checkHostSettings } from '../../protocol/world/host-settings.ts';
import { bodyOrFail, field } from '../classroom/http/request-body.ts';
import type { HostSettingsStore } from '../world/host-settings-store.ts';
import type { ZoneStore } from '../world/zone-store.ts';
import type { ApiHandler } from './api-route.ts';
import { sendError, sendJson } from './respond.ts';

/** Room for a full zone of long records (DKIM keys are about 400 characters each). */
export const MAX_ZONE_BODY_BYTES = 512 * 1024;

/** A list of host switches is small: one entry per lab MX, each with a short allow-list. */
export const MAX_HOSTS_BODY_BYTES = 64 * 1024;

export type WorldHandlers = Readonly<Record<'dns' | 'replaceDns' | 'hosts' | 'replaceHosts' | 'reset', ApiHandler>>;

/** The handlers of the /api/world routes (api-routes.ts maps them to paths). */
export function worldHandlers(zones: ZoneStore, hostSettings: HostSettingsStore): WorldHandlers {
  return {
    dns: async ({ res, namespace }) => {
      sendJson(res, 200, { records: await zones.records(namespace) });
    },
    replaceDns: async ({ req, res, namespace }) => {
      const records = await zoneFromBody(req, res);
      if (records === null) return;
      await zones.replace(namespace, records);
      sendJson(res, 200, { records });
    },
    hosts: async ({ res, namespace }) => {
      sendJson(res, 200, { hosts: await hostSettings.settings(namespace) });
    },
    replaceHosts: async ({ req, res, namespace }) => {
      const body = await bodyOrFail(req, res, MAX_HOSTS_BODY_BYTES);
      if (body === null) return;
      const hosts = field(body.value, 'hosts');
      if (!Array.isArray(hosts)) {
        return sendError(res, 400, 'bad_request', 'Send the host switches as {"hosts": [{"name", "down", "greylisting", "rateLimitPerLabMinute", "allowList", "enforceDmarc"}, …]}.');
      }
      const check = checkHostSettings(hosts);
      if (!check.ok) {
        // The old switches stay: the list is replaced whole or not at all.
        const count = check.problems.length;
        const error: ApiErrorBody['error'] = {
          code: 'invalid_hosts',
          message: `The host switches were not changed: ${count} ${count === 1 ? 'entry has a problem' : 'entries have problems'}.`,
          problems: check.problems,
        };
        return sendJson(res, 400, { error });
      }
      await hostSettings.replace(namespace, check.hosts);
      sendJson(res, 200, { hosts: check.hosts });
    },
    reset: async ({ res, namespace }) => {
      await zones.reset(namespace);
      await hostSettings.reset(namespace);
      sendJson(res, 200, { records: await zones.records(namespace), hosts: await hostSettings.settings(namespace) });
    },
  };
}

/**
 * The zone in a request body `{"records": [...]}` once it passed `checkZone`, or null after
 * answering 400 (with a problem per bad record): a zone is replaced whole or not at all.
 */
export async function zoneFromBody(req: IncomingMessage, res: ServerResponse): Promise<readonly DnsRecord[] | null> {
  const body = await bodyOrFail(req, res, MAX_ZONE_BODY_BYTES);
  if (body === null) return null;
  const records = field(body.value, 'records');
  if (!Array.isArray(records)) {
    sendError(res, 400, 'bad_request', `Send the zone as {"records": [{"name", "type", "ttl", "value"}, …]} (at most ${MAX_ZONE_RECORDS} records).`);
    return null;
  }
  const check = checkZone(records);
  if (check.ok) return check.records;
  const count = check.problems.length;
  const error: ApiErrorBody['error'] = {
    code: 'invalid_zone',
    message: `The zone was not changed: ${count} record${count === 1 ? ' has a problem' : 's have problems'}.`,
    problems: check.problems,
  };
  sendJson(res, 400, { error });
  return null;
}
