/**
 * The session statechart, read once from `sessionMachine` and laid out: what Statechart.svelte
 * draws. Kept apart from the component so the drawing data can be checked without a DOM.
 */
import { sessionMachine } from '../../../../protocol/session/index.ts';
import { drawableEdges } from './drawable-edges.ts';
import { layoutChart, type ChartLayout } from './layout.ts';
import { pathAndAncestors, readMachineGraph, type ChartEdge, type ChartGraph, type ChartState } from './machine-graph.ts';
import { routeEdges, type RoutedEdge } from './edge-paths.ts';

export interface ChartModel {
  readonly graph: ChartGraph;
  readonly layout: ChartLayout;
  readonly routes: readonly RoutedEdge[];
  /** Every state, containers before their children (the drawing order). */
  readonly states: readonly ChartState[];
}

function flatten(states: readonly ChartState[]): ChartState[] {
  return states.flatMap((state) => [state, ...flatten(state.children)]);
}

/** Builds the drawing model of the session machine. */
export function buildChartModel(): ChartModel {
  const graph = readMachineGraph(sessionMachine);
  const edges = drawableEdges(graph.edges);
  const layout = layoutChart(graph, edges);
  return { graph, layout, routes: routeEdges(edges, layout), states: flatten(graph.states) };
}

/** Where the session can go from a state, and the transitions (in words) that lead there. */
export interface NextStep {
  readonly target: string;
  readonly labels: readonly string[];
}

/**
 * What can move the session on from `path`: the transitions its own state and every ancestor
 * define (inner ones first, as XState tries them), then the rules that hold in any state,
 * grouped by the state they lead to.
 */
export function nextSteps(graph: ChartGraph, path: string): NextStep[] {
  const byTarget = new Map<string, string[]>();
  const add = (label: string, target: string): void => {
    const labels = byTarget.get(target) ?? [];
    if (!labels.includes(label)) labels.push(label);
    byTarget.set(target, labels);
  };
  for (const source of pathAndAncestors(path)) {
    graph.edges.filter((edge: ChartEdge) => edge.source === source).forEach((edge) => edge.labels.forEach((label) => add(label, edge.target)));
  }
  graph.anyState.forEach((rule) => add(rule.label, rule.target));
  return [...byTarget].map(([target, labels]) => ({ target, labels }));
}

/** The state's title with its containers, e.g. "identified › transaction › has sender". */
export function stateTrail(graph: ChartGraph, path: string): string {
  return pathAndAncestors(path)
    .reverse()
    .map((part) => graph.byPath.get(part)?.title ?? part)
    .join(' › ');
}
