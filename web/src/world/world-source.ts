/**
 * What the DNS editor and the host presets read and write: the lab server's world (WorldApi,
 * live mode and the instructor's starting zone) or the page's own (PageWorld, simulated mode).
 */
import type { WorldApi } from './world-api.ts';

export type WorldSource = Pick<WorldApi, 'zone' | 'save' | 'reset' | 'hosts' | 'saveHosts'>;
