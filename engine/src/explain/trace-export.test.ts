/**
 * The trace's exports, read back: CSV by an RFC 4180 parser written here, JSON by JSON.parse,
 * Markdown and LaTeX by their table structure; every number compared with the trace itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomProblem } from '../../../test/support/random-dag';
import { DEFAULT_HYPERPARAMETERS, bindData, compileOrThrow, datasetFromRows, freshOptimiserState, readParameters } from '../index';
import type { Graph } from '../model/graph';
import { LOSS_NAMES } from '../model/losses';
import { findExample } from '../project/examples';
import { openSession } from '../project/session';
import { formatTraceNumber, traceStep, type StepTrace } from './trace';
import { TRACE_CSV_COLUMNS, escapeLatex, traceToCsv, traceToJson, traceToLatex, traceToMarkdown, type TraceJson } from './trace-export';
import { traceToText } from './trace-text';

/** A hidden unit and an output whose labels need quoting and escaping in every format. */
const AWKWARD_HIDDEN = 'h, "big" | h_1 & 50%#';
const AWKWARD_OUTPUT = 'out*{y}$';

function awkwardTrace(samples: number[] = [0, 1], hyper: Partial<Parameters<typeof traceStep>[5]> = {}): StepTrace {
  const graph: Graph = {
    nodes: [
      { id: 'x1', kind: 'input', feature: 'x1' },
      { id: 'x2', kind: 'input', feature: 'x2' },
      { id: 'h', kind: 'dense', label: AWKWARD_HIDDEN, units: 2, activation: 'tanh', bias: [0.1, -0.3] },
      { id: 'y', kind: 'neuron', label: AWKWARD_OUTPUT, activation: 'sigmoid', bias: 0.05, output: { targets: ['t'] } },
    ],
    edges: [
      { id: 'a', source: 'x1', target: 'h', weight: [[0.5], [-0.7]] },
      { id: 'b', source: 'x2', target: 'h', weight: [[-0.25], [0.9]] },
      { id: 'c', source: 'h', target: 'y', weight: [[1.5, -2]] },
    ],
  };
  const model = compileOrThrow(graph);
  const data = bindData(
    model,
    datasetFromRows(
      ['x1', 'x2'],
      ['t'],
      [
        [1, 0, 1],
        [-0.5, 2, 0],
        [0.3, 0.3, 1],
      ],
    ),
  );
  const memory = freshOptimiserState('sgd', model.paramCount);
  memory.slots[0].forEach((_, p) => (memory.slots[0][p] = 0.01 * (p - 3)));
  return traceStep(model, readParameters(model), memory, data, samples, {
    ...DEFAULT_HYPERPARAMETERS,
    algorithm: 'gradientDescent',
    loss: 'squaredError',
    learningRate: 0.5,
    momentum: 0.9,
    l1: 0.001,
    l2: 0.01,
    ...hyper,
  });
}

function traceOf(example: string, indices: number[], overrides: Record<string, number> = {}): StepTrace {
  const session = openSession(findExample(example)!.create());
  return traceStep(session.model, session.trainer.params, session.trainer.optimiserState, session.train, indices, {
    ...session.trainer.hyperparameters,
    ...overrides,
  });
}

// ─── CSV ──────────────────────────────────────────────────────────────────────────────────────

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes, nothing else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      if (field !== '') throw new Error(`A quote inside an unquoted field at ${i}`);
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('An unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`Text after a closing quote at ${i}`);
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text[i] === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`A bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (text[i] === '\n') {
      throw new Error(`A bare LF at ${i}: records end with CRLF`);
    } else {
      field += text[i++];
    }
  }
  if (field !== '' || record.length > 0) throw new Error('The last record has no CRLF');
  return records;
}

describe('traceToCsv', () => {
  it('the test’s parser reads RFC 4180 and rejects what is not', () => {
    expect(parseCsv('a,"b,""c""",\r\n"x\r\ny",2\r\n')).toEqual([
      ['a', 'b,"c"', ''],
      ['x\r\ny', '2'],
    ]);
    expect(() => parseCsv('a"b\r\n')).toThrow();
    expect(() => parseCsv('a,b\n')).toThrow();
    expect(() => parseCsv('"a"b\r\n')).toThrow();
  });

  it('one row per quantity; names with commas, quotes and line breaks survive; every value is the trace’s exact number', () => {
    const trace = awkwardTrace([0, 2]);
    const label = (n: number) => `row ${n}, "train"\nsplit`;
    const [header, ...rows] = parseCsv(traceToCsv(trace, label));
    expect(header).toEqual([...TRACE_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(TRACE_CSV_COLUMNS.length);
    const records = rows.map(([phase, sample, unit, term, quantity, formula, value]) => ({
      phase,
      sample,
      unit,
      term,
      quantity,
      formula,
      value,
    }));
    const find = (phase: string, sample: string, unit: string, quantity: string, term = '') => {
      const matches = records.filter(
        (r) => r.phase === phase && r.sample === sample && r.unit === unit && r.quantity === quantity && r.term === term,
      );
      expect(matches, `${phase} ${sample} ${unit} ${term} ${quantity}`).toHaveLength(1);
      return matches[0];
    };
    // −0 is written as 0: compare as numbers, where the two are equal.
    const number = (record: { value: string }) => Number(record.value) + 0;

    expect(number(find('settings', '', '', 'η'))).toBe(0.5);
    expect(number(find('settings', '', '', 'α'))).toBe(0.9);
    for (const sample of trace.samples) {
      const name = label(sample.row);
      for (const input of sample.inputs) expect(number(find('input', name, input.feature, 'x_i'))).toBe(input.value + 0);
      for (const unit of sample.forward) {
        for (const t of unit.terms) {
          expect(number(find('forward', name, unit.name, 'w_ji', t.source))).toBe(t.w + 0);
          expect(number(find('forward', name, unit.name, 'w_ji·x_ji', t.source))).toBe(t.product + 0);
        }
        expect(number(find('forward', name, unit.name, 'b_j'))).toBe(unit.bias + 0);
        const s = find('forward', name, unit.name, 's_j');
        expect(number(s)).toBe(unit.s);
        expect(s.formula.endsWith(`= ${formatTraceNumber(unit.s, false)}`)).toBe(true);
        expect(number(find('forward', name, unit.name, 'z_j'))).toBe(unit.z + 0);
      }
      expect(records.filter((r) => r.phase === 'forward' && r.sample === name)).toHaveLength(
        sample.forward.reduce((n, u) => n + 3 * u.terms.length + 3, 0),
      );
      for (const term of sample.lossTerms) expect(number(find('loss', name, term.name, 'J_k', term.target))).toBe(term.value + 0);
      expect(number(find('loss', name, '', 'J'))).toBe(sample.loss + 0);
      for (const b of sample.backward) {
        expect(number(find('backward', name, b.name, 'δ_j'))).toBe(b.delta + 0);
        for (const d of b.downstream) expect(number(find('backward', name, b.name, 'w_kj·δ_k', d.name))).toBe(d.product + 0);
      }
    }
    expect(number(find('loss', '', '', 'J (batch mean)'))).toBe(trace.meanLoss + 0);
    for (const u of trace.updates) {
      const unit = trace.samples[0].forward.find((f) => f.nodeId === u.nodeId && f.unit === u.unit)!.name;
      expect(number(find('update', '', unit, '∂J/∂w', u.name))).toBe(u.gradient + 0);
      expect(number(find('update', '', unit, '−η ∂J/∂w', u.name))).toBe(u.gradientPart + 0);
      expect(number(find('update', '', unit, 'α Δw(r−1)', u.name))).toBe(u.momentumPart + 0);
      // L1 and L2 as two rows, as the JSON has them; by hand: η = 0.5, λ₁ = 0.001, λ₂ = 0.01, biases have none.
      const l1 = number(find('update', '', unit, '−η λ₁ sign w', u.name));
      const l2 = number(find('update', '', unit, '−η λ₂ w', u.name));
      expect([l1, l2]).toEqual([u.l1Part + 0, u.l2Part + 0]);
      if (u.kind === 'bias') expect([l1, l2]).toEqual([0, 0]);
      else {
        expect(l1).toBeCloseTo(-0.5 * 0.001 * Math.sign(u.old), 18);
        expect(l2).toBeCloseTo(-0.5 * 0.01 * u.old, 18);
        expect(l1 * l2).not.toBe(0);
      }
      expect(number(find('update', '', unit, 'Δw', u.name))).toBe(u.change + 0);
      expect(number(find('update', '', unit, 'w old', u.name))).toBe(u.old + 0);
      expect(number(find('update', '', unit, 'w new', u.name))).toBe(u.new + 0);
      // A mini-batch lists each sample's contribution, whose mean is the gradient.
      const rowOf = (position: number) => trace.samples.find((s) => s.index === position)!.row;
      const contributions = u.contributions.map((c) => number(find('update', label(rowOf(c.sample)), unit, '∂J/∂w (sample)', u.name)));
      expect(contributions).toEqual(u.contributions.map((c) => c.gradient + 0));
    }
    // The awkward label came back intact (it is the dense layer's base name).
    expect(records.some((r) => r.unit === `${AWKWARD_HIDDEN}[1]`)).toBe(true);
    expect(records.some((r) => r.quantity === 'regularisation')).toBe(false);
  });

  it('both regularisation rows for every parameter, 0 where the penalty is off', () => {
    const trace = traceOf('perceptron-learns-or', [0]);
    const rows = parseCsv(traceToCsv(trace)).slice(1);
    for (const quantity of ['−η λ₁ sign w', '−η λ₂ w']) {
      const values = rows.filter((r) => r[0] === 'update' && r[4] === quantity).map((r) => r[6]);
      expect(values).toEqual(trace.updates.map(() => '0'));
    }
  });
});

/** −0 as 0, deeply: JSON and CSV write both as 0. */
function withoutNegativeZero<T>(value: T): T {
  if (typeof value === 'number') return (value + 0) as T;
  if (Array.isArray(value)) return value.map(withoutNegativeZero) as T;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => v + 0) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)])) as T;
  return value;
}

// ─── JSON ─────────────────────────────────────────────────────────────────────────────────────

describe('traceToJson', () => {
  it('parses back to the trace: the documented keys in order, exact numbers, typed arrays as arrays, samples named by row', () => {
    const trace = awkwardTrace([0, 1, 2]);
    const parsed = JSON.parse(traceToJson(trace, (n) => `row ${n}`)) as TraceJson;
    expect(Object.keys(parsed)).toEqual([
      'format',
      'version',
      'algorithm',
      'loss',
      'lossFormula',
      'learningRate',
      'momentum',
      'l1',
      'l2',
      'optimiser',
      'meanLoss',
      'samples',
      'units',
      'updates',
      'newParams',
      'newOptimiserState',
    ]);
    expect(parsed.format).toBe('nnstudio-trace');
    expect(parsed.version).toBe(2);
    expect(Array.isArray(parsed.newParams)).toBe(true);
    expect(parsed.newParams).toEqual(withoutNegativeZero(trace.newParams));
    expect(parsed.newOptimiserState).toEqual({
      kind: 'sgd',
      step: trace.newOptimiserState.step,
      slots: { velocity: withoutNegativeZero(trace.newOptimiserState.slots[0]) },
    });
    expect(parsed.newOptimiserState.step).toBe(1); // from a fresh memory
    expect(parsed.optimiser).toEqual(withoutNegativeZero(trace.optimiser));
    expect(parsed.meanLoss).toBe(trace.meanLoss);
    parsed.samples.forEach((sample, n) => {
      const original = trace.samples[n];
      expect(Object.keys(sample)).toEqual(['row', 'split', 'label', 'position', 'inputs', 'forward', 'lossTerms', 'loss', 'backward']);
      expect(sample.label).toBe(`row ${original.row}`);
      expect([sample.row, sample.position, sample.split]).toEqual([original.row, original.index, 'train']);
      expect(sample.forward.map((u) => [u.name, u.s, u.z, u.bias, u.terms.map((t) => [t.w, t.x, t.product])])).toEqual(
        withoutNegativeZero(original.forward.map((u) => [u.name, u.s, u.z, u.bias, u.terms.map((t) => [t.w, t.x, t.product])])),
      );
      expect(sample.backward.map((b) => [b.name, b.role, b.delta, b.phiPrime?.value ?? null, b.sum])).toEqual(
        withoutNegativeZero(original.backward.map((b) => [b.name, b.role, b.delta, b.phiPrime?.value ?? null, b.sum])),
      );
      expect(sample.lossTerms).toEqual(withoutNegativeZero(original.lossTerms));
      expect(sample.loss).toBe(original.loss);
    });
    parsed.updates.forEach((u, p) => {
      const original = trace.updates[p];
      expect(Object.keys(u)).toEqual([
        'param',
        'name',
        'kind',
        'nodeId',
        'unit',
        'unitName',
        'edgeId',
        'sourceUnit',
        'sourceName',
        'contributions',
        'gradient',
        'g',
        'gradientPart',
        'momentumPart',
        'l1Part',
        'l2Part',
        'quantities',
        'change',
        'old',
        'new',
        'locked',
      ]);
      expect([u.param, u.name, u.kind, u.nodeId, u.unit, u.edgeId, u.sourceUnit, u.locked]).toEqual([
        original.param,
        original.name,
        original.kind,
        original.nodeId,
        original.unit,
        original.edgeId,
        original.sourceUnit,
        original.locked,
      ]);
      expect([u.gradient, u.g, u.gradientPart, u.momentumPart, u.change, u.old]).toEqual(
        withoutNegativeZero([original.gradient, original.g, original.gradientPart, original.momentumPart, original.change, original.old]),
      );
      expect(u.quantities).toEqual(original.quantities);
      expect(u.new).toBe(original.new); // bit for bit
      expect(u.contributions).toEqual(
        withoutNegativeZero(
          original.contributions.map((c) => ({
            row: trace.samples.find((s) => s.index === c.sample)!.row,
            delta: c.delta,
            x: c.x,
            gradient: c.gradient,
          })),
        ),
      );
    });
  });

  it('per unit δ of every sample and its mean; Δw in gradient, momentum, L1 and L2 parts that add up to it', () => {
    const trace = awkwardTrace([0, 1, 2]);
    const parsed = JSON.parse(traceToJson(trace)) as TraceJson;
    // Every computing unit once, in topological order, with δ from each sample's backward record.
    expect(parsed.units.map((u) => `${u.nodeId}#${u.unit}`)).toEqual(['h#0', 'h#1', 'y#0']);
    for (const unit of parsed.units) {
      const deltas = trace.samples.map((s) => s.backward.find((b) => b.nodeId === unit.nodeId && b.unit === unit.unit)!.delta);
      expect(unit.delta).toEqual(withoutNegativeZero(deltas));
      expect(unit.deltaMean).toBeCloseTo((deltas[0] + deltas[1] + deltas[2]) / 3, 15);
      expect(deltas.every((d) => d === deltas[0])).toBe(false); // a mean that differs from one sample's δ
    }
    // η = 0.5, λ₁ = 0.001, λ₂ = 0.01 (awkwardTrace): by hand, on weights from inputs and from h; biases have none.
    let regularisedWeights = 0;
    for (const u of parsed.updates) {
      expect(u.gradientPart + u.momentumPart + u.l1Part + u.l2Part).toBeCloseTo(u.change, 15);
      if (u.kind === 'bias') {
        expect([u.l1Part, u.l2Part]).toEqual([0, 0]);
        continue;
      }
      regularisedWeights++;
      expect(u.l1Part).toBeCloseTo(-0.5 * 0.001 * Math.sign(u.old), 18);
      expect(u.l2Part).toBeCloseTo(-0.5 * 0.01 * u.old, 18);
      expect(u.l1Part).not.toBe(0);
    }
    expect(regularisedWeights).toBe(6);
  });

  it('unit indices count from 0, beside the labels the app shows (unit k of a dense layer h is h[k + 1])', () => {
    const trace = awkwardTrace([0]);
    const parsed = JSON.parse(traceToJson(trace)) as TraceJson;
    const label = (nodeId: string, unit: number) =>
      nodeId === 'h' ? `${AWKWARD_HIDDEN}[${unit + 1}]` : nodeId === 'y' ? AWKWARD_OUTPUT : nodeId;
    expect(parsed.units.map((u) => [u.unit, u.name])).toEqual([
      [0, `${AWKWARD_HIDDEN}[1]`],
      [1, `${AWKWARD_HIDDEN}[2]`],
      [0, AWKWARD_OUTPUT],
    ]);
    for (const u of parsed.units) expect(u.name).toBe(label(u.nodeId, u.unit));
    for (const f of parsed.samples[0].forward) expect(f.name).toBe(label(f.nodeId, f.unit));
    for (const b of parsed.samples[0].backward) {
      expect(b.name).toBe(label(b.nodeId, b.unit));
      for (const d of b.downstream) expect(d.name).toBe(label(d.nodeId, d.unit));
    }
    for (const u of parsed.updates) {
      expect(u.unitName).toBe(label(u.nodeId, u.unit));
      if (u.kind === 'bias') expect([u.sourceUnit, u.sourceName, u.name]).toEqual([null, null, `b(${u.unitName})`]);
      else {
        const source = u.edgeId === 'c' ? label('h', u.sourceUnit!) : u.edgeId === 'a' ? 'x1' : 'x2';
        expect(u.sourceName).toBe(source);
        expect(u.name).toBe(`w(${u.unitName}←${source})`);
      }
    }
  });

  it('the perceptron rule has no δ: no units', () => {
    const parsed = JSON.parse(traceToJson(traceOf('perceptron-learns-or', [0, 1]))) as TraceJson;
    expect(parsed.units).toEqual([]);
    expect(parsed.updates.every((u) => u.l1Part === 0 && u.l2Part === 0)).toBe(true);
  });
});

describe('samples are named by their dataset row', () => {
  it('a shuffled training split: each sample is its dataset row, in every format', () => {
    const session = openSession(findExample('iris')!.create());
    const rowIds = session.train.rowIds!;
    // Positions 0 and 5 of the shuffled training split are other rows of the file.
    expect([rowIds[0], rowIds[5]]).not.toEqual([0, 5]);
    const trace = traceStep(
      session.model,
      session.trainer.params,
      session.trainer.optimiserState,
      session.train,
      [0, 5],
      session.trainer.hyperparameters,
    );
    expect(trace.samples.map((s) => s.row)).toEqual([rowIds[0], rowIds[5]]);
    // The row's features are the file's row (normalised as the project says).
    const { full, normalisation } = session.data;
    for (const sample of trace.samples) {
      sample.inputs.forEach((input) => {
        const column = full.features.indexOf(input.feature);
        const { shift, scale } = normalisation.features.find((n) => n.name === input.feature)!;
        expect(input.value).toBeCloseTo((full.x[sample.row * full.features.length + column] - shift) / scale, 12);
      });
    }
    const labels = trace.samples.map((s) => `row ${s.row} (training split)`);
    const json = JSON.parse(traceToJson(trace)) as TraceJson;
    expect(json.samples.map((s) => [s.row, s.label])).toEqual(trace.samples.map((s, n) => [s.row, labels[n]]));
    expect(json.updates[0].contributions.map((c) => c.row)).toEqual([rowIds[0], rowIds[5]]);
    const csv = parseCsv(traceToCsv(trace));
    expect(
      new Set(
        csv
          .slice(1)
          .map((r) => r[1])
          .filter((label) => label !== ''),
      ),
    ).toEqual(new Set(labels));
    for (const label of labels) {
      expect(traceToMarkdown(trace)).toContain(`## ${label}`);
      expect(traceToLatex(trace)).toContain(`\\textbf{${label}.}`);
    }
  });
});

// ─── Text ─────────────────────────────────────────────────────────────────────────────────────

describe('traceToText', () => {
  it('Δw with its L1 and L2 parts named apart, as the JSON has them; a part that is 0 left out', () => {
    const trace = awkwardTrace([0], { momentum: 0 });
    const lines = traceToText(trace).split('\n');
    expect(lines.join('\n')).not.toContain('regularisation');
    for (const u of trace.updates) {
      const line = lines.find((l) => l.startsWith(`   ${u.name}: `))!;
      // By hand: η = 0.5, λ₁ = 0.001, λ₂ = 0.01 on weights, nothing on biases; no momentum.
      const parts = [formatTraceNumber(u.gradientPart, false)];
      if (u.kind === 'weight')
        parts.push(`${formatTraceNumber(-0.5 * 0.001 * Math.sign(u.old))} (L1)`, `${formatTraceNumber(-0.5 * 0.01 * u.old)} (L2)`);
      const change = parts.length > 1 ? `${parts.join(' + ')} = ${formatTraceNumber(u.change, false)}` : formatTraceNumber(u.change, false);
      expect(line).toContain(`Δ${u.kind === 'bias' ? 'b' : 'w'} = ${change},  `);
    }
    expect(trace.updates.filter((u) => u.kind === 'weight')).toHaveLength(6);
  });
});

// ─── Markdown ─────────────────────────────────────────────────────────────────────────────────

/** The cells of a Markdown table row, splitting on `|` that are not escaped. */
function markdownCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The tables under each `###`/`##` heading: heading → body rows (header and rule removed). */
function markdownTables(markdown: string): { heading: string; rows: string[][]; header: string[] }[] {
  const tables: { heading: string; rows: string[][]; header: string[] }[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('#')) heading = lines[i];
    if (lines[i].startsWith('|') && lines[i + 1]?.startsWith('|---')) {
      const header = markdownCells(lines[i]);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(markdownCells(lines[i]));
      tables.push({ heading, header, rows });
    }
  }
  return tables;
}

describe('traceToMarkdown', () => {
  it('per sample a forward, loss and backward table with a row per unit, then an update row per parameter; numbers as the inspector rounds them', () => {
    const trace = awkwardTrace([0, 1]);
    const markdown = traceToMarkdown(trace);
    const tables = markdownTables(markdown);
    expect(tables).toHaveLength(3 * trace.samples.length + 1);
    for (const table of tables) for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    trace.samples.forEach((sample, n) => {
      const [forward, loss, backward] = tables.slice(3 * n, 3 * n + 3);
      expect(forward.heading).toMatch(/^### 1\. Forward: s_j = Σ_i w_ji x_ji \+ b_j, z_j = φ\(s_j\)/);
      expect(forward.rows).toHaveLength(sample.forward.length);
      forward.rows.forEach((row, j) => {
        const unit = sample.forward[j];
        expect(row[1].endsWith(`= ${formatTraceNumber(unit.s, false)}`)).toBe(true);
        expect(row[2].endsWith(`= ${formatTraceNumber(unit.z, false)}`)).toBe(true);
        for (const t of unit.terms) expect(row[1]).toContain(`${formatTraceNumber(t.w)}·${formatTraceNumber(t.x)}`);
      });
      expect(loss.heading).toMatch(/^### 2\. Loss: J = ½ Σ_k \(t_k − z_k\)²/);
      expect(loss.rows).toHaveLength(sample.lossTerms.length);
      expect(backward.heading).toMatch(/^### 3\. Backward: δ_j = −∂J\/∂s_j/);
      expect(backward.rows).toHaveLength(sample.backward.length);
      backward.rows.forEach((row, j) => {
        const b = sample.backward[j];
        expect(row[1]).toBe(b.role);
        expect(row[2]).toMatch(
          b.role === 'output'
            ? /^δ_k = \(t_k − z_k\) φ′\(s_k\), φ′\(s\) = z\(1 − z\)$/
            : /^δ_j = φ′\(s_j\) Σ_k w_kj δ_k, φ′\(s\) = 1 − z²$/,
        );
        expect(row[3].endsWith(`= ${formatTraceNumber(b.delta, false)}`)).toBe(true);
      });
    });
    const update = tables[tables.length - 1];
    expect(update.heading).toMatch(/^## 4\. Update: Δw_ji = −η ∂J\/∂w_ji \+ α Δw_ji\(r−1\)/);
    // λ₁ and λ₂ are both set (awkwardTrace): each has its own column, as in the JSON.
    expect(update.header).toEqual([
      'parameter',
      '∂J/∂w_ji',
      '−η ∂J/∂w_ji',
      'α Δw_ji(r−1)',
      'L1: −η λ₁ sign w_ji',
      'L2: −η λ₂ w_ji',
      'Δw_ji',
      'old → new',
    ]);
    expect(update.rows).toHaveLength(trace.updates.length);
    update.rows.forEach((row, p) => {
      const u = trace.updates[p];
      expect(row[1]).toBe(
        `(${u.contributions.map((c) => formatTraceNumber(c.gradient)).join(' + ')}) / 2 = ${formatTraceNumber(u.gradient, false)}`,
      );
      // By hand: η = 0.5, λ₁ = 0.001, λ₂ = 0.01 on weights, nothing on biases.
      const l1 = u.kind === 'bias' ? 0 : -0.5 * 0.001 * Math.sign(u.old);
      const l2 = u.kind === 'bias' ? 0 : -0.5 * 0.01 * u.old;
      expect([row[4], row[5]]).toEqual([formatTraceNumber(l1, false), formatTraceNumber(l2, false)]);
      const parts = [formatTraceNumber(u.gradientPart, false)];
      if (u.momentumPart !== 0) parts.push(formatTraceNumber(u.momentumPart));
      if (u.kind === 'weight') parts.push(formatTraceNumber(l1), formatTraceNumber(l2));
      expect(row[6]).toBe(`${parts.join(' + ')} = ${formatTraceNumber(u.change, false)}`);
      expect(row[7]).toBe(`${formatTraceNumber(u.old, false)} → ${formatTraceNumber(u.new, false)}`);
    });
    expect(trace.updates.some((u) => u.kind === 'weight')).toBe(true);
    // The label's `|`, `_` and `*` are escaped so they neither split cells nor start emphasis.
    expect(markdown).toContain('| h, "big" \\| h\\_1 & 50%\\#\\[1\\] |');
    expect(markdown).toContain('| out\\*{y}\\$ |');
    expect(markdown).toContain('Mean loss over the batch: J = ');
  });

  it('the 3-2-1 example: the lecture’s numbers, and the output rule with φ′ = z(1 − z)', () => {
    const trace = traceOf('three-two-one', [0]);
    const markdown = traceToMarkdown(trace);
    expect(markdown).toContain('| y1 | s_y1 = 0.1·1 + (−0.2)·0 + 0.3·1 + 0.1 = 0.5 | z_y1 = sigmoid(0.5) = 0.6225 |');
    expect(markdown).toContain(`| z1 | output | δ_k = (t_k − z_k) φ′(s_k), φ′(s) = z(1 − z) | δ_z1 = (1 − 0.582)·0.2433 = 0.1017 |`);
    // No L1 nor L2 in this example: no columns of zeros for them.
    expect(markdownTables(markdown).at(-1)!.header).toEqual(['parameter', '∂J/∂w_ji', '−η ∂J/∂w_ji', 'α Δw_ji(r−1)', 'Δw_ji', 'old → new']);
    expect(markdown).toContain('| w(z1←y1) | −0.06329 | 0.03164 | 0 | 0.03164 | 0.5 → 0.5316 |');
    expect(markdown).not.toContain('Mean loss over the batch');
  });

  it('softmax with cross-entropy: φ′ cancels; the perceptron rule: no backward table', () => {
    const iris = traceToMarkdown(traceOf('iris', [0]));
    expect(iris).toContain('δ_k = t_k − z_k (φ′ cancels with cross-entropy)');
    const perceptron = traceOf('perceptron-learns-or', [0, 1, 2, 3]);
    const markdown = traceToMarkdown(perceptron);
    expect(markdown).not.toContain('### 3. Backward');
    expect(markdown).toContain('## Update: Δw_ji = η (t_j − y_j) x_ji (perceptron rule)');
    expect(markdownTables(markdown).at(-1)!.rows).toHaveLength(perceptron.updates.length);
  });
});

// ─── LaTeX ────────────────────────────────────────────────────────────────────────────────────

/** Checks what a LaTeX compiler would choke on first; returns the problems found. */
function latexProblems(latex: string): string[] {
  const problems: string[] = [];
  const body = latex
    .split('\n')
    .filter((l) => !l.startsWith('%'))
    .join('\n')
    .replace(/\\\\/g, ' ') // row ends
    .replace(/\\[{}$&#%_]/g, ''); // escaped specials
  let depth = 0;
  for (const c of body) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth < 0) problems.push('a } without its {');
  }
  if (depth !== 0) problems.push(`${depth} unclosed {`);
  const stack: string[] = [];
  for (const [, kind, name] of body.matchAll(/\\(begin|end)\{([^}]*)\}/g)) {
    if (kind === 'begin') stack.push(name);
    else if (stack.pop() !== name) problems.push(`\\end{${name}} does not close its environment`);
  }
  if (stack.length) problems.push(`unclosed ${stack.join(', ')}`);
  // Outside align*, math is inline $…$: an odd count leaves math mode open.
  const dollars = body.replace(/\\text\{[^{}]*\}/g, '').match(/\$/g)?.length ?? 0;
  if (dollars % 2) problems.push('an odd number of $');
  if (/[_#%&]/.test(body.replace(/\$[^$]*\$/g, '').replace(/\\begin\{(tabular|align\*)\}[\s\S]*?\\end\{\1\}/g, '')))
    problems.push('an unescaped special character in text');
  if (/[^\x00-\x7f]/.test(latex)) problems.push('a character pdflatex cannot typeset without packages');
  // Every tabular row has as many cells as its column specification.
  for (const [, spec, rows] of latex.matchAll(/\\begin\{tabular\}\{(l+)\}([\s\S]*?)\\end\{tabular\}/g)) {
    for (const row of rows.split('\n').filter((r) => r.endsWith('\\\\'))) {
      const cells = row.replace(/\\&/g, '').split('&').length;
      if (cells !== spec.length) problems.push(`a row with ${cells} cells in a ${spec.length}-column table: ${row}`);
    }
  }
  return problems;
}

describe('traceToLatex', () => {
  it('the checker catches what would not compile', () => {
    expect(latexProblems('\\begin{tabular}{ll}\n$a$ & $b$ \\\\\n\\end{tabular}')).toEqual([]);
    expect(latexProblems('{')).not.toEqual([]);
    expect(latexProblems('\\begin{align*}\\end{tabular}')).not.toEqual([]);
    expect(latexProblems('a_b')).not.toEqual([]);
    expect(latexProblems('$x')).not.toEqual([]);
    expect(latexProblems('δ')).not.toEqual([]);
    expect(latexProblems('\\begin{tabular}{ll}\n$a$ \\\\\n\\end{tabular}')).not.toEqual([]);
  });

  it('a compilable fragment: balanced, escaped, ASCII, the lecture’s symbols, a row per unit and per parameter', () => {
    const trace = awkwardTrace([0, 1]);
    const latex = traceToLatex(trace, (n) => `row_${n} 100% #1 & more`);
    expect(latexProblems(latex)).toEqual([]);
    expect(latex).toContain(`\\text{${escapeLatex(`${AWKWARD_HIDDEN}[1]`)}}`);
    expect(escapeLatex(AWKWARD_HIDDEN)).toBe('h, "big" | h\\_1 \\& 50\\%\\#');
    expect(escapeLatex('out*{y}$ ~^\\')).toBe('out*\\{y\\}\\$ \\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
    expect(latex).toContain('row\\_0 100\\% \\#1 \\& more');
    for (const symbol of ['\\delta_{', '\\eta', "\\varphi'", '\\Delta w_{ji}', 's_{\\text{', 'z_{\\text{', '\\begin{align*}'])
      expect(latex).toContain(symbol);
    expect(latex).not.toMatch(/[−·]/);
    // Tables: forward, loss and backward per sample, one update table.
    const tables = [...latex.matchAll(/\\begin\{tabular\}\{(l+)\}([\s\S]*?)\\end\{tabular\}/g)].map(([, , rows]) =>
      rows.split('\n').filter((r) => r.startsWith('$')),
    );
    expect(tables).toHaveLength(3 * trace.samples.length + 1);
    trace.samples.forEach((sample, n) => {
      expect(tables[3 * n]).toHaveLength(sample.forward.length);
      expect(tables[3 * n + 1]).toHaveLength(sample.lossTerms.length);
      expect(tables[3 * n + 2]).toHaveLength(sample.backward.length);
      tables[3 * n].forEach((row, j) => expect(row).toContain(`= ${formatTraceNumber(sample.forward[j].s, false).replace('−', '-')}$ &`));
    });
    expect(tables[tables.length - 1]).toHaveLength(trace.updates.length);
    expect(latex).toContain('\\frac{'); // the mini-batch's mean of contributions
    // L1 and L2 in columns of their own, each weight's parts in them and in its Δw.
    expect(latex).toContain(
      ' & L1: $-\\eta \\lambda_1 \\operatorname{sign} w_{ji}$ & L2: $-\\eta \\lambda_2 w_{ji}$ & $\\Delta w_{ji}$ & ',
    );
    expect(latex).not.toContain('regularisation');
    trace.updates.forEach((u, p) => {
      const cells = tables[tables.length - 1][p].split(' & ').map((c) => c.slice(1, -1));
      // By hand: η = 0.5, λ₁ = 0.001, λ₂ = 0.01 on weights, nothing on biases; 4 significant digits.
      const l1 = u.kind === 'bias' ? 0 : -0.5 * 0.001 * Math.sign(u.old);
      const l2 = u.kind === 'bias' ? 0 : -0.5 * 0.01 * u.old;
      expect(Number(cells[4])).toBe(Number(l1.toPrecision(4)));
      expect(Number(cells[5])).toBe(Number(l2.toPrecision(4)));
      // Δw lists each non-zero part: gradient, momentum, L1, L2.
      const parts = 1 + (u.momentumPart !== 0 ? 1 : 0) + (u.kind === 'weight' ? 2 : 0);
      expect(cells[6].split(' = ')[0].split(' + ')).toHaveLength(parts);
    });
  });

  it('small and negative numbers in math form; the 3-2-1 example’s rows', () => {
    const latex = traceToLatex(traceOf('three-two-one', [0]));
    expect(latexProblems(latex)).toEqual([]);
    expect(latex).toContain('$s_{\\text{y2}} = 0.4 \\cdot 1 + 0.1 \\cdot 0 + (-0.5) \\cdot 1 + (-0.1) = -0.2$');
    expect(latex).toContain('$w(\\text{z1} \\leftarrow \\text{y1})$ & $-0.06329$');
    const tiny = awkwardTrace([0], { learningRate: 1e-9 });
    expect(traceToLatex(tiny)).toMatch(/\\times 10\^\{-\d+\}/);
    expect(latexProblems(traceToLatex(tiny))).toEqual([]);
  });

  it('every kind of network: random DAGs (softmax hidden layers too), iris, a perceptron', () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const loss of LOSS_NAMES) {
        const { model, params, data } = randomProblem(seed, loss, 3);
        const trace = traceStep(model, params, freshOptimiserState('sgd', model.paramCount), data, [0, 1], {
          ...DEFAULT_HYPERPARAMETERS,
          algorithm: 'gradientDescent',
          loss,
          learningRate: 0.1,
          momentum: 0,
          l1: 0,
          l2: 0,
        });
        const problems = latexProblems(traceToLatex(trace));
        if (problems.length) throw new Error(`seed ${seed} ${loss}: ${problems.join('; ')}`);
        const md = markdownTables(traceToMarkdown(trace));
        expect(md.at(-1)!.rows).toHaveLength(trace.updates.length);
        expect(parseCsv(traceToCsv(trace)).length).toBeGreaterThan(trace.updates.length);
      }
    }
    expect(latexProblems(traceToLatex(traceOf('iris', [0, 1, 2], { momentum: 0.9, l2: 0.01 })))).toEqual([]);
    expect(latexProblems(traceToLatex(traceOf('perceptron-learns-or', [0])))).toEqual([]);
  });

  const pdflatex = spawnSync('pdflatex', ['-version'], { encoding: 'utf8' });
  it.skipIf(pdflatex.status !== 0)('compiles with pdflatex (skipped where pdflatex is not installed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-latex-'));
    try {
      const body = [traceToLatex(awkwardTrace([0, 1])), traceToLatex(traceOf('iris', [0]))].join('\n\\clearpage\n');
      writeFileSync(
        join(dir, 'trace.tex'),
        `\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n${body}\n\\end{document}\n`,
      );
      const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'trace.tex'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stdout).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
