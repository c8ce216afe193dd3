/**
 * Which "Break it" presets show their effect in simulated mode. The page relays mail (MX,
 * fallback, null MX, greylisting, rate limits, allow-lists, DSNs) but signs and checks
 * nothing: a preset whose effect is an SPF, DKIM or DMARC verdict still changes the page's
 * world, and says plainly that seeing its effect needs the lab server.
 */

const AUTHENTICATION_ONLY: ReadonlySet<string> = new Set([
  'spf-too-many-lookups',
  'spf-softfail',
  'no-dkim-key-org',
  'dmarc-none-net',
  'dmarc-quarantine-net',
  'dmarc-not-enforced-net',
]);

export const NEEDS_SERVER_NOTE =
  'In simulated mode this change is made, but its effect is an SPF, DKIM or DMARC verdict, and those are checked only by the lab\'s real mail servers: run npm start (live mode) to see it.';

export function needsServer(presetId: string): boolean {
  return AUTHENTICATION_ONLY.has(presetId);
}

/** The presets as simulated mode lists them: those that need the server say so in their title. */
export function forSimulatedMode<P extends { readonly id: string; readonly title: string }>(presets: readonly P[]): P[] {
  return presets.map((preset) => (needsServer(preset.id) ? { ...preset, title: `${preset.title} (needs npm start)` } : preset));
}
