/** For the session tests that check the model against a simulated server of each personality. */
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../../protocol/sandbox-config.ts';
import { createSessionActor, type SessionActor } from '../../../protocol/session/index.ts';
import { PERSONALITIES, SimulatedServer } from '../../../protocol/simulator/index.ts';
import { replyReader } from '../replies/reply-reader.ts';

export interface Answer {
  /** The server's answer as sent, lines joined by CRLF, without the last CRLF. */
  readonly text: string;
  /** The code of each whole reply in it. */
  readonly codes: readonly number[];
}

export interface SimulatedTalk {
  readonly model: SessionActor;
  readonly server: SimulatedServer;
  /** Sends one line to the server and feeds both sides to the model. */
  say(line: string): Answer;
}

/** A session with `personality`'s simulated server, greeted, with `opening` already said. */
export function talkTo(personality: PersonalityName, opening: readonly string[] = []): SimulatedTalk {
  const server = new SimulatedServer({ config: { ...DEFAULT_SANDBOX_CONFIG, personality, hostname: PERSONALITIES[personality].labHostname } });
  const model = createSessionActor({ personality });
  let codes: number[] = [];
  const read = replyReader((reply) => {
    codes.push(reply.code);
    model.send({ type: 'server.reply', reply });
  });
  const deliver = (text: string): Answer => {
    codes = [];
    read(text);
    // The model learns of a hang-up as the client would: the socket closes after the reply.
    if (server.closed) model.send({ type: 'socket.closed', reason: 'closed by the server' });
    return { text: text.replace(/\r\n$/, ''), codes };
  };
  model.send({ type: 'socket.opened', server: `simulated ${personality}` });
  deliver(server.greeting());
  const talk: SimulatedTalk = {
    model,
    server,
    say(line) {
      model.send({ type: 'client.line', text: line });
      return deliver(server.receive(`${line}\r\n`));
    },
  };
  for (const line of opening) talk.say(line);
  return talk;
}
