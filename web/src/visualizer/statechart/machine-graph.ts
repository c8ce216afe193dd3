/**
 * Reads the statechart straight from a machine definition (XState v5 state nodes), so the
 * drawing can never drift from the model: states, nesting, descriptions and transitions.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { describeTransition, stateKeyWords } from './transition-words.ts';

export interface ChartState {
  /** Dotted path from the root, e.g. "identified.transaction.hasSender" (as statePath gives). */
  readonly path: string;
  readonly key: string;
  /** The key in words, for display. */
  readonly title: string;
  readonly description: string;
  readonly children: readonly ChartState[];
  /** True for the state a compound parent enters first. */
  readonly initial: boolean;
}

export interface ChartEdge {
  /** Path of the state that defines the transition. */
  readonly source: string;
  readonly target: string;
  /** Each transition between the same two states, in words ("250 to EHLO"). */
  readonly labels: readonly string[];
}

export interface ChartGraph {
  /** The top-level states, in definition order. */
  readonly states: readonly ChartState[];
  /** Every state at any depth, keyed by path. */
  readonly byPath: ReadonlyMap<string, ChartState>;
  /** Transitions defined on states (merged per source and target). */
  readonly edges: readonly ChartEdge[];
  /** Transitions the root defines: they apply in any state. */
  readonly anyState: readonly { readonly target: string; readonly label: string }[];
  readonly initial: string;
}

function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

function toChartState(node: AnyStateNode, initial: boolean): ChartState {
  const initialChild = node.initial?.target?.[0];
  return {
    path: pathOf(node),
    key: node.key,
    title: stateKeyWords(node.key),
    description: node.description ?? '',
    initial,
    children: Object.values(node.states).map((child) => toChartState(child, child === initialChild)),
  };
}

interface RawTransition {
  readonly target: string;
  readonly label: string;
}

/** The transitions a node defines that change state, eventless ones included. */
function transitionsOf(node: AnyStateNode): RawTransition[] {
  const result: RawTransition[] = [];
  const add = (eventType: string, list: readonly { guard?: unknown; target?: readonly AnyStateNode[] }[]): void => {
    list.forEach((transition, position) => {
      const target = transition.target?.[0];
      if (target === undefined) return;
      const fallback = transition.guard === undefined && position > 0;
      result.push({ target: pathOf(target), label: describeTransition(eventType, transition.guard, fallback) });
    });
  };
  for (const [eventType, list] of node.transitions) add(eventType, list);
  add('', node.always ?? []);
  return result;
}

function collect(node: AnyStateNode, into: AnyStateNode[]): void {
  for (const child of Object.values(node.states)) {
    into.push(child);
    collect(child, into);
  }
}

/** Builds the drawable graph of `machine`. Pure; the same machine always gives the same graph. */
export function readMachineGraph(machine: AnyStateMachine): ChartGraph {
  const root = machine.root;
  const rootInitial = root.initial?.target?.[0];
  const states = Object.values(root.states).map((node) => toChartState(node, node === rootInitial));

  const byPath = new Map<string, ChartState>();
  const index = (state: ChartState): void => {
    byPath.set(state.path, state);
    state.children.forEach(index);
  };
  states.forEach(index);

  const anyState = transitionsOf(root);
  // A state repeats a root transition when its own handler for that event replaces the root's;
  // it is still the "any state" rule, so it is drawn once, not from every state.
  const isAnyState = (transition: RawTransition): boolean =>
    anyState.some((rule) => rule.target === transition.target && rule.label === transition.label);

  const merged = new Map<string, { source: string; target: string; labels: string[] }>();
  const nodes: AnyStateNode[] = [];
  collect(root, nodes);
  for (const node of nodes) {
    for (const transition of transitionsOf(node)) {
      if (isAnyState(transition)) continue;
      const source = pathOf(node);
      const key = `${source}→${transition.target}`;
      const edge = merged.get(key) ?? { source, target: transition.target, labels: [] };
      if (!edge.labels.includes(transition.label)) edge.labels.push(transition.label);
      merged.set(key, edge);
    }
  }

  return {
    states,
    byPath,
    edges: [...merged.values()],
    anyState,
    initial: rootInitial === undefined ? (states[0]?.path ?? '') : pathOf(rootInitial),
  };
}

/** The path itself and every ancestor path: "a.b.c" → ["a.b.c", "a.b", "a"]. */
export function pathAndAncestors(path: string): string[] {
  const parts = path.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}
