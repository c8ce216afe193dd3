/**
 * Fewer, clearer arrows: several transitions from one state into the same compound state
 * (say greeted → identified.idle, identified.transaction.hasSender…) are drawn as one arrow
 * to the container, carrying all their labels. A single one keeps its precise target.
 */
import type { ChartEdge } from './machine-graph.ts';

function topLevel(path: string): string {
  return path.split('.')[0] ?? path;
}

function isInside(path: string, container: string): boolean {
  return path === container || path.startsWith(`${container}.`);
}

/** The edges to draw, in the order of the machine definition. */
export function drawableEdges(edges: readonly ChartEdge[]): ChartEdge[] {
  const intoSameContainer = new Map<string, number>();
  const keyOf = (edge: ChartEdge): string | null => {
    const container = topLevel(edge.target);
    if (container === edge.target || isInside(edge.source, container)) return null;
    return `${edge.source}→${container}`;
  };
  for (const edge of edges) {
    const key = keyOf(edge);
    if (key !== null) intoSameContainer.set(key, (intoSameContainer.get(key) ?? 0) + 1);
  }

  const merged = new Map<string, { source: string; target: string; labels: string[] }>();
  for (const edge of edges) {
    const key = keyOf(edge);
    const lift = key !== null && (intoSameContainer.get(key) ?? 0) > 1;
    const target = lift ? topLevel(edge.target) : edge.target;
    const mergedKey = `${edge.source}→${target}`;
    const entry = merged.get(mergedKey) ?? { source: edge.source, target, labels: [] };
    for (const label of edge.labels) if (!entry.labels.includes(label)) entry.labels.push(label);
    merged.set(mergedKey, entry);
  }
  return [...merged.values()];
}
