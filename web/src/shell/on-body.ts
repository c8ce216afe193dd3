/**
 * Moves an element to the end of <body> while it is shown: a fixed dialog opened from inside
 * a panel would otherwise be boxed in by the panel's containing block (its transform, its
 * containment) instead of covering the page.
 */
export function onBody(node: HTMLElement): { destroy: () => void } {
  document.body.append(node);
  return { destroy: () => node.remove() };
}
