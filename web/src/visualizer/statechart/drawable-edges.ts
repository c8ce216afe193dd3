/**
 * Fewer, clearer arrows than the machine has transitions:
 * - several transitions from one state into the same compound state (say greeted →
 *   identified.idle, identified.transaction.hasSender…) are drawn as one arrow to the
 *   container, carrying all their labels; a single one keeps its precise target;
 * - a container's transition into one of its own states (identified → identified.idle) is
 *   drawn from where a learner takes it: into a compound state's first state from outside that
 *   compound (idle → has sender), into any other state from its siblings (has sender → has
 *   recipients, transaction → idle);
 * - an arrow with the same words into the same state as a later one is drawn once, from the
 *   later state: greeted and identified both lead to "DATA sent", and a session sends DATA
 *   after EHLO (the model also follows servers that take it before).
 */
import type { ChartEdge, ChartGraph, ChartState } from './machine-graph.ts';

function topLevel(path: string): string {
  return path.split('.')[0] ?? path;
}

function isInside(path: string, container: string): boolean {
  return path === container || path.startsWith(`${container}.`);
}

/** The states an arrow from `container` into its descendant `target` is drawn from. */
function lowerSources(container: ChartState, target: string): string[] {
  const branch = container.children.find((child) => isInside(target, child.path));
  if (branch === undefined) return [container.path];
  const initialChild = branch.children.find((child) => child.initial);
  if (branch.path !== target && initialChild !== undefined && !isInside(target, initialChild.path)) return lowerSources(branch, target);
  return container.children.filter((child) => child !== branch).map((child) => child.path);
}

function lowered(graph: ChartGraph, edges: readonly ChartEdge[]): ChartEdge[] {
  return edges.flatMap((edge) => {
    const source = graph.byPath.get(edge.source);
    if (source === undefined || source.children.length === 0 || !edge.target.startsWith(`${edge.source}.`)) return [edge];
    return lowerSources(source, edge.target).map((from) => ({ ...edge, source: from }));
  });
}

/** The path of the ancestor of `path` that is a child of `container` ('' for the root). */
function childOf(container: string, path: string): string {
  const depth = container === '' ? 1 : container.split('.').length + 1;
  return path.split('.').slice(0, depth).join('.');
}

/** The common container of two paths ('' for the root). */
function commonContainer(a: string, b: string): string {
  const left = a.split('.');
  const right = b.split('.');
  let shared = 0;
  while (shared < left.length - 1 && shared < right.length - 1 && left[shared] === right[shared]) shared++;
  return left.slice(0, shared).join('.');
}

/** Both ends moved up to the states that share one container, so the arrow stays in it. */
function withinOneContainer(edge: ChartEdge): ChartEdge {
  const container = commonContainer(edge.source, edge.target);
  return { ...edge, source: childOf(container, edge.source), target: childOf(container, edge.target) };
}

/** True for the words of a transition a client command causes ("DATA sent", "QUIT accepted"). */
function isCommandWords(label: string): boolean {
  return / (sent|accepted)$/.test(label);
}

/** The edges to draw, in the order of the machine definition. */
export function drawableEdges(graph: ChartGraph, edges: readonly ChartEdge[]): ChartEdge[] {
  const all = lowered(graph, edges).map(withinOneContainer);
  const intoSameContainer = new Map<string, number>();
  const keyOf = (edge: ChartEdge): string | null => {
    const container = topLevel(edge.target);
    if (container === edge.target || isInside(edge.source, container)) return null;
    return `${edge.source}→${container}`;
  };
  for (const edge of all) {
    const key = keyOf(edge);
    if (key !== null) intoSameContainer.set(key, (intoSameContainer.get(key) ?? 0) + 1);
  }

  const merged = new Map<string, { source: string; target: string; labels: string[] }>();
  for (const edge of all) {
    const key = keyOf(edge);
    const lift = key !== null && (intoSameContainer.get(key) ?? 0) > 1;
    const target = lift ? topLevel(edge.target) : edge.target;
    const mergedKey = `${edge.source}→${target}`;
    const entry = merged.get(mergedKey) ?? { source: edge.source, target, labels: [] };
    for (const label of edge.labels) if (!entry.labels.includes(label)) entry.labels.push(label);
    merged.set(mergedKey, entry);
  }
  const drawn = [...merged.values()];
  const repeated = (edge: ChartEdge, position: number): boolean =>
    edge.labels.every(isCommandWords) &&
    drawn.slice(position + 1).some((later) => later.target === edge.target && later.labels.join() === edge.labels.join());
  return drawn.filter((edge, position) => !repeated(edge, position));
}
