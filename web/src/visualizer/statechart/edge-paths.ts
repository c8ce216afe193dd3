/**
 * Routes the arrows of the layout: straight down between neighbours in a column, a curve
 * across the gap between the columns, a short arrow from a container into its own child,
 * and a loop through the outer margin for arrows that skip states or point back up.
 */
import type { ChartEdge } from './machine-graph.ts';
import type { Box, ChartLayout } from './layout.ts';

export interface RoutedEdge {
  readonly edge: ChartEdge;
  readonly id: string;
  /** SVG path data. */
  readonly d: string;
  /** Where the label sits, and which way its text runs from there. */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelAnchor: 'start' | 'middle' | 'end';
}

const LANE_STEP = 7;

function isInside(path: string, container: string): boolean {
  return path.startsWith(`${container}.`);
}

function overlapX(a: Box, b: Box): number | null {
  const left = Math.max(a.x, b.x);
  const right = Math.min(a.x + a.width, b.x + b.width);
  return right - left > 20 ? (left + right) / 2 : null;
}

/** True when no other box of the same column sits between the two vertically. */
function adjacent(from: Box, to: Box, boxes: Iterable<Box>): boolean {
  for (const box of boxes) {
    if (box.column !== from.column || box.depth !== 0) continue;
    if (box.path === from.path || box.path === to.path) continue;
    if (isInside(from.path, box.path) || isInside(to.path, box.path)) continue;
    if (box.y >= from.y + from.height && box.y + box.height <= to.y) return false;
  }
  return true;
}

/**
 * Spreads the ends of the arrows that cross between the columns along the side of each box,
 * ordered by where the other end is, so a state with many exits does not grow one thick knot.
 */
function crossColumnPorts(edges: readonly ChartEdge[], layout: ChartLayout): Map<string, number> {
  const ends = new Map<string, { key: string; otherY: number }[]>();
  const push = (path: string, key: string, otherY: number): void => {
    const list = ends.get(path) ?? [];
    list.push({ key, otherY });
    ends.set(path, list);
  };
  edges.forEach((edge, position) => {
    const from = layout.boxes.get(edge.source);
    const to = layout.boxes.get(edge.target);
    if (from === undefined || to === undefined || from.column === to.column) return;
    push(`${edge.source}`, `${position}:start`, to.y);
    push(`${edge.target}`, `${position}:end`, from.y);
  });
  const ports = new Map<string, number>();
  for (const [path, list] of ends) {
    const box = layout.boxes.get(path);
    if (box === undefined) continue;
    list.sort((a, b) => a.otherY - b.otherY);
    const span = Math.min(box.height - 14, (list.length - 1) * 9);
    const top = box.y + Math.min(box.height / 2, 15) - (box.height <= 30 ? span / 2 : 0);
    list.forEach((end, i) => ports.set(end.key, top + (list.length > 1 ? (span * i) / (list.length - 1) : 0)));
  }
  return ports;
}

/** Routes every edge; edges that need the outer margin get lanes so they do not overlap. */
export function routeEdges(edges: readonly ChartEdge[], layout: ChartLayout): RoutedEdge[] {
  const lanes = { spine: 0, side: 0 };
  const ports = crossColumnPorts(edges, layout);
  const routed: RoutedEdge[] = [];
  edges.forEach((edge, position) => {
    const from = layout.boxes.get(edge.source);
    const to = layout.boxes.get(edge.target);
    if (from === undefined || to === undefined) return;
    const id = `edge-${position}`;
    const midY = to.y + to.height / 2;

    if (isInside(edge.target, edge.source)) {
      // A parent's transition into its own child: a short arrow from the container's border.
      const startX = from.x + 2;
      // Its label sits right-aligned above the child, clear of the container's title.
      routed.push({ edge, id, d: `M${startX},${midY} H${to.x - 1}`, labelX: to.x + to.width, labelY: to.y - 4, labelAnchor: 'end' });
      return;
    }

    if (from.column !== to.column) {
      const rightward = from.x < to.x;
      const startX = rightward ? from.x + from.width : from.x;
      const endX = rightward ? to.x : to.x + to.width;
      const startY = ports.get(`${position}:start`) ?? from.y + 15;
      const endY = ports.get(`${position}:end`) ?? to.y + 15;
      const bend = (endX - startX) / 2;
      routed.push({
        edge,
        id,
        d: `M${startX},${startY} C${startX + bend},${startY} ${endX - bend},${endY} ${endX},${endY}`,
        labelX: (startX + endX) / 2,
        labelY: (startY + endY) / 2 - 4,
        labelAnchor: 'middle',
      });
      return;
    }

    const sharedX = overlapX(from, to);
    const below = to.y >= from.y + from.height;
    if (below && sharedX !== null && adjacent(from, to, layout.boxes.values())) {
      const startY = from.y + from.height;
      routed.push({ edge, id, d: `M${sharedX},${startY} V${to.y - 1}`, labelX: sharedX + 6, labelY: (startY + to.y) / 2 + 4, labelAnchor: 'start' });
      return;
    }

    // Skips or goes back: loop through the outer margin of its column.
    const onLeft = from.column === 'spine';
    const lane = lanes[from.column]++;
    const laneX = onLeft ? layout.spineX - 10 - lane * LANE_STEP : layout.sideRight + 10 + lane * LANE_STEP;
    const startX = onLeft ? from.x : from.x + from.width;
    const endX = onLeft ? to.x : to.x + to.width;
    const startY = from.y + Math.min(from.height / 2, 15);
    const endY = to.y + Math.min(to.height / 2, 15);
    const r = 6;
    const sign = endY > startY ? 1 : -1;
    const dir = onLeft ? -1 : 1;
    routed.push({
      edge,
      id,
      d: `M${startX},${startY} H${laneX - dir * r} Q${laneX},${startY} ${laneX},${startY + sign * r} V${endY - sign * r} Q${laneX},${endY} ${laneX - dir * r},${endY} H${endX - dir}`,
      labelX: onLeft ? laneX + 4 : laneX - 4,
      labelY: (startY + endY) / 2,
      labelAnchor: onLeft ? 'start' : 'end',
    });
  });
  return routed;
}
