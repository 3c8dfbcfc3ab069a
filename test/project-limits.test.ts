/**
 * A project file is held to NN Studio's limits before it is materialised: the file's size before
 * it is read, then one pass over the text (syntax, nesting, how many numbers the graph, the data
 * and the history hold) before JSON.parse builds anything. What is refused is refused in one
 * sentence naming the limit; what quotes the file escapes its control characters. And the limits
 * are ones a project can reach and still be saved and opened again.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EXAMPLES,
  LIMITS,
  MAX_NOISE,
  TrainingSetupError,
  compileGraph,
  openSession,
  parseProject,
  serialiseProject,
  type Project,
} from '../engine/src/index';
import { precheckProjectText } from '../engine/src/project/precheck';
import { runCliCaptured } from './support/run-cli';
import { readProjectFile } from '../src-main/files/project-file';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnstudio-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const example = (name = 'xor-sigmoid') => EXAMPLES.find((e) => e.name === name)!.create();
const fmt = (n: number) => n.toLocaleString('en');

/** A compact project text with `insert` in place of the JSON string "HOLE" somewhere in `doc`. */
function withHole(doc: unknown, insert: string): string {
  const text = JSON.stringify(doc);
  expect(text).toContain('"HOLE"');
  return text.replace('"HOLE"', insert);
}

/** `count` numbers separated by commas, as text, without building an array of them. */
const numbers = (count: number, value = '0.5') => `${value},`.repeat(count - 1) + value;

/** One sentence: no raw control character, no line break, not a megabyte long. */
function expectOneSafeSentence(message: string) {
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  expect(message.length).toBeLessThan(400);
}

/** Loads, and tells whether JSON.parse was asked to build the document. */
function loadWatchingParse(text: string) {
  const parse = vi.spyOn(JSON, 'parse');
  const result = parseProject(text);
  const parsed = parse.mock.calls.length > 0;
  parse.mockRestore();
  return { result, parsed };
}

describe('an oversized file is refused before JSON.parse builds it', () => {
  it('a network with more numbers than the parameter limit allows', () => {
    // One 2,010 × 2,010 matrix: 4,040,100 weights, past the limit and past the pre-check's
    // allowance for positions and unit counts (3 per node).
    const doc = { ...example(), graph: { nodes: [], edges: [{ id: 'e', source: 'a', target: 'b', weight: 'HOLE' }] } };
    const row = `[${numbers(2010)}]`;
    const text = withHole(doc, `[${`${row},`.repeat(2009)}${row}]`);
    const { result, parsed } = loadWatchingParse(text);
    expect(parsed).toBe(false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.path).toBe('graph');
    expect(result.error.message).toContain(`limit of ${fmt(LIMITS.parameters)} parameters`);
    expectOneSafeSentence(result.error.message);
  });

  it('a dataset with more numbers than the cell limit allows', () => {
    const doc = { ...example(), dataset: { kind: 'inline', features: ['x1', 'x2'], targets: ['y'], rows: 'HOLE' } };
    const rows = Math.ceil((LIMITS.datasetCells + 10) / 3);
    const text = withHole(doc, `[${'[0.5,0.25,1],'.repeat(rows - 1)}[0.5,0.25,1]]`);
    const { result, parsed } = loadWatchingParse(text);
    expect(parsed).toBe(false);
    expect(!result.ok && result.error.path).toBe('dataset');
    expect(!result.ok && result.error.message).toContain(`limit of ${fmt(LIMITS.datasetCells)} cells`);
  });

  it('a training section with more numbers than a history at the epoch limit and a state at the parameter limit have', () => {
    const doc = { ...example(), training: { epoch: 1, history: 'HOLE' } };
    // The state's parameter trees: Adam's two slots, the most an optimiser keeps, and early stopping's best weights.
    const trees = 3;
    const { result, parsed } = loadWatchingParse(
      withHole(doc, `[${numbers(5 * LIMITS.historyEpochs + trees * LIMITS.parameters + 65, '1')}]`),
    );
    expect(parsed).toBe(false);
    expect(!result.ok && result.error.path).toBe('training');
    expect(!result.ok && result.error.message).toContain(`limit of ${fmt(LIMITS.historyEpochs)} epochs`);
  });

  it('millions of empty strings, deep nesting and a huge text', () => {
    const strings = loadWatchingParse(withHole({ ...example(), view: { selection: 'HOLE' } }, `[${'"",'.repeat(2_000_000)}""]`));
    expect(strings.parsed).toBe(false);
    expect(!strings.result.ok && strings.result.error.message).toMatch(
      /more than [\d,]+ values outside the graph, the data and the history/,
    );

    const deep = loadWatchingParse(withHole({ ...example(), view: { extra: 'HOLE' } }, `${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    expect(deep.parsed).toBe(false);
    expect(!deep.result.ok && deep.result.error.message).toMatch(/nests values more than 64 levels deep \(at line 1, column \d+\)/);

    const long = loadWatchingParse(JSON.stringify({ ...example(), description: 'x'.repeat(5_000_000) }));
    expect(long.parsed).toBe(false);
    expect(!long.result.ok && long.result.error.message).toMatch(/longer than 10,000 characters/);
  });

  it('text over the character limit is refused on its length alone', () => {
    const text = ' '.repeat(LIMITS.fileChars + 1);
    const { result, parsed } = loadWatchingParse(text);
    expect(parsed).toBe(false);
    expect(!result.ok && result.error.message).toContain(`up to ${fmt(LIMITS.fileChars)}`);
  });

  it('a file over the byte limit is refused by its size, before it is read', async () => {
    const path = join(dir, 'huge.nnproj');
    writeFileSync(path, '');
    truncateSync(path, LIMITS.fileBytes + 1); // sparse: no disk used, and nothing to read
    const parse = vi.spyOn(JSON, 'parse');
    await expect(readProjectFile(path)).rejects.toThrow(
      `the file is too large to be a project (${fmt(LIMITS.fileBytes + 1)} bytes; NN Studio opens projects of up to ${fmt(LIMITS.fileBytes)})`,
    );
    expect(parse).not.toHaveBeenCalled();
  });
});

describe('the limits are ones a project can reach', () => {
  it('the pre-check lets through a dataset of exactly the cell limit, and a history of exactly the epoch limit', () => {
    const cells = {
      ...example(),
      dataset: { kind: 'inline', features: Array.from({ length: 9 }, (_, c) => `x${c}`), targets: ['y'], rows: 'HOLE' },
    };
    const row = `[${numbers(10, '-1.2345678901234567e-123')}]`;
    expect(precheckProjectText(withHole(cells, `[${`${row},`.repeat(LIMITS.datasetCells / 10 - 1)}${row}]`))).toBeNull();

    const record = JSON.stringify({
      epoch: 1_000_000,
      loss: 0.12345678901234568,
      accuracy: 0.5,
      validationLoss: 0.25,
      validationAccuracy: 0.75,
    });
    const history = { ...example(), training: { epoch: LIMITS.historyEpochs, history: 'HOLE' } };
    expect(precheckProjectText(withHole(history, `[${`${record},`.repeat(LIMITS.historyEpochs - 1)}${record}]`))).toBeNull();
  });

  it('a dataset of exactly the cell limit loads; one row more is refused, naming the limit', () => {
    const base = example();
    const rows = Array.from({ length: LIMITS.datasetCells / 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => (r * 10 + c) % 7));
    const project: Project = {
      ...base,
      dataset: { kind: 'inline', features: Array.from({ length: 9 }, (_, c) => `x${c}`), targets: ['y'], rows },
    };
    const text = serialiseProject(project);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fileChars);
    const loaded = parseProject(text);
    expect(loaded.ok && loaded.project.dataset.kind === 'inline' && loaded.project.dataset.rows.length).toBe(LIMITS.datasetCells / 10);

    const over = parseProject(JSON.stringify({ ...project, dataset: { ...project.dataset, rows: [...rows, rows[0]] } }));
    expect(!over.ok && over.error.message).toContain(fmt(LIMITS.datasetCells));
  });

  it('saving refuses, in one sentence, a project too large for a file, rather than writing one that would not open', () => {
    // A valid project whose weights, momentum memory and best weights, all long numbers, need
    // more characters than a file holds (a history no longer can: it is thinned).
    const base = example();
    const big = (units: number) => Array.from({ length: units }, () => -1.2345678901234567e-123);
    const graph: Project['graph'] = {
      nodes: [
        ...base.graph.nodes,
        { id: 'wide', kind: 'dense', units: 2000, activation: 'tanh', bias: big(2000) },
        { id: 'wide2', kind: 'dense', units: 1900, activation: 'tanh', bias: big(1900) },
      ],
      edges: [
        ...base.graph.edges,
        { id: 'wide->wide2', source: 'wide', target: 'wide2', weight: Array.from({ length: 1900 }, () => big(2000)) },
      ],
    };
    const tree = {
      weights: Object.fromEntries(graph.edges.map((e) => [e.id, e.weight])),
      biases: Object.fromEntries(graph.nodes.flatMap((n) => ('bias' in n ? [[n.id, n.bias]] : []))),
    };
    const project: Project = {
      ...base,
      graph,
      training: {
        epoch: 10,
        history: [],
        optimiser: { kind: 'sgd', step: 40, slots: { velocity: tree } },
        rng: [1, 2, 3, 4],
        position: { samples: 4, next: 0, shuffled: true, lossSum: 0, correct: 0, misclassified: 0 },
        earlyStopping: { bestLoss: 0.25, bestEpoch: 3, epochsSinceBest: 1, bestWeights: tree },
      },
    };
    let error: unknown;
    try {
      serialiseProject(project);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(/^the project is too large to save \([\d,]+ characters; a project file holds at most/);
    expectOneSafeSentence((error as Error).message);
  });
});

describe('the pre-check agrees with JSON.parse', () => {
  const accepts = (text: string) => precheckProjectText(text) === null;
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('on arbitrary JSON, and on JSON with a character inserted, deleted or replaced', () => {
    const json = fc.oneof(
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v, null, 2)),
    );
    const characters = fc.constantFrom(...'{}[]:,"\\ \n\t\r0123456789-+.eEtfnalsru\u0000\u0007\u001b\u00a0\ufeffx'.split(''));
    fc.assert(
      fc.property(json, fc.nat(), characters, fc.constantFrom('insert', 'delete', 'replace', 'none'), (text, at, c, how) => {
        const k = text.length === 0 ? 0 : at % text.length;
        const mutated =
          how === 'insert'
            ? text.slice(0, k) + c + text.slice(k)
            : how === 'delete'
              ? text.slice(0, k) + text.slice(k + 1)
              : how === 'replace'
                ? text.slice(0, k) + c + text.slice(k + 1)
                : text;
        expect(accepts(mutated)).toBe(parses(mutated));
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(accepts(text)).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('messages that quote the file escape it', () => {
  it('terminal escapes, BEL and NUL in a bad token are escaped, and the message stays one line', () => {
    for (const junk of ['\u001b]0;owned\u0007', '\u001b[2J\u001b[H', '\u0000\u0000', '\u009b31m', '\u202eevil']) {
      const result = parseProject(`{"format": "nnstudio-project",\n"version": 1, "name": ${junk}x}`);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expectOneSafeSentence(result.error.message);
      expect(result.error.message).toMatch(
        /^the file is not valid JSON \(unexpected '\\u00(1b|00|9b)'|^the file is not valid JSON \(unexpected '\\u202e'/,
      );
      expect(result.error.message).toContain('at line 2, column');
    }
  });

  it('a raw control character or newline inside a string is named, not echoed', () => {
    const bell = parseProject('{"name": "ring\u0007"}');
    expect(!bell.ok && bell.error.message).toContain('a raw control character (U+0007) in a string at line 1, column 15');
    const newline = parseProject('{"name": "two\nlines"}');
    expect(!newline.ok && newline.error.message).toContain('(U+000A) in a string at line 1, column 14');
  });

  it('ids and names from the file are escaped and cut short in load and compile errors', () => {
    const doc = JSON.parse(serialiseProject(example()));
    const evil = `\u001b]0;owned\u0007${'x'.repeat(150)}`;
    doc.graph.nodes[2].id = evil;
    doc.graph.nodes[3].id = evil;
    const duplicate = parseProject(JSON.stringify(doc));
    expect(duplicate.ok).toBe(false);
    if (!duplicate.ok) {
      expectOneSafeSentence(duplicate.error.message);
      expect(duplicate.error.message).toContain("another node already has the id '\\u001b]0;owned\\u0007xxx");
      expect(duplicate.error.message).toContain('more characters)');
    }
    const graph = example().graph;
    graph.edges[0].source = 'gone\u001b[2J\nnext';
    const compiled = compileGraph(graph);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) {
      for (const issue of compiled.errors) expectOneSafeSentence(issue.message);
      expect(compiled.errors.map((e) => e.message).join(' ')).toContain("'gone\\u001b[2J\\nnext'");
    }
  });

  it('a record key from the file is escaped in the path', () => {
    const doc = JSON.parse(serialiseProject(example()));
    doc.view.panels = { 'a\u001b[2J': 'yes' };
    const result = parseProject(JSON.stringify(doc));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.path).toBe('view.panels.a\\u001b[2J');
      expectOneSafeSentence(result.error.message);
    }
  });
});

describe('a byte-order mark', () => {
  it('at the start of a file is accepted, as editors on Windows write one', async () => {
    const text = serialiseProject(example());
    const result = parseProject(`\ufeff${text}`);
    expect(result.ok && serialiseProject(result.project)).toBe(text);
    const path = join(dir, 'bom.nnproj');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect((await readProjectFile(path)).project.name).toBe(example().name);
  });

  it('anywhere else is still an error', () => {
    const result = parseProject(`{\ufeff}`);
    expect(!result.ok && result.error.message).toMatch(/not valid JSON \(unexpected '\ufeff' at line 1, column 2/);
  });
});

describe('implausible values that would end as an internal error', () => {
  const cli = (...argv: string[]) => runCliCaptured(dir, ...argv);

  it(`a built-in dataset's noise of 1e308 is refused at load, naming the bound of ${MAX_NOISE}`, async () => {
    const project = example('spiral');
    const path = join(dir, 'noisy.nnproj');
    const text = serialiseProject(project).replace(/"noise": [^,]+,/, '"noise": 1e308,');
    expect(text).toContain('"noise": 1e308,');
    writeFileSync(path, text);
    for (const command of ['eval', 'train']) {
      const result = await cli(command, 'noisy.nnproj');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`nnstudio: ${path}: dataset.noise: must be from 0 to ${MAX_NOISE}.\n`);
    }
  });

  it('the largest noise allowed still gives finite data that trains', () => {
    const project = example('spiral');
    const noisy: Project = { ...project, dataset: { ...project.dataset, noise: MAX_NOISE } as Project['dataset'] };
    const loaded = parseProject(serialiseProject(noisy));
    expect(loaded.ok).toBe(true);
    const session = openSession(noisy);
    expect(Array.from(session.train.x).every(Number.isFinite)).toBe(true);
    expect(session.trainer.step('epoch').epochsCompleted).toHaveLength(1);
  });

  it('a split that leaves no training rows is a setup error (exit 1), not an internal error', async () => {
    const project = example('xor-sigmoid');
    const split: Project = { ...project, split: { train: 0.01, validation: 0.99, test: 0, seed: 1 } };
    // The worker and the app report a TrainingSetupError to the user, like a graph error.
    expect(() => openSession(split)).toThrow(TrainingSetupError);
    const path = join(dir, 'split.nnproj');
    writeFileSync(path, serialiseProject(split));
    const result = await cli('eval', 'split.nnproj');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^nnstudio: With 4 samples the training split would be empty; give it a larger share\.\n$/);
  });
});
