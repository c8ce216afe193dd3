/**
 * The one configuration schema (protocol/sandbox-config-schema.ts): its defaults are valid, and
 * the lesson overrides and class behaviours are derived from it, so they refuse a bad value
 * with the very message the full schema gives. The normalizer fills in what smtp-server's
 * constructor fills in.
 */
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { serverOverridesSchema } from '../../../protocol/lessons/server-config.ts';
import { normalizeSandboxConfig } from '../../../protocol/normalize-sandbox-config.ts';
import { classBehavioursSchema, sandboxConfigSchema } from '../../../protocol/sandbox-config-schema.ts';
import { DEFAULT_SANDBOX_CONFIG } from '../../../protocol/sandbox-config.ts';
import { behavioursChangeSchema, defaultBehaviours } from '../../../server/classroom/class-behaviours.ts';

type Issues = readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] | undefined;

const issues = (result: { error?: { issues: Issues } }): string[] =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);

/** The full schema's refusals of a behaviour, with the paths the class behaviours (flat) give. */
const behaviourIssues = (change: Record<string, unknown>): string[] =>
  issues(sandboxConfigSchema.safeParse(fullWith({ behaviours: change }))).map((line) => line.replace(/^behaviours\./, ''));

/** The full configuration with `change` applied (behaviours field by field), for the full schema. */
function fullWith(change: Record<string, unknown>): unknown {
  const behaviours = (change.behaviours ?? {}) as Record<string, unknown>;
  return { ...DEFAULT_SANDBOX_CONFIG, ...change, behaviours: { ...DEFAULT_SANDBOX_CONFIG.behaviours, ...behaviours } };
}

const BAD_CHANGES: readonly Record<string, unknown>[] = [
  { colour: 'blue' },
  { maxRecipients: 0 },
  { maxLineLength: 100 },
  { authMethods: ['CRAM-MD5'] },
  { accounts: [{ username: 'a', password: '' }] },
  { behaviours: { greylist: 'yes' } },
  { behaviours: { replyDelayMs: 10_001 } },
  { behaviours: { localDomains: [''], colour: 'blue' } },
];

describe('the sandbox configuration schema', () => {
  it('accepts its defaults as they are', () => {
    expect(sandboxConfigSchema.parse(DEFAULT_SANDBOX_CONFIG)).toEqual(DEFAULT_SANDBOX_CONFIG);
  });

  it('gives a lesson override the same refusal as the full configuration', () => {
    for (const change of BAD_CHANGES) {
      const lesson = issues(serverOverridesSchema.safeParse(change));
      expect(lesson, JSON.stringify(change)).not.toEqual([]);
      expect(lesson, JSON.stringify(change)).toEqual(issues(sandboxConfigSchema.safeParse(fullWith(change))));
    }
  });

  it('keeps a lesson override partial: nothing it does not name is filled in', () => {
    expect(serverOverridesSchema.parse({ behaviours: { greylist: true } })).toEqual({ behaviours: { greylist: true } });
    expect(serverOverridesSchema.parse({})).toEqual({});
  });

  it('gives the class behaviours the same refusal as the full configuration, and only their fields', () => {
    const classDefaults = defaultBehaviours(DEFAULT_SANDBOX_CONFIG.maxMessageSize);
    expect(classBehavioursSchema.parse(classDefaults)).toEqual(classDefaults);
    for (const change of [{ greylist: 'yes' }, { closeAfterCommands: -1 }, { replyDelayMs: 10_001 }]) {
      const refused = issues(classBehavioursSchema.safeParse({ ...classDefaults, ...change }));
      expect(refused, JSON.stringify(change)).not.toEqual([]);
      expect(refused, JSON.stringify(change)).toEqual(behaviourIssues(change));
    }
    expect(issues(classBehavioursSchema.safeParse({ ...classDefaults, maxMessageSize: 1.5 }))).toEqual(
      issues(sandboxConfigSchema.safeParse(fullWith({ maxMessageSize: 1.5 }))),
    );
    expect(issues(classBehavioursSchema.safeParse({ ...classDefaults, refuseRelay: true }))).toEqual([': Unrecognized key: "refuseRelay"']);
  });

  it("narrows the class behaviours to the class's ranges and keeps the rest of the schema's checks", () => {
    const change = behavioursChangeSchema(4096);
    expect(change.parse({ maxMessageSize: 4096, closeAfterCommands: 1000 })).toEqual({ maxMessageSize: 4096, closeAfterCommands: 1000 });
    expect(issues(change.safeParse({ maxMessageSize: 4097 }))).toEqual(['maxMessageSize: Too big: expected number to be <=4096']);
    expect(issues(change.safeParse({ maxMessageSize: 1023 }))).toEqual(['maxMessageSize: Too small: expected number to be >=1024']);
    expect(issues(change.safeParse({ maxMessageSize: 0 }))).toEqual(['maxMessageSize: Too small: expected number to be >=1024']);
    expect(issues(change.safeParse({ closeAfterCommands: 1001 }))).toEqual(['closeAfterCommands: Too big: expected number to be <=1000']);
    expect(issues(change.safeParse({ replyDelayMs: 10_001 }))).toEqual(behaviourIssues({ replyDelayMs: 10_001 }));
  });
});

describe('normalizeSandboxConfig', () => {
  it('fills in the AUTH mechanisms as smtp-server does when the list is empty', () => {
    // Only the constructor runs: nothing listens (and no logger to warn about its test certificate).
    const server = new SMTPServer({ authMethods: [], logger: false });
    expect(normalizeSandboxConfig({ ...DEFAULT_SANDBOX_CONFIG, authMethods: [] }).authMethods).toEqual(server.options.authMethods);
  });

  it('leaves a valid configuration as it is', () => {
    expect(normalizeSandboxConfig(DEFAULT_SANDBOX_CONFIG)).toEqual(DEFAULT_SANDBOX_CONFIG);
  });
});
