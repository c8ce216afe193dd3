/**
 * "Break it" presets in simulated mode. The page relays mail (MX, fallback, null MX,
 * greylisting, rate limits, allow-lists, forwarding, DSNs) but signs and checks nothing: a
 * preset whose effect is an SPF, DKIM or DMARC verdict (`verdictOnly`) still changes the page's
 * world, and says plainly that seeing its effect needs the lab server.
 */

export const NEEDS_SERVER_NOTE =
  'In simulated mode this change is made, but its effect is an SPF, DKIM or DMARC verdict, and those are checked only by the lab\'s real mail servers: run npm start (live mode) to see it.';

/** The presets as simulated mode lists them: those that need the server say so in their title. */
export function forSimulatedMode<P extends { readonly title: string; readonly verdictOnly?: true }>(presets: readonly P[]): P[] {
  return presets.map((preset) => (preset.verdictOnly ? { ...preset, title: `${preset.title} (needs npm start)` } : preset));
}
