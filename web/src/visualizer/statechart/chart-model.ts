/**
 * The session statechart, read once from `sessionMachine` and laid out: what Statechart.svelte
 * draws. Kept apart from the component so the drawing data can be checked without a DOM.
 */
import { sessionMachine } from '../../../../protocol/session/index.ts';
import type { ChartLayout } from './chart-layout.ts';
import { CHART_LAYOUT } from './chart-layout.generated.ts';
import { pathAndAncestors, readMachineGraph, type ChartGraph, type ChartState } from './machine-graph.ts';

export interface ChartModel {
  readonly graph: ChartGraph;
  /** Computed ahead by ELK (see chart-layout.ts). */
  readonly layout: ChartLayout;
  /** Every state, containers before their children (the drawing order). */
  readonly states: readonly ChartState[];
}

function flatten(states: readonly ChartState[]): ChartState[] {
  return states.flatMap((state) => [state, ...flatten(state.children)]);
}

/** Builds the drawing model of the session machine. */
export function buildChartModel(): ChartModel {
  const graph = readMachineGraph(sessionMachine);
  return { graph, layout: CHART_LAYOUT, states: flatten(graph.states) };
}

/** The state's title with its containers, e.g. "identified › transaction › has sender". */
export function stateTrail(graph: ChartGraph, path: string): string {
  return pathAndAncestors(path)
    .reverse()
    .map((part) => graph.byPath.get(part)?.title ?? part)
    .join(' › ');
}
