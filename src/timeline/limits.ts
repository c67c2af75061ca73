/**
 * How big a timeline a browser viewer still opens. Measured (docs/timeline.md, "How big is too big"): a
 * timeline takes about 146 bytes of JSON per event, and Chrome DevTools' trace engine (the model of its
 * Performance panel) held 0.66 GB to load the 492k events of the tcp-bulk fixture, about 1.3 kB per event,
 * where a browser tab is typically allowed 2 to 4 GB. Past a million events (~146 MB of JSON, ~1.3 GB in the
 * viewer) a viewer is slow at best, so the command says so and points to --time.
 */
export const BROWSER_EVENT_LIMIT = 1_000_000;

/** The warning for a timeline of `events` events, or null when a browser loads it. */
export function sizeWarning(events: number, limit = BROWSER_EVENT_LIMIT): string | null {
  if (events <= limit) return null;
  return (
    `${events} trace events: more than a browser viewer loads comfortably (${limit}, docs/timeline.md); ` +
    'show a part with --time START,END'
  );
}
