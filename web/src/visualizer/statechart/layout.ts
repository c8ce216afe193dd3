/**
 * A deterministic layout for the statechart, computed here instead of pulling a layout library
 * into the first load. Top-level states get a rank: the longest path from the initial state
 * once the arrows that point back (found by a depth-first walk) are set aside. The longest
 * chain of ranks is the main column ("spine"); the other states sit in a side column next to
 * the first state that leads to them. Compound states are containers with their children
 * stacked inside.
 */
import type { ChartEdge, ChartGraph, ChartState } from './machine-graph.ts';

export interface Box {
  readonly path: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly compound: boolean;
  /** "spine" or "side": which column the top-level ancestor sits in. */
  readonly column: 'spine' | 'side';
}

export interface ChartLayout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly width: number;
  readonly height: number;
  /** Left edge of the spine column (arrows that loop back run in the margin before it). */
  readonly spineX: number;
  readonly sideRight: number;
}

export const METRICS = {
  margin: 14,
  loopMargin: 34,
  spineWidth: 212,
  columnGap: 56,
  sideWidth: 146,
  nodeHeight: 30,
  rowGap: 30,
  header: 30,
  innerGap: 20,
  innerPadX: 14,
  innerPadBottom: 10,
} as const;

function topLevel(path: string): string {
  return path.split('.')[0] ?? path;
}

/** Top-level successors of each top-level state, in definition order. */
function liftedSuccessors(graph: ChartGraph, edges: readonly ChartEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>(graph.states.map((state) => [state.path, []]));
  for (const edge of edges) {
    const from = topLevel(edge.source);
    const to = topLevel(edge.target);
    const list = next.get(from);
    if (from !== to && list !== undefined && !list.includes(to)) list.push(to);
  }
  return next;
}

/** Ranks by longest path over forward edges; `order` is the depth-first discovery order. */
function rankStates(graph: ChartGraph, next: Map<string, string[]>): { rank: Map<string, number>; order: string[]; forward: [string, string][] } {
  const order: string[] = [];
  const onStack = new Set<string>();
  const forward: [string, string][] = [];
  const visit = (path: string): void => {
    order.push(path);
    onStack.add(path);
    for (const to of next.get(path) ?? []) {
      if (onStack.has(to)) continue;
      forward.push([path, to]);
      if (!order.includes(to)) visit(to);
    }
    onStack.delete(path);
  };
  visit(graph.initial);

  const rank = new Map<string, number>(order.map((path) => [path, 0]));
  // Forward edges form a DAG; relaxing them |V| times yields longest paths.
  for (let pass = 0; pass < order.length; pass += 1) {
    for (const [from, to] of forward) {
      const candidate = (rank.get(from) ?? 0) + 1;
      if (candidate > (rank.get(to) ?? 0)) rank.set(to, candidate);
    }
  }
  const deepest = Math.max(0, ...rank.values());
  for (const state of graph.states) {
    if (!rank.has(state.path)) {
      rank.set(state.path, deepest + 1);
      order.push(state.path);
    }
  }
  return { rank, order, forward };
}

function spineOf(rank: Map<string, number>, order: readonly string[], forward: readonly [string, string][], reachable: number): string[] {
  let current = order.slice(0, reachable).reduce((best, path) => ((rank.get(path) ?? 0) > (rank.get(best) ?? 0) ? path : best), order[0] ?? '');
  const spine = [current];
  while ((rank.get(current) ?? 0) > 0) {
    const wanted = (rank.get(current) ?? 0) - 1;
    const previous = order.find((path) => rank.get(path) === wanted && forward.some(([from, to]) => from === path && to === current));
    if (previous === undefined) break;
    spine.unshift(previous);
    current = previous;
  }
  return spine;
}

function measureHeight(state: ChartState): number {
  if (state.children.length === 0) return METRICS.nodeHeight;
  const inner = state.children.reduce((sum, child) => sum + measureHeight(child), 0);
  return METRICS.header + inner + METRICS.innerGap * (state.children.length - 1) + METRICS.innerPadBottom;
}

function place(state: ChartState, x: number, y: number, width: number, depth: number, column: Box['column'], boxes: Map<string, Box>): number {
  const height = measureHeight(state);
  boxes.set(state.path, { path: state.path, x, y, width, height, depth, compound: state.children.length > 0, column });
  let childY = y + METRICS.header;
  for (const child of state.children) {
    childY += place(child, x + METRICS.innerPadX, childY, width - 2 * METRICS.innerPadX + 4, depth + 1, column, boxes) + METRICS.innerGap;
  }
  return height;
}

/** Lays out `graph` for the given drawn edges. Pure and deterministic. */
export function layoutChart(graph: ChartGraph, edges: readonly ChartEdge[]): ChartLayout {
  const next = liftedSuccessors(graph, edges);
  const { rank, order, forward } = rankStates(graph, next);
  const reachable = order.length - graph.states.filter((state) => !forward.some(([, to]) => to === state.path) && state.path !== graph.initial).length;
  const spine = spineOf(rank, order, forward, reachable);
  const boxes = new Map<string, Box>();
  const spineX = METRICS.margin + METRICS.loopMargin;
  const sideX = spineX + METRICS.spineWidth + METRICS.columnGap;

  let y = METRICS.margin;
  for (const path of spine) {
    const state = graph.byPath.get(path);
    if (state === undefined) continue;
    y += place(state, spineX, y, METRICS.spineWidth, 0, 'spine', boxes) + METRICS.rowGap;
  }
  const spineBottom = y;

  const side = order.filter((path) => !spine.includes(path));
  side.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || order.indexOf(a) - order.indexOf(b));
  let sideY = METRICS.margin;
  for (const path of side) {
    const state = graph.byPath.get(path);
    if (state === undefined) continue;
    const predecessorTops = forward.filter(([, to]) => to === path).map(([from]) => boxes.get(from)?.y).filter((top): top is number => top !== undefined);
    const top = Math.max(sideY, predecessorTops.length > 0 ? Math.min(...predecessorTops) : sideY);
    sideY = top + place(state, sideX, top, METRICS.sideWidth, 0, 'side', boxes) + METRICS.rowGap;
  }

  return {
    boxes,
    width: sideX + METRICS.sideWidth + METRICS.margin + METRICS.loopMargin / 2,
    height: Math.max(spineBottom, sideY) - METRICS.rowGap + METRICS.margin,
    spineX,
    sideRight: sideX + METRICS.sideWidth,
  };
}
