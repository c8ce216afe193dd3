/**
 * axe-core in a real page: WCAG 2.1 A and AA rules, the serious and critical violations kept,
 * and a readable report of them (rule, impact, what to fix, the elements). The page's context
 * must be created with `bypassCSP: true`: the app's CSP refuses injected scripts.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/** Runs axe on the whole document; returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async (tags) => {
    const { axe } = window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    // Plain data only: the nodes' own objects hold DOM references.
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  }, WCAG_21_AA);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** One block per violation: "[serious] color-contrast: Elements must meet … (N elements)", then each element. */
export function formatViolations(where: string, violations: readonly AxeViolation[]): string {
  if (violations.length === 0) return `${where}: none`;
  const blocks = violations.map((violation) => {
    const nodes = violation.nodes.slice(0, 8).map((node) => {
      const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
      return `    ${node.target.map(String).join(' > ')}\n      ${summary}`;
    });
    const more = violation.nodes.length > 8 ? [`    … and ${violation.nodes.length - 8} more`] : [];
    return [`  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.nodes.length} elements; ${violation.helpUrl})`, ...nodes, ...more].join('\n');
  });
  return `${where}:\n${blocks.join('\n')}`;
}
