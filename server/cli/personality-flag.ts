/** `--personality NAME` for replay and sandbox: a known personality's lab configuration. */
import { DEFAULT_SANDBOX_CONFIG, type SandboxConfig } from '../../protocol/sandbox-config.ts';
import { PERSONALITIES, PERSONALITY_NAMES } from '../../protocol/simulator/index.ts';
import { CliFailure } from './cli-failure.ts';

const isPersonalityName = (name: string): name is keyof typeof PERSONALITIES => Object.hasOwn(PERSONALITIES, name);

/** The sandbox configuration answering like `name`, with that server's lab host name. */
export function personalityConfig(name: string): SandboxConfig {
  if (!isPersonalityName(name)) {
    throw new CliFailure(`unknown personality ${JSON.stringify(name)}: use one of ${PERSONALITY_NAMES.join(', ')}`);
  }
  return { ...DEFAULT_SANDBOX_CONFIG, personality: name, hostname: PERSONALITIES[name].labHostname };
}
