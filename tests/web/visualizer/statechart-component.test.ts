/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { render, screen } from '@testing-library/svelte';
import type { AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../../protocol/session/index.ts';
import Statechart from '../../../web/src/visualizer/Statechart.svelte';
import ELK from 'elkjs/lib/elk.bundled.js';
import { buildChartModel } from '../../../web/src/visualizer/statechart/chart-model.ts';
import { computeChartLayout } from '../../../web/src/visualizer/statechart/chart-layout.ts';
import { nextMoves, type MoveServer } from '../../../web/src/visualizer/statechart/next-moves.ts';
import type { PersonalityName } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES, PERSONALITY_NAMES } from '../../../protocol/simulator/personalities/index.ts';
import { completedConversation, startConversation, type Conversation } from './conversation.ts';

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

  it('marks the edge of the last transition, labelled in words', () => {
    const { container } = render(Statechart, {
      activePath: 'identified.transaction.hasSender',
      lastTransition: { from: 'identified.idle', to: 'identified.transaction.hasSender' },
    });
    const last = container.querySelectorAll<SVGElement>('.edge.last');
    expect([...last].map((edge) => `${edge.dataset['source']}→${edge.dataset['target']}`)).toEqual(['identified.idle→identified.transaction']);
    expect(last[0]?.querySelector('.label')?.textContent).toBe('MAIL accepted');
  });

  it('labels every arrow in plain words, merged and wrapped into short lines', () => {
    const { layout } = buildChartModel();
    const lines = layout.edges.flatMap((edge) => edge.label.lines);
    for (const line of lines) {
      expect(line, line).toMatch(/^[A-Za-z0-9 ,]+$/);
      expect(line.length, line).toBeLessThanOrEqual(24);
    }
    const labelOf = (source: string, target: string): string | undefined =>
      layout.edges.find((edge) => edge.source === source && edge.target === target)?.label.lines.join(' ');
    expect(labelOf('awaitingDataReply', 'identified')).toBe('message accepted, message refused');
    expect(labelOf('data', 'awaitingDataReply')).toBe('line with only a dot');
    expect(labelOf('identified.transaction', 'identified.idle')).toBe('RSET, EHLO, HELO, last BDAT accepted');
  });

  it('lists only what the learner can send next, grouped, and nothing the server refuses', () => {
    const conversation = startConversation();
    render(Statechart, { activePath: conversation.state, lastTransition: null });
    expect(conversation.state).toBe('greeted');
    const list = screen.getByText('What you can send next').nextElementSibling;
    const items = [...(list?.querySelectorAll('li') ?? [])].map((item) => item.querySelector('.group')?.textContent);
    expect(items).toEqual(['Introduce yourself', 'Leave']);
    expect(list?.textContent).toMatch(/EHLO client\.example\.com\s*→\s*leads to\s*identified › idle/);
    expect(list?.textContent).not.toMatch(/MAIL/);
  });

  it('says to wait when only the server can move the session on', () => {
    render(Statechart, { activePath: 'awaitingDataGo', lastTransition: null });
    expect(screen.getByText(/Nothing to send now: wait for the server's reply/)).toBeTruthy();
  });

  it('renders the markdown of state descriptions (code, not backticks)', () => {
    const { container } = render(Statechart, { activePath: 'data', lastTransition: null });
    const description = container.querySelector('.description');
    expect(description?.textContent).toContain('takes every line as message data');
    expect(description?.querySelector('code')?.textContent).toBe('.');
    expect(description?.textContent).not.toContain('`');
    expect(container.querySelector('[data-state="data"]')?.getAttribute('aria-label')).toContain('a line with only .');
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
  });

  it('lays states out without overlaps, children inside their containers, labels apart', () => {
    const { layout, graph } = buildChartModel();
    const boxOf = (path: string) => layout.boxes.find((box) => box.path === path)!;
    const apart = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
      a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    const top = graph.states.map((state) => boxOf(state.path));
    for (const a of top) for (const b of top) if (a !== b) expect(apart(a, b), `${a.path} / ${b.path}`).toBe(true);
    for (const box of layout.boxes) {
      const parentPath = box.path.split('.').slice(0, -1).join('.');
      if (parentPath === '') continue;
      const parent = boxOf(parentPath);
      expect(box.x >= parent.x && box.y >= parent.y && box.x + box.width <= parent.x + parent.width && box.y + box.height <= parent.y + parent.height).toBe(true);
    }
    const labels = layout.edges.map((edge) => edge.label);
    for (const a of labels) for (const b of labels) if (a !== b) expect(apart(a, b), `${a.lines.join(' ')} / ${b.lines.join(' ')}`).toBe(true);
    for (const label of labels) for (const box of layout.boxes.filter((box) => !box.compound)) expect(apart(label, box), `${label.lines.join(' ')} on ${box.path}`).toBe(true);
  });

  it('draws the layout ELK computes now (run `npx tsx web/write-chart-layout.ts` after changing the machine)', async () => {
    expect(buildChartModel().layout).toEqual(await computeChartLayout(new ELK()));
  });
});

/** Drives a simulated session on `personality` into `state` with lines that server accepts. */
function conversationIn(state: string, personality: PersonalityName = 'smtp-server'): Conversation {
  const conversation = startConversation(personality);
  const ehlo = 'EHLO client.example.com';
  const rcpt = `RCPT TO:<${PERSONALITIES[personality].suggestedRecipients[0]}>`;
  const paths: Record<string, string[]> = {
    greeted: [],
    'identified.idle': [ehlo],
    'identified.transaction.hasSender': [ehlo, 'MAIL FROM:<a@example.com>'],
    'identified.transaction.hasRecipients': [ehlo, 'MAIL FROM:<a@example.com>', rcpt],
    data: [ehlo, 'MAIL FROM:<a@example.com>', rcpt, 'DATA'],
    'authenticating.awaitingResponse': [ehlo, 'AUTH LOGIN'],
  };
  conversation.send(...(paths[state] ?? []));
  expect(conversation.state).toBe(state);
  return conversation;
}

/** The server a move list is made for: the conversation's personality and what it advertised. */
const serverOf = (conversation: Conversation): MoveServer => conversation.session.getSnapshot().context;

describe('nextMoves', () => {
  const states = ['greeted', 'identified.idle', 'identified.transaction.hasSender', 'identified.transaction.hasRecipients', 'data'];
  const cases = PERSONALITY_NAMES.flatMap((personality) => states.map((state) => [personality, state] as const));

  it.each(cases)('on %s, in %s, the server accepts every move the list offers, and the session goes where it says', (personality, state) => {
    const moves = nextMoves(state, serverOf(conversationIn(state, personality))).flatMap((group) => group.moves);
    expect(moves.length).toBeGreaterThan(0);
    for (const move of moves) {
      const conversation = conversationIn(state, personality);
      const before = conversation.transcript.length;
      conversation.send(move.line);
      expect(conversation.state, `${personality} ${state}: ${move.line}`).toBe(move.target);
      // A message line gets no reply of its own; every command gets a 2xx or 3xx.
      if (state === 'data' && move.line !== '.') continue;
      const codes = conversation.transcript.slice(before).flatMap((entry) => (entry.reply === null ? [] : [entry.reply.code]));
      expect(codes.length, `${personality} ${state}: ${move.line} got no reply`).toBeGreaterThan(0);
      for (const code of codes) expect(code, `${personality} ${state}: ${move.line}`).toBeLessThan(400);
    }
  });

  it('suggests recipients the lab Postfix serves, and no login or encryption it does not offer', () => {
    const postfix = conversationIn('identified.transaction.hasSender', 'postfix');
    expect(nextMoves('identified.transaction.hasSender', serverOf(postfix)).flatMap((group) => group.moves.map((move) => move.line))).toEqual([
      'RCPT TO:<alice@lab.test>',
      'RSET',
      'QUIT',
    ]);
    const idle = nextMoves('identified.idle', serverOf(conversationIn('identified.idle', 'postfix'))).map((group) => group.group);
    expect(idle).toEqual(['Start a mail transaction', 'Leave']);
    const sandbox = nextMoves('identified.idle', serverOf(conversationIn('identified.idle'))).map((group) => group.group);
    expect(sandbox).toEqual(['Start a mail transaction', 'Log in', 'Encrypt', 'Leave']);
  });

  it('while logging in on smtp-server: the answer gets 334, giving up gets the 501 RFC 4954 §4 asks for', () => {
    const server = serverOf(conversationIn('authenticating.awaitingResponse'));
    const moves = nextMoves('authenticating.awaitingResponse', server).flatMap((group) => group.moves);
    for (const move of moves) {
      const conversation = conversationIn('authenticating.awaitingResponse');
      conversation.send(move.line);
      expect(conversation.state).toBe(move.target);
      expect(conversation.transcript.at(-1)?.reply?.code).toBe(move.line === '*' ? 501 : 334);
    }
  });

  it('offers no MAIL before EHLO: the server refuses it (lesson 2)', () => {
    const conversation = conversationIn('greeted');
    conversation.send('MAIL FROM:<a@example.com>');
    expect(conversation.transcript.at(-1)?.reply?.code).toBe(503);
    expect(nextMoves('greeted').flatMap((group) => group.moves).some((move) => move.line.startsWith('MAIL'))).toBe(false);
  });
});
