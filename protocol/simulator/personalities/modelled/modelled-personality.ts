/** Makes a Personality from a documentation-modelled server's table (modelled-table.ts). */
import { sizeBoundedReader } from '../../message-size.ts';
import { randomQueueId } from '../../queue-id.ts';
import { twoMailboxes } from '../local-mailboxes.ts';
import type { Personality } from '../personality.ts';
import { modelledDispatch, modelledSizeLimit, modelledVerbs } from './modelled-handlers.ts';
import type { ModelledTable } from './modelled-table.ts';

export function modelledPersonality(table: ModelledTable, newQueueId: () => string = randomQueueId): Personality {
  const verbs = modelledVerbs(table);
  return {
    name: table.name,
    label: table.label,
    evidence: table.evidence,
    labHostname: table.labHostname,
    greetingText: ({ hostname }) => table.banner(hostname),
    dispatch: modelledDispatch(table, verbs),
    verbs,
    // The dispatcher answers early talkers with the table's text.
    earlyTalker: 'refuse',
    // Dot handling and end of data as smtp-server's: no source we read documents them.
    newDataReader: (settings) => sizeBoundedReader(modelledSizeLimit(table, settings)),
    longCommandLine: 'refuse',
    // Written from each server's published layout (table.received.source), not captured.
    receivedHeader: table.received.header,
    // Without a login they take mail for their local users only (relayDenied otherwise).
    suggestedRecipients: twoMailboxes(table.localUsers, table.localDomains),
    newQueueId,
  };
}
