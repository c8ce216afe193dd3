/**
 * The WAI-ARIA tabs keys: ArrowLeft/ArrowRight move to the previous/next tab (wrapping), Home
 * and End to the first and last. The index of the tab a key selects, or null for other keys.
 */
export function tabIndexAfterKey(key: string, index: number, count: number): number | null {
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
  return step === 0 ? null : (index + step + count) % count;
}
