/**
 * The DNS editor's state: the zone as the server last stored it, the learner's draft of it,
 * the problems checkZone finds in the draft as they type (the server runs the same check on
 * Save), the server's own problems from a refused Save, and the zone before the last
 * "Break it" preset (for Undo).
 */
import { checkZone, DNS_RECORD_TYPES, type DnsRecord, type DnsRecordType } from '../../../protocol/world/dns-record.ts';
import type { BreakPreset } from './break-presets.ts';
import type { ZoneResult } from './world-api.ts';
import type { WorldSource } from './world-source.ts';

/** A record as the form holds it: the TTL is the text typed, so "3oo" can be shown and explained. */
export interface DraftRecord {
  /** Stable across edits, for keyed lists and labels. */
  readonly key: number;
  name: string;
  type: DnsRecordType;
  ttl: string;
  value: string;
}

export type DraftField = 'name' | 'type' | 'ttl' | 'value';

export type EditorStatus = 'loading' | 'ready' | 'saving' | 'unavailable';

/** The draft as the API takes it; a TTL that is not digits stays text so checkZone names the problem. */
export function toRecord(draft: DraftRecord): DnsRecord {
  const ttl = /^\s*\d+\s*$/.test(draft.ttl) ? Number(draft.ttl) : (draft.ttl as unknown as number);
  return { name: draft.name, type: draft.type, ttl, value: draft.value };
}

export class ZoneEditor {
  readonly #api: WorldSource;
  #nextKey = 0;
  status = $state<EditorStatus>('loading');
  /** What went wrong with the last call, for the learner; null when it went well. */
  message = $state<string | null>(null);
  /** What the last call did, for a polite live region. */
  done = $state<string | null>(null);
  saved = $state.raw<readonly DnsRecord[]>([]);
  drafts = $state<DraftRecord[]>([]);
  /** The server's problems by record key, from the last refused Save. */
  serverProblems = $state.raw<ReadonlyMap<number, string>>(new Map());
  /** The draft before the last applied preset, and that preset's title: Undo goes back to it. */
  undo = $state.raw<{ readonly title: string; readonly zone: readonly DnsRecord[] } | null>(null);

  constructor(api: WorldSource) {
    this.#api = api;
  }

  readonly records = $derived(this.drafts.map(toRecord));
  readonly #check = $derived(checkZone(this.records));
  /** checkZone's problem for each record key, as the learner types. */
  readonly problems = $derived.by(() => {
    const byKey = new Map<number, string>();
    if (!this.#check.ok) for (const { index, message } of this.#check.problems) byKey.set(this.drafts[index]?.key ?? -1, message);
    return byKey;
  });
  readonly problemCount = $derived(this.#check.ok ? 0 : this.#check.problems.length);
  readonly dirty = $derived(JSON.stringify(this.records) !== JSON.stringify(this.saved));

  async load(): Promise<void> {
    this.status = 'loading';
    this.#take(await this.#api.zone(), null);
  }

  /** `done`: what the stored zone means, for the polite live region (the editor's wording). */
  async save(done: string): Promise<void> {
    this.status = 'saving';
    const keys = this.drafts.map((draft) => draft.key);
    const result = await this.#api.save(this.records);
    if (!result.ok) this.serverProblems = new Map(result.problems.map(({ index, message }) => [keys[index] ?? -1, message]));
    this.#take(result, done);
  }

  async reset(done: string): Promise<void> {
    this.status = 'saving';
    this.undo = null;
    this.#take(await this.#api.reset(), done);
  }

  add(domain: string): DraftRecord {
    const draft: DraftRecord = { key: this.#nextKey++, name: domain, type: 'TXT', ttl: '300', value: '' };
    this.drafts.push(draft);
    return draft;
  }

  remove(key: number): void {
    this.drafts = this.drafts.filter((draft) => draft.key !== key);
  }

  /** Changes one field of a record; the server's word on it is cleared, as it was about the old text. */
  setField(key: number, field: DraftField, value: string): void {
    const draft = this.drafts.find((candidate) => candidate.key === key);
    if (draft === undefined) return;
    if (field === 'type') draft.type = (DNS_RECORD_TYPES as readonly string[]).includes(value) ? (value as DnsRecordType) : draft.type;
    else draft[field] = value;
    if (!this.serverProblems.has(key)) return;
    const rest = new Map(this.serverProblems);
    rest.delete(key);
    this.serverProblems = rest;
  }

  applyPreset(preset: BreakPreset): void {
    this.undo = { title: preset.title, zone: this.records };
    this.#setDrafts(preset.apply(this.records));
    this.done = `Applied "${preset.title}" to your draft: Save to make it live.`;
  }

  undoPreset(): void {
    if (this.undo === null) return;
    const { title, zone } = this.undo;
    this.undo = null;
    this.#setDrafts(zone);
    this.done = `Undid "${title}" in your draft: Save to make it live.`;
  }

  #take(result: ZoneResult, success: string | null): void {
    if (result.ok) {
      this.saved = result.records;
      this.#setDrafts(result.records);
      this.serverProblems = new Map();
      this.message = null;
      this.done = success;
      this.status = 'ready';
      return;
    }
    this.message = result.message;
    this.done = null;
    this.status = this.status === 'loading' ? 'unavailable' : 'ready';
  }

  #setDrafts(records: readonly DnsRecord[]): void {
    this.drafts = records.map((record) => ({ key: this.#nextKey++, name: record.name, type: record.type, ttl: String(record.ttl), value: record.value }));
  }
}
