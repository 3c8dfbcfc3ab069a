/**
 * The backprop quiz on the lecture's 3-2-1 example, as a student takes it: turn the quiz on, answer
 * s_y1 right, answer δ_z1 with the sign flipped and read the mistake named, answer it right, see the
 * score 2 / 3, and export the record as CSV. The expected numbers are computed here from the
 * project's weights and inputs by the lecture's formulas, not read from the page.
 */
import { readFileSync } from 'node:fs';
import { appUrl, expect, test } from './fixtures';
// The modules themselves, not the engine's index: what the journey needs and nothing more.
import { findExample } from '../engine/src/project/examples';
import type { Graph } from '../engine/src/model/graph';

const σ = (s: number) => 1 / (1 + Math.exp(-s));

/** s_j = Σ_i w_ji x_i + b_j of node `id`, from the graph's edges and the inputs' values. */
function weightedSum(graph: Graph, id: string, value: Record<string, number>): number {
  let s = (graph.nodes.find((n) => n.id === id) as { bias: number }).bias;
  for (const edge of graph.edges) if (edge.target === id) s += (edge.weight as number) * value[edge.source];
  return s;
}

/** What a student types: 4 significant digits, with the typographic minus for a negative. */
const typed = (value: number) => Number(value.toPrecision(4)).toString().replace('-', '−');

/** RFC 4180 fields of a CSV text (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') {
        field += '"';
        k++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[k + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      k++;
    } else field += c;
  }
  return rows;
}

test('the backprop quiz: s right, δ with the sign flipped named, δ right, score 2 / 3, CSV export', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('three-two-one');
  await expect(page.getByTestId('compile-status')).toContainText('3 → 2 → 1');

  // The lecture's forward and backward pass by hand, from the example's own weights and its sample.
  const project = findExample('three-two-one')!.create();
  const inline = project.dataset as { rows: number[][] };
  const [x1, x2, x3, t] = inline.rows[0];
  const value: Record<string, number> = { x1, x2, x3 };
  const sY1 = weightedSum(project.graph, 'y1', value);
  value.y1 = σ(sY1);
  value.y2 = σ(weightedSum(project.graph, 'y2', value));
  const zZ1 = σ(weightedSum(project.graph, 'z1', value));
  const deltaZ1 = (t - zZ1) * zZ1 * (1 - zZ1); // δ_k = (t_k − z_k) φ'(s_k), φ'(s) = z(1 − z)
  expect(sY1).toBeCloseTo(0.5, 12);

  await page.getByTestId('inspect').click();
  await expect(page.getByTestId('backprop')).toBeVisible();
  await page.getByTestId('quiz-toggle').click();
  await expect(page.getByTestId('quiz-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('quiz-score')).toHaveText('Score 0 / 0');

  // Forward y1: s is asked, not shown — in the panel and on the canvas's badges.
  const s = page.getByTestId('quiz-s');
  await expect(s).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('bp-s')).toHaveCount(0);
  await expect(page.getByTestId('badges-y1')).toContainText('s —');
  await expect(s).toContainText('within 0.5%');
  await s.getByTestId('quiz-answer').click();
  await page.keyboard.type(typed(sY1));
  await page.keyboard.press('Enter');
  await expect(s).toHaveAttribute('data-status', 'right');
  await expect(page.getByTestId('quiz-score')).toHaveText('Score 1 / 1');
  // z is asked next, with the keyboard in its field.
  await expect(page.getByTestId('quiz-z').getByTestId('quiz-answer')).toBeFocused();

  // On to the backward phase (z left unanswered: not counted), δ of the output z1.
  await page.getByTestId('phase-backward').click();
  const delta = page.getByTestId('quiz-delta');
  await expect(delta).toContainText('δ');
  await expect(page.getByTestId('badge-delta-z1-0')).toHaveCount(0);
  const field = delta.getByTestId('quiz-answer');
  await field.click();
  await page.keyboard.type(typed(-deltaZ1));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quiz-feedback')).toHaveAttribute('data-mistake', 'sign');
  await expect(page.getByTestId('quiz-message')).toHaveText(
    "Your δ_z1 is the right size but the wrong sign: δ_k = (t_k − z_k) φ'(s_k) for squared error, φ'(s) = z(1 − z) — t − z, not z − t, since δ = −∂J/∂s.",
  );
  // The differing term, t_k − z_k, is boxed in the typeset formula.
  await expect(delta.getByTestId('quiz-formula').locator('.fbox')).toHaveCount(1);
  await expect(delta.getByTestId('quiz-formula').locator('annotation')).toContainText('\\boxed{(t_k - z_k)}');
  await expect(page.getByTestId('quiz-score')).toHaveText('Score 1 / 2');
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: testInfo.outputPath(`quiz-wrong-${width}x${height}.png`) });
  }

  // Corrected: the field is still focused; select what was typed and type the right value.
  await expect(field).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(typed(deltaZ1));
  await page.keyboard.press('Enter');
  await expect(delta).toHaveAttribute('data-status', 'right');
  await expect(page.getByTestId('quiz-score')).toHaveText('Score 2 / 3');
  // Answered: the stop's detail is back, with the δ the engine computed.
  expect(Number(await page.getByTestId('bp-delta').getAttribute('data-value'))).toBeCloseTo(deltaZ1, 12);
  await expect(page.getByTestId('badge-delta-z1-0')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('quiz-right-1920x1080.png') });

  // The record, for a teacher.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quiz-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^backprop-quiz-.*\.csv$/);
  const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
  const header = rows[0];
  expect(header).toEqual([
    'time',
    'project',
    'rows',
    'stop',
    'quantity',
    'symbol',
    'expected',
    'typed',
    'right',
    'shown',
    'tolerance',
    'mistake',
  ]);
  const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
  expect(records.map((r) => [r.stop, r.quantity, r.symbol, r.typed, r.right, r.shown])).toEqual([
    ['forward y1', 's', 's_y1', typed(sY1), 'yes', 'no'],
    ['backward z1', 'delta', 'δ_z1', typed(-deltaZ1).replace('−', '-'), 'no', 'no'],
    ['backward z1', 'delta', 'δ_z1', typed(deltaZ1), 'yes', 'no'],
  ]);
  expect(Number(records[0].expected)).toBeCloseTo(sY1, 12);
  expect(Number(records[2].expected)).toBeCloseTo(deltaZ1, 12);
  expect(records[1].mistake).toContain('the right size but the wrong sign');
  for (const r of records) {
    expect(r.project).toBe('3-2-1 example');
    expect(r.rows).toBe('0');
    expect(Number.isNaN(Date.parse(r.time))).toBe(false);
  }
  expect(errors).toEqual([]);
});
