/**
 * The backprop inspector on the lecture's 3-2-1 example: step through forward, loss, backward and
 * update, and at every stop hold the numbers on the page (read from the page itself) to the
 * engine's trace computed here, independently of the app; then a what-if edit, the gradient
 * check, and applying the update.
 */
import { appUrl, expect, test, type Page } from './fixtures';
import {
  findExample,
  freshOptimiserState,
  openSession,
  resolveDataset,
  splitIndices,
  traceStep,
  type OptimiserState,
  type Project,
  type StepTrace,
} from '../engine/src/index';

/** The engine's trace of a training step on row `row` (the first, from a fresh optimiser memory, by default), computed in the test's own process. */
function expectedTrace(project: Project, memory?: OptimiserState, row = 0): StepTrace {
  const session = openSession(project, 'train');
  const optimiser = memory ?? freshOptimiserState(project.hyperparameters.optimiser, session.model.paramCount);
  return traceStep(session.model, session.trainer.params, optimiser, session.train, [row], project.hyperparameters);
}

/** A number shown on the page, at full precision (the title/data-value every number carries). */
async function shown(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  expect(value, `${testId} carries its value`).not.toBeNull();
  return Number(value);
}

test('step through one backprop step of the 3-2-1 example; every number equals the engine’s trace', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('three-two-one');
  await expect(page.getByTestId('compile-status')).toContainText('3 → 2 → 1');

  const project = findExample('three-two-one')!.create();
  const trace = expectedTrace(project);
  const sample = trace.samples[0];

  await page.getByTestId('inspect').click();
  await expect(page.getByTestId('backprop')).toBeVisible();
  await expect(page.getByTestId('bp-position')).toHaveText('1 / 10');
  for (const input of sample.inputs) expect(await shown(page, `badge-x-${input.feature}`)).toBe(input.value);

  // Forward, unit by unit in topological order: s and z in the panel and on the unit's badges.
  for (const [k, unit] of sample.forward.entries()) {
    await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-unit', unit.nodeId);
    await expect(page.getByTestId(`unit-${unit.nodeId}`)).toHaveClass(/bp-focus/);
    expect(await shown(page, 'bp-s')).toBeCloseTo(unit.s, 12);
    expect(await shown(page, 'bp-z')).toBeCloseTo(unit.z, 12);
    expect(await shown(page, 'bp-bias')).toBe(unit.bias);
    for (const [t, term] of unit.terms.entries()) {
      expect(await shown(page, `bp-w-${t}`)).toBe(term.w);
      expect(await shown(page, `bp-x-${t}`)).toBe(term.x);
    }
    expect(await shown(page, `badge-z-${unit.nodeId}-0`)).toBeCloseTo(unit.z, 12);
    // Units the walk has not reached show no value yet.
    for (const later of sample.forward.slice(k + 1)) await expect(page.getByTestId(`badges-${later.nodeId}`)).toContainText('s —');
    await page.getByTestId('bp-next').click();
  }

  // The loss, with t and z.
  await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-phase', 'loss');
  expect(await shown(page, 'bp-loss')).toBeCloseTo(sample.loss, 12);
  expect(await shown(page, 'bp-loss-z-0')).toBeCloseTo(sample.lossTerms[0].z, 12);
  expect(Number(await page.getByTestId('bp-target-0').getAttribute('data-value'))).toBe(sample.lossTerms[0].t);

  // Backward, in reverse order: δ with its formula; the δ badge appears on the canvas.
  await page.keyboard.press(']');
  for (const unit of sample.backward) {
    await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-unit', unit.nodeId);
    // The rule is typeset; its MathML keeps the TeX it came from (what a screen reader's copy gives).
    await expect(page.getByTestId('bp-detail').getByTestId('bp-formula').locator('annotation')).toHaveText(
      unit.role === 'output'
        ? "\\delta_k = (t_k - z_k)\\, \\varphi'(s_k), \\varphi'(s) = z(1 - z)"
        : "\\delta_j = \\varphi'(s_j) \\sum_k w_{kj} \\delta_k, \\varphi'(s) = z(1 - z)",
    );
    expect(await shown(page, 'bp-delta')).toBeCloseTo(unit.delta, 12);
    expect(await shown(page, `badge-delta-${unit.nodeId}-0`)).toBeCloseTo(unit.delta, 12);
    if (unit.role === 'hidden') {
      // The δ_k it sums over: the edge to the output is lit.
      await expect(page.locator(`.react-flow__edge[data-id="${unit.downstream[0].edgeId}"] path.weighted-edge`)).toHaveClass(/lit/);
      await page.waitForTimeout(100);
      await page.screenshot({ path: testInfo.outputPath('inspector-backward.png'), fullPage: true });
    }
    await page.keyboard.press(']');
  }

  // The update, unit by unit: ∂J/∂w, Δw and the new weight of every parameter.
  const order = sample.forward.map((u) => u.nodeId);
  for (const nodeId of order) {
    await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-phase', 'update');
    await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-unit', nodeId);
    const updates = trace.updates.filter((u) => u.nodeId === nodeId);
    for (const [k, update] of updates.entries()) {
      expect(await shown(page, `bp-gradient-${k}`)).toBeCloseTo(update.gradient, 12);
      expect(await shown(page, `bp-change-${k}`)).toBeCloseTo(update.change, 12);
      expect(await shown(page, `bp-new-${k}`)).toBeCloseTo(update.new, 12);
    }
    if (nodeId !== order.at(-1)) await page.getByTestId('bp-next').click();
  }
  // On the canvas, the edges now carry their gradient and Δw.
  const edge = trace.updates.find((u) => u.edgeId === 'y1->z1')!;
  expect(Number(await page.getByTestId('gradient-y1->z1').getAttribute('data-change'))).toBeCloseTo(edge.change, 12);

  // Back to the backward phase, and a what-if: the weight x1 → y1 set to 0 changes every number
  // downstream of it (y1's s and z, z1's output, every δ).
  await page.getByTestId('phase-backward').click();
  await page.locator('.react-flow__edge[data-id="x1->y1"] .react-flow__edge-interaction').dispatchEvent('click');
  await page.getByTestId('weight').fill('0');
  await page.getByTestId('weight').press('Enter');
  const edited = findExample('three-two-one')!.create();
  edited.graph.edges.find((e) => e.id === 'x1->y1')!.weight = 0;
  const whatIf = expectedTrace(edited).samples[0];
  expect(whatIf.backward[0].delta).not.toBeCloseTo(sample.backward[0].delta, 6);
  await expect.poll(() => shown(page, 'bp-delta')).toBeCloseTo(whatIf.backward[0].delta, 12);
  expect(await shown(page, 'badge-z-z1-0')).toBeCloseTo(whatIf.forward[2].z, 12);
  expect(await shown(page, 'badge-s-y1-0')).toBeCloseTo(whatIf.forward[0].s, 12);
  expect(await shown(page, 'badge-s-y2-0')).toBeCloseTo(sample.forward[1].s, 12); // y2 does not read x1 → y1

  // And a bias: y1's set to 0 as well.
  await page.getByTestId('unit-y1').click();
  await page.getByTestId('bias-0').fill('0');
  await page.getByTestId('bias-0').press('Enter');
  (edited.graph.nodes.find((n) => n.id === 'y1') as { bias: number }).bias = 0;
  const both = expectedTrace(edited).samples[0];
  await expect.poll(() => shown(page, 'badge-s-y1-0')).toBeCloseTo(both.forward[0].s, 12);
  expect(both.forward[0].s).toBeCloseTo(0.3, 12); // 0·1 + (−0.2)·0 + 0.3·1 + 0

  // The gradient check: every relative error below 1e-6.
  await page.getByTestId('bp-gradient-check').click();
  await expect(page.getByTestId('gradient-check-summary')).toContainText('All 11 gradients agree');
  const errorsShown = await page
    .locator('[data-testid^="gradient-error-"]')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
  expect(errorsShown).toHaveLength(11);
  for (const e of errorsShown) expect(e).toBeLessThan(1e-6);
  await page.getByTestId('bp-gradient-check').click();

  // Apply the update and go on: the weights are the trace's new ones, and the step can be undone.
  await page.getByTestId('bp-apply').click();
  const applied = expectedTrace(edited);
  await expect(page.getByTestId('bp-position')).toHaveText('1 / 10');
  expect(await shown(page, 'bp-w-0')).toBeCloseTo(applied.newParams[applied.samples[0].forward[0].terms[0].param], 12);
  await page.getByTestId('bp-close').click();
  await expect(page.getByTestId('backprop')).toHaveCount(0);
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Undo Backprop step on row 0/);
  expect(errors).toEqual([]);
});

test('on a paused run, the inspector traces exactly the step training takes next (its rows, its momentum)', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris'); // shuffled mini-batches of 8, momentum 0.9
  await page.getByRole('button', { name: 'Step batch' }).click();
  await page.getByRole('button', { name: 'Step batch' }).click();
  await expect(page.getByTestId('epoch-progress')).toHaveText('16/90');

  await page.getByTestId('inspect').click();
  await expect(page.getByTestId('bp-from-run')).toBeVisible();
  await page.getByTestId('phase-update').click();
  const predicted: number[] = [];
  for (let k = 0; k < 5; k++) predicted.push(await shown(page, `bp-new-${k}`));
  // Two steps in, the run's momentum memory is not zero: the trace's Δw carries α Δw(r−1).
  const momentum: number[] = [];
  for (let k = 0; k < 5; k++) momentum.push(await shown(page, `bp-momentum-${k}`));
  expect(momentum.some((m) => m !== 0)).toBe(true);
  await page.getByTestId('bp-close').click();

  // Training takes its next step; the inspector, reopened, starts from the weights it predicted.
  await page.keyboard.press('F10');
  await expect(page.getByTestId('epoch-progress')).toHaveText('24/90');
  await page.getByTestId('inspect').click();
  await expect(page.getByTestId('bp-from-run')).toBeVisible();
  await page.getByTestId('phase-update').click();
  for (let k = 0; k < 5; k++) expect(await shown(page, `bp-old-${k}`)).toBeCloseTo(predicted[k], 12);
});

/** The row table as shown: per row its number, its split's word and its data-split. */
const rowsShown = (page: Page) =>
  page
    .getByTestId('bp-rows')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [r.children[0].textContent, r.children[1].textContent, r.getAttribute('data-split')]));

test('the row table numbers rows as the file does; a row is traced as the file has it, and next sample follows the file', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());

  // XOR 2-2-1: every row trains, but the split still shuffles them ([0, 3, 2, 1]).
  await page.getByTestId('example-select').selectOption('xor-sigmoid');
  await page.getByTestId('inspect').click();
  expect(await rowsShown(page)).toEqual([0, 1, 2, 3].map((n) => [String(n), 'training', 'train']));
  // Row 3 of the truth table is x = (1, 1), t = 0: what the row table shows is what is traced.
  await page.getByTestId('bp-row-3').click();
  await expect(page.getByTestId('bp-row')).toHaveValue('3');
  await expect(page.getByTestId('bp-split')).toHaveText('training split');
  const sampleNumbers = () =>
    page
      .getByTestId('bp-sample')
      .locator('[data-value]')
      .evaluateAll((nums) => nums.map((n) => Number(n.getAttribute('data-value'))));
  expect(await sampleNumbers()).toEqual([1, 1, 0]);
  await expect(page.getByTestId('bp-row-3')).toHaveClass(/chosen/);
  // Apply, next sample: the next row of the file (wrapping round), not the next of the shuffle.
  await page.getByTestId('bp-apply').click();
  await expect(page.getByTestId('bp-row')).toHaveValue('0');
  expect(await sampleNumbers()).toEqual([0, 0, 0]);
  await page.getByTestId('bp-apply').click();
  await expect(page.getByTestId('bp-row')).toHaveValue('1');
  expect(await sampleNumbers()).toEqual([0, 1, 1]);
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Undo Backprop step on row 0/);
  expect(errors).toEqual([]);
});

test('Iris: every row listed in file order with its split; a test row is refused, naming its split; batches follow the file', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('iris'); // 60/20/20, mini-batches of 8
  await page.getByTestId('inspect').click();
  const iris = findExample('iris')!.create();
  const split = splitIndices(150, iris.split);
  const splitOf = (row: number) => (split.train.includes(row) ? 'train' : split.validation.includes(row) ? 'validation' : 'test');
  const words = { train: 'training', validation: 'validation', test: 'test' };
  expect(await rowsShown(page)).toEqual(Array.from({ length: 150 }, (_, n) => [String(n), words[splitOf(n)], splitOf(n)]));
  const testRow = split.test[0];
  await page.getByTestId('bp-row').fill(String(testRow));
  await page.getByTestId('bp-row').press('Enter');
  await expect(page.getByTestId('bp-row-refusal')).toHaveText(
    new RegExp(`^Row ${testRow} is in the test split; the trace is of a training step, so choose a row of the training split: `),
  );
  // A test row in the table is not a button.
  const before = await page.getByTestId('bp-batch-rows').textContent();
  await page.getByTestId(`bp-row-${testRow}`).click();
  await expect(page.getByTestId('bp-batch-rows')).toHaveText(before!);
  // A training row starts a mini-batch of 8: it and the next training rows of the file.
  const sorted = [...split.train].sort((a, b) => a - b);
  await page.getByTestId(`bp-row-${sorted[4]}`).click();
  await expect(page.getByTestId('bp-batch-rows')).toHaveText(`mini-batch of 8: rows ${sorted.slice(4, 12).join(', ')} (training split)`);
  await page.getByTestId('bp-apply').click();
  await expect(page.getByTestId('bp-batch-rows')).toHaveText(`mini-batch of 8: rows ${sorted.slice(12, 20).join(', ')} (training split)`);
  expect(errors).toEqual([]);
});

test('the scatter plot picks points by dataset row: a validation point is refused naming its split, a training point is traced as that row', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('logistic-regression'); // 200 points, 70/15/15, mini-batches of 16
  const project = findExample('logistic-regression')!.create();
  const data = resolveDataset(project.dataset);
  const split = splitIndices(data.size, project.split);
  const sorted = [...split.train].sort((a, b) => a - b);
  // Where the plot draws point n (240 × 180, 6 px padding, the features' ranges), and points
  // with no other within 5 px, so that a click there can only mean them.
  const xs = Array.from({ length: data.size }, (_, n) => data.x[2 * n]);
  const ys = Array.from({ length: data.size }, (_, n) => data.x[2 * n + 1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const at = (n: number) => ({ x: 6 + ((xs[n] - minX) / (maxX - minX)) * 228, y: 174 - ((ys[n] - minY) / (maxY - minY)) * 168 });
  const alone = (n: number) => xs.every((_, m) => m === n || (at(m).x - at(n).x) ** 2 + (at(m).y - at(n).y) ** 2 > 25);
  const validationRow = split.validation.find(alone)!;
  const [trainRow, otherTrainRow] = sorted.filter(alone).filter((row) => row !== 0);
  expect(split.train.indexOf(trainRow)).not.toBe(trainRow); // its training position is another number
  const scatter = page.getByTestId('scatter');
  const click = async (n: number) => {
    // The inspector, once open, takes the bottom of the window: bring the plot back into view.
    await scatter.scrollIntoViewIfNeeded();
    const box = (await scatter.boundingBox())!;
    await page.mouse.click(box.x + (at(n).x / 240) * box.width, box.y + (at(n).y / 180) * box.height);
  };

  await click(validationRow);
  await expect(page.getByTestId('scatter-message')).toHaveText(
    `Row ${validationRow} is in the validation split; the trace is of a training step, so choose a row of the training split: ${sorted.slice(0, 10).join(', ')}, ….`,
  );
  await expect(page.getByTestId('backprop')).toHaveCount(0);

  await click(trainRow);
  await expect(page.getByTestId('backprop')).toBeVisible();
  await expect(page.getByTestId('scatter-message')).toHaveCount(0);
  await expect(page.getByTestId('bp-row')).toHaveValue(String(trainRow));
  const from = sorted.indexOf(trainRow);
  const batch = Array.from({ length: 16 }, (_, k) => sorted[(from + k) % sorted.length]);
  await expect(page.getByTestId('bp-batch-rows')).toHaveText(`mini-batch of 16: rows ${batch.join(', ')} (training split)`);
  // Open, the plot chooses as the row table does.
  await click(otherTrainRow);
  await expect(page.getByTestId('bp-row')).toHaveValue(String(otherTrainRow));
  await expect(page.getByTestId(`bp-row-${otherTrainRow}`)).toHaveClass(/chosen/);
  await click(validationRow);
  await expect(page.getByTestId('scatter-message')).toContainText(`Row ${validationRow} is in the validation split`);
  await expect(page.getByTestId('bp-row')).toHaveValue(String(otherTrainRow));
  expect(errors).toEqual([]);
});

test('Adam in the inspector: g, m, v, m̂, v̂ and Δw of every weight with the formula, and the memory carried to the next sample', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(appUrl());
  await page.getByTestId('example-select').selectOption('three-two-one');
  await expect(page.getByTestId('compile-status')).toContainText('3 → 2 → 1');
  await page.getByLabel('Optimiser').selectOption('adam');
  await expect(page.getByTestId('beta1')).toHaveValue('0.9');
  await page.getByTestId('learning-rate').fill('0.01');
  await page.getByTestId('learning-rate').press('Enter');

  const base = findExample('three-two-one')!.create();
  const project: Project = { ...base, hyperparameters: { ...base.hyperparameters, optimiser: 'adam', learningRate: 0.01 } };
  const trace = expectedTrace(project);
  expect(trace.optimiser?.t).toBe(1);

  await page.getByTestId('inspect').click();
  await page.getByTestId('phase-update').click();
  const nodeId = trace.samples[0].forward[0].nodeId;
  await expect(page.getByTestId('bp-detail')).toHaveAttribute('data-unit', nodeId);
  await expect(page.getByTestId('bp-detail')).toContainText('Adam, step t = 1');
  const optimiserFormula = page.getByTestId('bp-optimiser-formula');
  await expect(optimiserFormula.getByTestId('bp-formula').locator('annotation')).toContainText('\\hat m = \\frac{m}{1 - \\beta_1^t}');
  await expect(optimiserFormula.getByTestId('bp-settings').locator('annotation')).toHaveText(
    '\\eta = 0.01, \\; \\beta_1 = 0.9, \\; \\beta_2 = 0.999, \\; \\varepsilon = 1 \\times 10^{-8}',
  );
  const updates = trace.updates.filter((u) => u.nodeId === nodeId);
  for (const [k, update] of updates.entries()) {
    for (const quantity of update.quantities)
      expect(await shown(page, `bp-quantity-${quantity.symbol}-${k}`)).toBeCloseTo(quantity.value, 12);
    expect(await shown(page, `bp-change-${k}`)).toBeCloseTo(update.change, 12);
    expect(await shown(page, `bp-new-${k}`)).toBeCloseTo(update.new, 12);
  }
  await page.screenshot({ path: testInfo.outputPath('inspector-adam-1280.png') });

  // Apply, next sample: the next step starts from this one's m, v and t.
  await page.getByTestId('bp-apply').click();
  await expect(page.getByTestId('bp-position')).toHaveText('1 / 10');
  const applied: Project = structuredClone(project);
  const session = openSession(project, 'train');
  const params = trace.newParams;
  for (const edge of applied.graph.edges) {
    const update = trace.updates.find((u) => u.edgeId === edge.id);
    if (update) edge.weight = params[update.param];
  }
  for (const node of applied.graph.nodes) {
    const update = trace.updates.find((u) => u.kind === 'bias' && u.nodeId === node.id);
    if (update && 'bias' in node) (node as { bias: number }).bias = params[update.param];
  }
  const next = expectedTrace(applied, trace.newOptimiserState, 1 % session.train.size);
  expect(next.optimiser?.t).toBe(2);
  await page.getByTestId('phase-update').click();
  await expect(page.getByTestId('bp-detail')).toContainText('Adam, step t = 2');
  const nextUpdates = next.updates.filter((u) => u.nodeId === nodeId);
  const m = nextUpdates[0].quantities.find((q) => q.symbol === 'm')!;
  expect(await shown(page, 'bp-quantity-m-0')).toBeCloseTo(m.value, 12);
  expect(await shown(page, 'bp-change-0')).toBeCloseTo(nextUpdates[0].change, 12);
  expect(errors).toEqual([]);
});
