/**
 * axe-core in the journeys: the page as it stands is checked against axe's rules (WCAG 2.x A and
 * AA and axe's best practices), and a violation whose impact is serious or critical fails the
 * journey with each rule, its help text and the elements it found.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { expect, type Page } from './fixtures';

/** The impacts that fail a journey; minor and moderate findings are left to judgement. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** One line per violation: the rule, what it asks, and up to five of the elements it found. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`);
      const more = v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : [];
      return [`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`, ...targets, ...more].join('\n');
    })
    .join('\n');
}

/** The serious and critical violations axe finds on the page now. */
export async function seriousViolations(page: Page): Promise<Result[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ''));
}

/**
 * Fails the journey if axe finds a serious or critical violation on the page as it is now. The
 * failure is soft: the journey goes on to its other states, so one run lists everything to fix.
 */
export async function expectNoSeriousViolations(page: Page, what = 'the page'): Promise<void> {
  const violations = await seriousViolations(page);
  expect
    .soft(
      violations.map((v) => `${v.impact} ${v.id}`),
      `axe on ${what}:\n${describeViolations(violations)}`,
    )
    .toEqual([]);
}
