/**
 * Which server personality the simulated server answers like: the learner's pick, applied to
 * the simulator's configuration, and kept in this browser (it grants nothing, so localStorage
 * is fine). A lesson that picks a personality overrides the learner's pick while it is open.
 */
import type { PersonalityName, SandboxConfig } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, PERSONALITY_NAMES, type Personality } from '../../../protocol/simulator/personalities/index.ts';

export const PERSONALITY_STORAGE_KEY = 'smtp-lab.personality';

/**
 * `config` answering like `name`. The host name follows the personality (the lab's Postfix is
 * mx.lab.test) unless the configuration named its own.
 */
export function withPersonality(config: SandboxConfig, name: PersonalityName): SandboxConfig {
  if (config.personality === name) return config;
  const ownHostname = config.hostname !== PERSONALITIES[config.personality].labHostname;
  return { ...config, personality: name, hostname: ownHostname ? config.hostname : PERSONALITIES[name].labHostname };
}

/** The server's name without the remark in brackets: "Postfix 3.7 (Debian, …)" → "Postfix 3.7". */
export function serverName(personality: Personality): string {
  return personality.label.replace(/\s*\(.*\)$/, '');
}

/** How sure we are that the personality answers like its server, in the learner's words. */
export function evidenceText(personality: Personality): string {
  return personality.evidence === 'verified-against-server'
    ? `verified against ${serverName(personality)}`
    : 'modelled on documentation, not verified against the server';
}

/** Where the learner's pick is remembered. */
export interface PersonalityMemory {
  /** The remembered pick, or null when none (or one this version does not know) is kept. */
  load(): PersonalityName | null;
  save(name: PersonalityName): void;
}

/** The pick kept in `storage`; a storage that refuses (private browsing, quota) forgets quietly. */
export function storedPersonality(storage: Storage | null): PersonalityMemory {
  return {
    load() {
      let value: string | null = null;
      try {
        value = storage?.getItem(PERSONALITY_STORAGE_KEY) ?? null;
      } catch {
        return null;
      }
      return PERSONALITY_NAMES.find((name) => name === value) ?? null;
    },
    save(name) {
      try {
        storage?.setItem(PERSONALITY_STORAGE_KEY, name);
      } catch {
        // Not remembered: the pick still applies to this page.
      }
    },
  };
}

/** This browser's localStorage, or null where there is none (or it may not be touched). */
export function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
