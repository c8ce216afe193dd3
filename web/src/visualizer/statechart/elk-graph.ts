/**
 * The statechart as an ELK graph: states as nodes (compound states hold their children),
 * arrows as edges with their label's size, laid out by ELK's layered algorithm with
 * orthogonal edges, the layout statechart tools use. Pure: no ELK code is imported here.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import { edgeLabelLines } from './edge-label.ts';
import type { ChartEdge, ChartGraph, ChartState } from './machine-graph.ts';
import { CHART_FONT, textWidth } from './text-size.ts';

export const NODE_HEIGHT = 32;
export const CONTAINER_HEADER = 30;
const NODE_PAD_X = 14;
const LABEL_PAD = 4;

const ROOT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Each compound state is laid out on its own first, then placed as one box: arrows that
  // cross a container's border are drawn to the container (see drawableEdges).
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  // Every coordinate in the result is absolute, so the drawing needs no offsets.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  // The machine's definition order is the order a session runs in: keep it where possible.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.spacing.nodeNode': '26',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '3',
  'elk.padding': '[top=10,left=10,bottom=10,right=10]',
};

const CONTAINER_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.spacing.nodeNodeBetweenLayers': '20',
  'elk.spacing.nodeNode': '20',
  'elk.padding': `[top=${CONTAINER_HEADER},left=12,bottom=12,right=12]`,
  'elk.nodeSize.constraints': 'MINIMUM_SIZE',
};

/** The title of a container, as drawn (upper case). */
export function containerTitle(state: ChartState): string {
  return state.title.toUpperCase();
}

function parentOf(path: string): string {
  return path.split('.').slice(0, -1).join('.');
}

function toNode(state: ChartState, edges: readonly ElkExtendedEdge[]): ElkNode {
  if (state.children.length === 0) {
    return { id: state.path, width: textWidth(state.title, CHART_FONT.state) + 2 * NODE_PAD_X, height: NODE_HEIGHT };
  }
  const titleWidth = textWidth(containerTitle(state), CHART_FONT.container, true) + 2 * NODE_PAD_X;
  return {
    id: state.path,
    layoutOptions: { ...CONTAINER_OPTIONS, 'elk.nodeSize.minimum': `(${titleWidth}, ${CONTAINER_HEADER + NODE_HEIGHT})` },
    children: state.children.map((child) => toNode(child, edges)),
    edges: edges.filter((edge) => parentOf(edge.sources[0] ?? '') === state.path),
  };
}

/** The size of an arrow's label box for its lines. */
export function labelSize(lines: readonly string[]): { width: number; height: number } {
  const widest = Math.max(0, ...lines.map((line) => textWidth(line, CHART_FONT.edge)));
  return { width: widest + 2 * LABEL_PAD, height: lines.length * CHART_FONT.lineHeight + LABEL_PAD };
}

function toEdge(edge: ChartEdge, id: string): ElkExtendedEdge {
  const lines = edgeLabelLines(edge.labels);
  return { id, sources: [edge.source], targets: [edge.target], labels: [{ id: `${id}-label`, text: lines.join('\n'), ...labelSize(lines) }] };
}

/** The ELK input graph of the chart. */
export function toElkGraph(graph: ChartGraph, edges: readonly ChartEdge[]): ElkNode {
  const elkEdges = edges.map((edge, position) => toEdge(edge, `edge-${position}`));
  return {
    id: 'root',
    layoutOptions: ROOT_OPTIONS,
    children: graph.states.map((state) => toNode(state, elkEdges)),
    edges: elkEdges.filter((edge) => parentOf(edge.sources[0] ?? '') === ''),
  };
}
