/**
 * The course's lessons 5–8 as a student takes them, by the mouse and the keyboard: the Learn panel
 * (the start screen's "Learn with the course", or F2), the lesson picked and started, every task of
 * every step done as the lesson asks — weights typed into the inspector, Edit › New Network for
 * This Data…, Train (F5) until "training: stopped", Reset, the side panel's hyperparameters, the
 * backprop inspector and its quiz, the dock's Runs tab — each task's mark seen open before the
 * student's action and done after it, to "Lesson complete". Then a teacher's lesson opened from a
 * file and completed, and two broken lesson files refused in one sentence with the app still usable.
 * Expected numbers (truth tables, the quiz's s, δ and ∂J/∂w) are computed here from the project's
 * weights and inputs by the lecture's formulas, never read from the page.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appUrl, expect, test, type Page } from './fixtures';
// The modules themselves, not the engine's index: what the journeys need and nothing more.
import { findExample } from '../engine/src/project/examples';
import type { Graph } from '../engine/src/model/graph';
import { defaultSpec, generateDataset } from '../engine/src/datasets/builtin';

const TEACHER_LESSON = fileURLToPath(new URL('./fixtures-lessons/teacher-or.nnlesson', import.meta.url));

const σ = (s: number) => 1 / (1 + Math.exp(-s));
/** The lecture's step function: 1 when s > 0, else 0. */
const step = (s: number) => (s > 0 ? 1 : 0);

/** A built-in truth table's inputs, row by row in the data's order. */
function inputRows(name: 'or' | 'xor'): number[][] {
  const data = generateDataset(defaultSpec(name));
  const rows: number[][] = [];
  for (let n = 0; n < data.size; n++) rows.push([data.x[2 * n], data.x[2 * n + 1]]);
  return rows;
}

/** A task's mark in the Learn panel. */
const task = (page: Page, id: string) => page.getByTestId(`task-${id}`);

async function expectOpen(page: Page, id: string): Promise<void> {
  await expect(task(page, id)).toHaveAttribute('data-done', 'false');
}

async function expectDone(page: Page, id: string): Promise<void> {
  await expect(task(page, id)).toHaveAttribute('data-done', 'true');
}

/** From the start screen: Learn with the course, the lesson, Start the lesson. */
async function startLesson(page: Page, id: string, via: 'button' | 'F2' = 'button'): Promise<void> {
  await page.goto(appUrl());
  if (via === 'button') await page.getByTestId('start-learn').click();
  else {
    await expect(page.getByTestId('start-learn')).toBeVisible();
    await page.keyboard.press('F2');
  }
  await expect(page.getByTestId('learn')).toBeVisible();
  await page.getByTestId(`lesson-${id}`).click();
  await page.getByTestId('lesson-begin').click();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 1 of');
  await expect(page.getByTestId('canvas')).toBeVisible();
}

/** The lesson's Next step button, once the step's tasks are done (it says "Skip" before). */
async function nextStep(page: Page, heading: string): Promise<void> {
  await expect(page.getByTestId('lesson-next')).toHaveText('Next step');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toContainText(heading);
}

async function expectComplete(page: Page): Promise<void> {
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
}

/** Clicks an edge on the canvas a quarter of the way along it (clear of the weight label at its middle). */
async function clickEdge(page: Page, id: string): Promise<void> {
  const path = page.locator(`.react-flow__edge[data-id="${id}"] .react-flow__edge-interaction`);
  const at = await path.evaluate((element) => {
    const svg = element as SVGPathElement;
    const p = svg.getPointAtLength(svg.getTotalLength() * 0.25);
    const m = svg.getScreenCTM()!;
    return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
  });
  await page.mouse.click(at.x, at.y);
  const [source, target] = id.split('->');
  await expect(page.getByTestId('inspector')).toContainText(`${source} → ${target}`);
}

/** Types a value into a field as a person does: click, select what is there, type, Enter. */
async function typeInto(page: Page, testId: string, value: number | string): Promise<void> {
  const field = page.getByTestId(testId);
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(String(value));
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(String(value));
}

async function setWeight(page: Page, edge: string, value: number): Promise<void> {
  await clickEdge(page, edge);
  await typeInto(page, 'weight', value);
}

async function setBias(page: Page, unit: string, value: number): Promise<void> {
  await page.getByTestId(`unit-${unit}`).click();
  await expect(page.getByTestId('inspector')).toContainText(unit);
  await typeInto(page, 'bias-0', value);
}

/** A side-panel number field by its label: typed and committed with Enter. */
async function setField(page: Page, name: string, value: number | string): Promise<void> {
  const field = page.getByRole('textbox', { name, exact: true });
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(String(value));
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(String(value));
}

/** F5 from the canvas, then until the run has stopped by itself (never "idle": it precedes the run). */
async function trainToStop(page: Page): Promise<void> {
  await page.getByTestId('canvas').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('F5');
  await expect(page.locator('.status')).toContainText('training: stopped', { timeout: 60_000 });
}

async function reset(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('epoch')).toHaveText('0');
}

/** What a student types into the quiz: 4 significant digits, with the typographic minus for a negative. */
const typed = (value: number) => Number(value.toPrecision(4)).toString().replace('-', '−');

async function answer(page: Page, quantity: string, value: number): Promise<void> {
  const question = page.getByTestId(`quiz-${quantity}`);
  await question.getByTestId('quiz-answer').click();
  await page.keyboard.type(typed(value));
  await page.keyboard.press('Enter');
  await expect(question).toHaveAttribute('data-status', 'right');
}

/** The network's 0/1 decision on each row, by the lecture's formulas for a graph of single units (the step for perceptrons). */
function truthTable(graph: Graph, rows: readonly (readonly number[])[], features: readonly string[]): string {
  const order = ['y1', 'y2', 'out'];
  let table = '';
  for (const row of rows) {
    const z: Record<string, number> = {};
    features.forEach((f, k) => (z[f] = row[k]));
    for (const id of order) {
      let s = (graph.nodes.find((n) => n.id === id) as { bias: number }).bias;
      for (const edge of graph.edges) if (edge.target === id) s += (edge.weight as number) * z[edge.source];
      z[id] = step(s);
    }
    table += String(z.out);
  }
  return table;
}

test('lesson 5: XOR from OR and AND — all nine numbers typed into the inspector', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await startLesson(page, 'xor-from-or-and');

  // The lesson's start: the XOR perceptron network with every weight and bias 0. The XOR data's rows, in order.
  const graph = findExample('xor-perceptron-network')!.create().graph;
  for (const edge of graph.edges) edge.weight = 0;
  for (const node of graph.nodes) if ('bias' in node) node.bias = 0;
  const rows = inputRows('xor');
  const set = (id: string, value: number) => {
    const edge = graph.edges.find((e) => e.id === id);
    if (edge) edge.weight = value;
    else (graph.nodes.find((n) => n.id === id) as { bias: number }).bias = value;
  };

  // Step 1: y1 = OR, y2 = AND. The first number typed changes only the first layer: done.
  await expectOpen(page, 'xor2-first-layer');
  await setWeight(page, 'x1->y1', 1);
  await expectDone(page, 'xor2-first-layer');
  for (const [edge, w] of [
    ['x2->y1', 1],
    ['x1->y2', 1],
    ['x2->y2', 1],
  ] as const) {
    await setWeight(page, edge, w);
    set(edge, w);
  }
  set('x1->y1', 1);
  await setBias(page, 'y1', -0.5);
  await setBias(page, 'y2', -1.5);
  set('y1', -0.5);
  set('y2', -1.5);
  await nextStep(page, 'The output: y1 and not y2');

  // Step 2: out = φ(y1 − y2 − ½), typed bias first; the mark follows the truth table computed here.
  for (const [what, value] of [
    ['out', -0.5],
    ['y1->out', 1],
    ['y2->out', -1],
  ] as const) {
    const before = truthTable(graph, rows, ['x1', 'x2']);
    expect(before).not.toBe('0110');
    await expectOpen(page, 'xor2-table');
    await expect(page.getByTestId('task-xor2-table-detail')).toContainText(`truth table is ${before}`);
    if (what === 'out') await setBias(page, what, value);
    else await setWeight(page, what, value);
    set(what, value);
  }
  expect(truthTable(graph, rows, ['x1', 'x2'])).toBe('0110');
  await expectDone(page, 'xor2-table');
  await expectComplete(page);
  expect(errors).toEqual([]);
});

test('lesson 6: a 2-2-1 sigmoid network from Edit › New Network for This Data…, trained to 100% on XOR', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await startLesson(page, 'xor-sigmoid', 'F2');

  // Step 1: the menu bar's Edit › New Network for This Data…: one hidden layer of 2 sigmoid units.
  await expectOpen(page, 'xor3-network');
  const bar = page.getByRole('menubar', { name: 'Menu' });
  await bar.getByRole('menuitem', { name: 'Edit', exact: true }).click();
  await page
    .getByRole('menu', { name: 'Edit' })
    .getByRole('menuitem', { name: /New Network for This Data/ })
    .click();
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('new-network-layers')).toHaveValue('1');
  await page.getByTestId('new-network-units-0').fill('2');
  await page.getByTestId('new-network-activation').selectOption('sigmoid');
  await expectOpen(page, 'xor3-network');
  await page.getByTestId('new-network-build').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('compile-status')).toContainText('2 → 2 → 1');
  await expectDone(page, 'xor3-network');
  await nextStep(page, 'Train it');

  // Step 2: Train (F5) with the lesson's settings until the target loss stops it.
  await expectOpen(page, 'xor3-accuracy');
  // Untrained, the network gets some of XOR's four rows wrong.
  await expect(page.getByTestId('task-xor3-accuracy-detail')).toHaveText(
    /^Accuracy on train is (0|25|50|75)\.0%; the task asks for 100\.0%\.$/,
  );
  await trainToStop(page);
  await expect(page.locator('.message')).toContainText('reached the target 0.05');
  await expectDone(page, 'xor3-accuracy');
  await expectComplete(page);
  expect(errors).toEqual([]);
});

test('lesson 7: backpropagation on 3-2-1 — the inspector, the quiz’s s, δ and ∂J/∂w computed by hand', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await startLesson(page, 'backprop-321');
  await page.screenshot({ path: testInfo.outputPath('lesson7-1-start-1920x1080.png') });

  // The lecture's forward and backward pass by hand, from the example's weights and its one sample.
  const project = findExample('three-two-one')!.create();
  const { graph } = project;
  const [x1, x2, x3, t] = (project.dataset as { rows: number[][] }).rows[0];
  const z: Record<string, number> = { x1, x2, x3 };
  const weight = (from: string, to: string) => graph.edges.find((e) => e.source === from && e.target === to)!.weight as number;
  const sum = (id: string) => {
    let s = (graph.nodes.find((n) => n.id === id) as { bias: number }).bias;
    for (const edge of graph.edges) if (edge.target === id) s += (edge.weight as number) * z[edge.source];
    return s;
  };
  const sY1 = sum('y1');
  z.y1 = σ(sY1);
  z.y2 = σ(sum('y2'));
  z.z1 = σ(sum('z1'));
  const deltaZ1 = (t - z.z1) * z.z1 * (1 - z.z1); // δ_k = (t_k − z_k) φ'(s_k), δ = −∂J/∂s
  const deltaY1 = z.y1 * (1 - z.y1) * weight('y1', 'z1') * deltaZ1; // δ_j = φ'(s_j) Σ_k w_kj δ_k
  const gradientY1X1 = -deltaY1 * x1; // ∂J/∂w_ji = −δ_j x_i

  // Step 1: the inspector (Ctrl+I) at the forward pass, the Quiz on, s_y1 typed.
  await expectOpen(page, 'bp-forward');
  await page.getByTestId('canvas').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+i');
  await expect(page.getByTestId('backprop')).toBeVisible();
  await expectDone(page, 'bp-forward');
  await page.getByTestId('quiz-toggle').click();
  // The quiz asks for y1's s, not showing it on the canvas.
  await expect(page.getByTestId('badges-y1')).toContainText('s —');
  await expectOpen(page, 'bp-quiz-s');
  await answer(page, 's', sY1);
  await expectDone(page, 'bp-quiz-s');
  await page.screenshot({ path: testInfo.outputPath('lesson7-2-quiz-s-1920x1080.png') });
  await nextStep(page, 'Backward');

  // Step 2: the backward pass, δ of the output z1.
  await expectOpen(page, 'bp-backward');
  await page.getByTestId('phase-backward').click();
  await expectDone(page, 'bp-backward');
  await expect(page.getByTestId('quiz-delta')).toContainText('δ');
  await expectOpen(page, 'bp-quiz-delta');
  await answer(page, 'delta', deltaZ1);
  await expectDone(page, 'bp-quiz-delta');
  await nextStep(page, 'Update');

  // Step 3: the update of y1, ∂J/∂w(y1←x1).
  await expectOpen(page, 'bp-update');
  await page.getByTestId('phase-update').click();
  await expectDone(page, 'bp-update');
  await page.getByTestId('quiz-parameter').selectOption({ label: 'w(y1←x1)' });
  await expectOpen(page, 'bp-quiz-gradient');
  await answer(page, 'gradient', gradientY1X1);
  await expectDone(page, 'bp-quiz-gradient');
  await expectComplete(page);
  await page.screenshot({ path: testInfo.outputPath('lesson7-3-complete-1920x1080.png') });
  expect(errors).toEqual([]);
});

test('lesson 8: the hyperparameters by experiment — runs compared, momentum, mode, standardising, L2 and a target loss', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await startLesson(page, 'hyperparameters');

  // Step 1: η = 0.1, 1 and 10, reset between; the Runs tab lists the three.
  for (const [i, eta] of ['0.1', '1', '10'].entries()) {
    if (i > 0) await reset(page);
    await setField(page, 'Learning rate', eta);
    await expectOpen(page, 'hp-eta-runs');
    await trainToStop(page);
  }
  await expectDone(page, 'hp-eta-runs');
  await page.getByTestId('dock-tab-runs').click();
  const table = page.getByRole('table', { name: 'Training runs' });
  await expect(table.getByTestId('run-row')).toHaveCount(3);
  await expect(table.locator('td.run-setting')).toHaveText(['10', '1', '0.1']);
  await nextStep(page, 'Momentum');

  // Step 2: α = 0.9, Reset, Train.
  await expectOpen(page, 'hp-momentum');
  await setField(page, 'Momentum α', '0.9');
  await expectDone(page, 'hp-momentum');
  await expectOpen(page, 'hp-momentum-runs');
  await reset(page);
  await trainToStop(page);
  await expectDone(page, 'hp-momentum-runs');
  await nextStep(page, 'Batch, mini-batch, stochastic');

  // Step 3: batch instead of stochastic, Reset, Train.
  await expectOpen(page, 'hp-mode-runs');
  await page.getByLabel('Mode').selectOption('batch');
  await reset(page);
  await trainToStop(page);
  await expectDone(page, 'hp-mode-runs');
  await expect(table.getByTestId('run-row')).toHaveCount(5);
  await nextStep(page, 'Normalisation');

  // Step 4: Normalise: standardise, in the Data section.
  await expectOpen(page, 'hp-normalise');
  await page.getByLabel('Normalisation').selectOption('standardise');
  await expectDone(page, 'hp-normalise');
  await nextStep(page, 'Regularisation and stopping');

  // Step 5: λ₂ = 0.001 and a target loss of 0.05; Reset and train until the target stops the run.
  await expectOpen(page, 'hp-l2');
  await setField(page, 'L2', '0.001');
  await expectDone(page, 'hp-l2');
  await expectOpen(page, 'hp-target');
  await setField(page, 'Target loss', '0.05');
  await expectDone(page, 'hp-target');
  await expectOpen(page, 'hp-target-stop');
  await reset(page);
  await trainToStop(page);
  await expect(page.locator('.message')).toContainText('reached the target 0.05');
  await expectDone(page, 'hp-target-stop');
  await expectComplete(page);
  expect(errors).toEqual([]);
});

test('a teacher’s lesson from a file: opened, completed; a damaged file and an unknown example refused in one sentence', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(appUrl());
  await page.getByTestId('start-learn').click();
  const fileInput = page.getByLabel('Lesson file');
  const problem = page.getByTestId('learn-problem');

  // A damaged file (cut off in the middle): one sentence naming the file and what is wrong.
  const good = readFileSync(TEACHER_LESSON, 'utf8');
  await fileInput.setInputFiles({ name: 'damaged.nnlesson', mimeType: 'application/json', buffer: Buffer.from(good.slice(0, 200)) });
  await expect(problem).toContainText(
    /^damaged\.nnlesson: the file is not valid JSON \(.*\), so it is not an NN Studio lesson or it is damaged\./,
  );
  await expect(page.getByTestId('course')).toBeVisible();

  // A lesson that names an example this NN Studio does not have.
  const unknown = JSON.stringify({ ...JSON.parse(good), start: { example: 'no-such-example' } });
  await fileInput.setInputFiles({ name: 'unknown.nnlesson', mimeType: 'application/json', buffer: Buffer.from(unknown) });
  await expect(problem).toContainText("unknown.nnlesson: start.example: there is no example 'no-such-example'.");
  await problem.getByRole('button', { name: 'Dismiss' }).click();
  await expect(problem).toHaveCount(0);

  // The app is still usable: the teacher's good file opens and is completed.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('learn-open-file').click()]);
  await chooser.setFiles(TEACHER_LESSON);
  await expect(problem).toHaveCount(0);
  await expect(page.getByTestId('lesson')).toContainText('From the file teacher-or.nnlesson');
  await page.getByTestId('lesson-begin').click();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 1 of 2: A larger step');

  // Step 1 (a setting check): η = 0.5 in the side panel.
  await expectOpen(page, 'teacher-eta');
  await setField(page, 'Learning rate', '0.5');
  await expectDone(page, 'teacher-eta');
  await nextStep(page, 'Let the rule learn OR');

  // Step 2 (a trained check and a truth-table check): train until the perceptron rule stops; OR's table.
  const orTable = inputRows('or')
    .map(([a, b]) => String(a || b ? 1 : 0))
    .join('');
  expect(orTable).toBe('0111');
  await expectOpen(page, 'teacher-trained');
  await expectOpen(page, 'teacher-table');
  await expect(page.getByTestId('task-teacher-table-detail')).not.toContainText(`truth table is ${orTable}`);
  await trainToStop(page);
  await expectDone(page, 'teacher-trained');
  await expectDone(page, 'teacher-table');
  await expectComplete(page);
  expect(errors).toEqual([]);
});
