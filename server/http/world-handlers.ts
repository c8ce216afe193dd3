/** The lab world's handlers: the learner's DNS zone (read, replace, reset to the starting zone). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../../protocol/wire/api-error.ts';
import { checkZone, MAX_ZONE_RECORDS, type DnsRecord } from '../../protocol/world/dns-record.ts';
import { bodyOrFail, field } from '../classroom/http/request-body.ts';
import type { ZoneStore } from '../world/zone-store.ts';
import type { ApiHandler } from './api-route.ts';
import { sendError, sendJson } from './respond.ts';

/** Room for a full zone of long records (DKIM keys are about 400 characters each). */
export const MAX_ZONE_BODY_BYTES = 512 * 1024;

export type WorldHandlers = Readonly<Record<'dns' | 'replaceDns' | 'reset', ApiHandler>>;

/** The handlers of the /api/world routes (api-routes.ts maps them to paths). */
export function worldHandlers(zones: ZoneStore): WorldHandlers {
  return {
    dns: ({ res, namespace }) => {
      sendJson(res, 200, { records: zones.records(namespace) });
    },
    replaceDns: async ({ req, res, namespace }) => {
      const records = await zoneFromBody(req, res);
      if (records === null) return;
      zones.replace(namespace, records);
      sendJson(res, 200, { records });
    },
    reset: ({ res, namespace }) => {
      zones.reset(namespace);
      sendJson(res, 200, { records: zones.records(namespace) });
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
