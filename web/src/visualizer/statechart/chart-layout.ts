/**
 * The statechart's layout as data: boxes for the states, and for each arrow its orthogonal
 * route and label box. ELK computes it (computeChartLayout, run by web/write-chart-layout.ts);
 * the app draws the result kept in chart-layout.generated.ts, so ELK never reaches the
 * browser. A test recomputes it and fails when the machine or the words changed without it.
 */
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { sessionMachine } from '../../../../protocol/session/index.ts';
import { drawableEdges } from './drawable-edges.ts';
import { edgeLabelLines } from './edge-label.ts';
import { toElkGraph } from './elk-graph.ts';
import { readMachineGraph } from './machine-graph.ts';

export interface Box {
  readonly path: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly compound: boolean;
}

export interface RoutedEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Every transition the arrow stands for, in words (its tooltip). */
  readonly labels: readonly string[];
  /** The route, start to end, with right-angle bends. */
  readonly points: readonly (readonly [number, number])[];
  /** The label's box and its lines, as drawn on the arrow. */
  readonly label: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly lines: readonly string[] };
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
  readonly edges: readonly RoutedEdge[];
}

const round = (value: number | undefined): number => Math.round((value ?? 0) * 10) / 10;

function readBoxes(node: ElkNode, into: Box[]): void {
  for (const child of node.children ?? []) {
    into.push({ path: child.id, x: round(child.x), y: round(child.y), width: round(child.width), height: round(child.height), compound: (child.children ?? []).length > 0 });
    readBoxes(child, into);
  }
}

function readEdges(node: ElkNode, into: ElkExtendedEdge[]): void {
  into.push(...(node.edges ?? []));
  for (const child of node.children ?? []) readEdges(child, into);
}

/** Lays the session machine's chart out with `elk` (the bundled ELK in Node). */
export async function computeChartLayout(elk: ELK): Promise<ChartLayout> {
  const graph = readMachineGraph(sessionMachine);
  const edges = drawableEdges(graph, graph.edges);
  const result = await elk.layout(toElkGraph(graph, edges));
  const boxes: Box[] = [];
  readBoxes(result, boxes);
  const laid: ElkExtendedEdge[] = [];
  readEdges(result, laid);
  const routed = edges.map((edge, position): RoutedEdge => {
    const out = laid.find((candidate) => candidate.id === `edge-${position}`);
    const points = (out?.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const label = out?.labels?.[0];
    return {
      id: `edge-${position}`,
      source: edge.source,
      target: edge.target,
      labels: edge.labels,
      points: points.map((point) => [round(point.x), round(point.y)] as const),
      label: { x: round(label?.x), y: round(label?.y), width: round(label?.width), height: round(label?.height), lines: edgeLabelLines(edge.labels) },
    };
  });
  return { width: round(result.width), height: round(result.height), boxes, edges: routed };
}
