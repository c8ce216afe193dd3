/**
 * A hop's recorded lines replayed through the session model, so the journey shows each hop's
 * conversation in the console's own sequence diagram with the console's own explanations.
 * Server lines are multi-line replies joined with "\n" (protocol/world/hop-conversation.ts); notes (lines
 * left out, unreadable lines) are not on the wire and are returned beside the entries.
 */
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { ReplyAssembler } from '../../../protocol/replies/parse-reply.ts';
import { createSessionActor, type TranscriptEntry } from '../../../protocol/session/index.ts';
import { PERSONALITY_NAMES } from '../../../protocol/simulator/personalities/index.ts';
import type { JourneyHop } from '../../../protocol/world/journey.ts';

export interface HopConversation {
  readonly entries: readonly TranscriptEntry[];
  /** What the recorder said beside the wire, in order. */
  readonly notes: readonly string[];
}

export function isPersonality(name: string | null): name is PersonalityName {
  return name !== null && (PERSONALITY_NAMES as readonly string[]).includes(name);
}

export function hopConversation(hop: JourneyHop): HopConversation {
  const notes: string[] = [];
  if (hop.transcript.length === 0) return { entries: [], notes };
  const session = createSessionActor(isPersonality(hop.personality) ? { personality: hop.personality } : {});
  try {
    session.send({ type: 'socket.opened', server: hop.to.host ?? 'the server' });
    for (const line of hop.transcript) {
      if (line.direction === 'note') notes.push(line.text);
      else if (line.direction === 'client') session.send({ type: 'client.line', text: line.text });
      else {
        const assembler = new ReplyAssembler();
        for (const text of line.text.split('\n')) {
          const result = assembler.push(text);
          if (result?.kind === 'reply') session.send({ type: 'server.reply', reply: result.reply });
          else if (result?.kind === 'error') notes.push(`unreadable reply line: ${result.error.line}`);
        }
      }
    }
    return { entries: [...session.transcript], notes };
  } finally {
    session.stop();
  }
}
