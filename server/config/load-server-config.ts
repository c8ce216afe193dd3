/**
 * Builds the ServerConfig from command-line flags, then environment variables, then defaults
 * (the first one given wins), and validates it with zod. A bad value becomes one ConfigError
 * naming the flag or variable it came from.
 */
import type { ServerConfig } from './server-config.ts';
import { SETTINGS, serverConfigSchema, type RawSettings } from './settings.ts';

/** A setting the operator can fix; the message names the flag or environment variable. */
export class ConfigError extends Error {}

/** Parsed flag values keyed by flag name (`http-port`), as node's parseArgs returns them. */
export type FlagValues = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

type Source = 'flag' | 'env' | 'default';

/**
 * Resolves the configuration of one run. Throws ConfigError on the first invalid setting
 * (every problem is listed, one per line, if there are several).
 */
export function loadServerConfig(flags: FlagValues, env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const raw: Record<string, string | readonly string[]> = {};
  const sources = new Map<string, Source>();
  for (const [key, info] of Object.entries(SETTINGS)) {
    const flagValue = flags[info.flag];
    const envValue = env[info.env]?.trim();
    if (typeof flagValue === 'string' || Array.isArray(flagValue) || typeof flagValue === 'boolean') {
      raw[key] = typeof flagValue === 'boolean' ? String(flagValue) : flagValue;
      sources.set(key, 'flag');
    } else if (envValue) {
      raw[key] = info.repeatable ? envValue.split(',').map((item) => item.trim()).filter(Boolean) : envValue;
      sources.set(key, 'env');
    } else if (info.default !== undefined) {
      raw[key] = info.default;
      sources.set(key, 'default');
    }
  }
  const result = serverConfigSchema.safeParse(raw satisfies RawSettings);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const info = SETTINGS[key as keyof ServerConfig] as (typeof SETTINGS)[keyof ServerConfig] | undefined;
    if (!info) return issue.message;
    const name = sources.get(key) === 'env' ? info.env : `--${info.flag}`;
    return `${name} ${issue.message}`;
  });
  throw new ConfigError([...new Set(problems)].join('\n'));
}

/** The parseArgs option table for every setting (switches take no value; the rest do; some repeat). */
export function settingFlags(): Record<string, { type: 'string' | 'boolean'; multiple?: true }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: true }> = {};
  for (const info of Object.values(SETTINGS)) {
    options[info.flag] = info.switch ? { type: 'boolean' } : info.repeatable ? { type: 'string', multiple: true } : { type: 'string' };
  }
  return options;
}

/** The help lines for every setting: flag, environment variable, default, meaning. */
export function describeSettings(): string {
  const rows = Object.values(SETTINGS).map((info) => ({
    left: info.switch ? `--${info.flag}` : `--${info.flag} ${info.value}`,
    right: `${info.help}${info.default !== undefined ? ` [${info.default}]` : ''}`,
    env: info.env,
  }));
  const width = Math.max(...rows.map((row) => row.left.length)) + 2;
  const indent = ' '.repeat(width + 2);
  return rows.map((row) => `  ${row.left.padEnd(width)}${row.right}\n${indent}env ${row.env}\n`).join('');
}
