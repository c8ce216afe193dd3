/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { render, screen } from '@testing-library/svelte';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../../protocol/session/index.ts';
import Statechart from '../../../web/src/visualizer/Statechart.svelte';
import { buildChartModel, nextSteps } from '../../../web/src/visualizer/statechart/chart-model.ts';
import { completedConversation, startConversation } from './conversation.ts';

/** Every state path of the machine, from its own state nodes. */
function machineStatePaths(node: AnyStateNode = sessionMachine.root): string[] {
  return Object.values(node.states).flatMap((child) => [child.path.join('.'), ...machineStatePaths(child)]);
}

/** Every transition of the machine that changes state, as "source→target". */
function machineTransitions(node: AnyStateNode = sessionMachine.root): string[] {
  const own = [...node.transitions.values(), node.always ?? []]
    .flat()
    .flatMap((transition) => (transition.target ?? []).map((target) => `${node.path.join('.')}→${target.path.join('.')}`));
  return [...own, ...Object.values(node.states).flatMap(machineTransitions)];
}

describe('Statechart', () => {
  it('draws every state of the machine and highlights the active one', () => {
    const conversation = startConversation();
    conversation.send('EHLO client.example.com', 'MAIL FROM:<alice@example.com>');
    expect(conversation.state).toBe('identified.transaction.hasSender');
    const { container } = render(Statechart, { activePath: conversation.state, lastTransition: { from: 'identified.idle', to: conversation.state } });

    const drawn = [...container.querySelectorAll<SVGElement>('[data-state]')].map((element) => element.dataset['state']);
    expect(drawn.sort()).toEqual(machineStatePaths().sort());

    const current = container.querySelectorAll('[aria-current="step"]');
    expect(current).toHaveLength(1);
    expect((current[0] as SVGElement).dataset['state']).toBe('identified.transaction.hasSender');
    expect(container.querySelector('[data-state="identified"]')?.classList.contains('within')).toBe(true);
    expect(current[0]?.getAttribute('aria-label')).toContain('The server accepted the sender (MAIL FROM)');
  });

  it('marks the edge of the last transition', () => {
    const { container } = render(Statechart, {
      activePath: 'identified.transaction.hasSender',
      lastTransition: { from: 'identified.idle', to: 'identified.transaction.hasSender' },
    });
    const last = container.querySelectorAll<SVGElement>('.edge.last');
    expect([...last].map((edge) => `${edge.dataset['source']}→${edge.dataset['target']}`)).toEqual(['identified→identified.transaction.hasSender']);
    expect(last[0]?.textContent).toContain('250 to MAIL FROM');
  });

  it('lists what moves the session on from the current state', () => {
    const conversation = completedConversation();
    render(Statechart, { activePath: conversation.state, lastTransition: null });
    expect(conversation.state).toBe('identified.idle');
    expect(screen.getByText('You are here').nextElementSibling?.textContent).toBe('identified › idle');
    expect(screen.getByText('What moves the session on from here').nextElementSibling?.textContent).toMatch(/250 to MAIL FROM\s*→\s*leads to\s*identified › transaction › has sender/);
  });

  it('keeps every state-changing transition of the machine in its graph', () => {
    const { graph } = buildChartModel();
    const inGraph = new Set([
      ...graph.edges.map((edge) => `${edge.source}→${edge.target}`),
      ...graph.anyState.map((rule) => `→${rule.target}`),
    ]);
    for (const transition of machineTransitions()) {
      const [source, target] = transition.split('→');
      expect(inGraph.has(transition) || inGraph.has(`→${target}`), `${source} → ${target}`).toBe(true);
    }
    expect(nextSteps(graph, 'data').map((step) => step.target)).toContain('awaitingDataReply');
  });

  it('lays states out without overlaps, children inside their containers', () => {
    const { layout, graph } = buildChartModel();
    const top = graph.states.map((state) => layout.boxes.get(state.path)!);
    for (const a of top) {
      for (const b of top) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.path} / ${b.path}`).toBe(true);
      }
    }
    for (const box of layout.boxes.values()) {
      const parentPath = box.path.split('.').slice(0, -1).join('.');
      const parent = layout.boxes.get(parentPath);
      if (parent === undefined) continue;
      expect(box.x >= parent.x && box.y >= parent.y && box.x + box.width <= parent.x + parent.width && box.y + box.height <= parent.y + parent.height).toBe(true);
    }
    expect(layout.width).toBeLessThanOrEqual(520);
  });
});
