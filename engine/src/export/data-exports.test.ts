/**
 * Weights JSON, history CSV, the SVG picture and the protobuf encoder, each read back by an
 * independent reader and compared with the project it came from.
 */
import { describe, expect, it } from 'vitest';
import { compileOrThrow, readParameters } from '../compile/compile';
import type { Graph } from '../model/graph';
import { EXAMPLES, newProject } from '../project/examples';
import { openSession, projectFromSession } from '../project/session';
import type { Project } from '../project/schema';
import { exportHistoryCsv, HISTORY_COLUMNS } from './history-csv';
import { exportProject } from './export-project';
import { EXPORT_FORMATS, isExportFormat } from './index';
import { escapeXml, exportNetworkSvg, WEIGHT_COLOURS, edgeWidthFor } from './network-svg';
import { ProtoWriter, utf8 } from './protobuf';
import { exportWeightsJson, weightsDocument, type WeightsDocument } from './weights-json';

function trainedIris(epochs = 4): Project {
  const project = EXAMPLES.find((e) => e.name === 'iris')!.create();
  const session = openSession(project);
  session.trainer.run({ epochs });
  return projectFromSession(project, session);
}

describe('weights JSON', () => {
  it('reads back to the same weights, biases and normalisation, by name', () => {
    const project = trainedIris();
    const doc = JSON.parse(exportWeightsJson(project)) as WeightsDocument;
    expect(doc).toMatchObject({ format: 'nnstudio-weights', version: 1, project: 'Iris', epoch: 4, normalisation: 'standardise' });
    for (const edge of project.graph.edges) {
      expect(doc.edges.find((e) => e.id === edge.id)?.weight).toEqual(edge.weight);
    }
    for (const node of project.graph.nodes) {
      if (node.kind !== 'dense') continue;
      expect(doc.nodes.find((n) => n.id === node.id)?.bias).toEqual(node.bias);
    }
    expect(doc.inputs.map((i) => ({ name: i.feature, shift: i.shift, scale: i.scale }))).toEqual(project.normalisation.fitted);
    const model = compileOrThrow(project.graph);
    expect(doc.parameters.map((p) => p.value)).toEqual(Array.from(readParameters(model)));
    expect(doc.parameters[0].name).toBe('w(hidden[1]←sepal_length)');
    expect(doc.nodes.find((n) => n.id === 'species')?.targets).toEqual(['species=setosa', 'species=versicolor', 'species=virginica']);
  });

  it('scalar edges read back as 1×1 matrices, locks are kept, and the text stays readable', () => {
    const project = EXAMPLES.find((e) => e.name === 'xor-sigmoid')!.create();
    project.graph.edges[0].locked = true;
    const text = exportWeightsJson(project);
    const doc = JSON.parse(text) as WeightsDocument;
    expect(doc.edges[0]).toMatchObject({ id: project.graph.edges[0].id, weight: [[project.graph.edges[0].weight]], locked: true });
    expect(doc.normalisation).toBe('none');
    // Rows of numbers on one line each.
    expect(text).toMatch(/"bias": \[-?[\d.e-]+\]/);
    expect(weightsDocument(project)).toEqual(doc);
  });
});

/** A CSV reader that knows nothing of the writer: split lines and commas, empty cell = null. */
function readCsv(text: string): Record<string, number | null>[] {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, c) => [columns[c], cell === '' ? null : Number(cell)])));
}

describe('history CSV', () => {
  it('one row per epoch that parses back to the recorded losses and accuracies', () => {
    const project = trainedIris(5);
    const text = exportHistoryCsv(project);
    expect(text.split('\n')[0]).toBe(HISTORY_COLUMNS.join(','));
    const rows = readCsv(text);
    expect(rows).toEqual(
      project.training.history.map((r) => ({
        epoch: r.epoch,
        train_loss: r.loss,
        train_accuracy: r.accuracy,
        validation_loss: r.validationLoss,
        validation_accuracy: r.validationAccuracy,
      })),
    );
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.validation_loss !== null)).toBe(true);
  });

  it('leaves cells empty where nothing was measured, and an untrained project is the header alone', () => {
    const project = EXAMPLES.find((e) => e.name === 'three-two-one')!.create();
    expect(exportHistoryCsv(project)).toBe(`${HISTORY_COLUMNS.join(',')}\n`);
    const withHistory = {
      ...project,
      training: { epoch: 1, history: [{ epoch: 1, loss: 0.25, accuracy: null, validationLoss: null, validationAccuracy: null }] },
    };
    expect(exportHistoryCsv(withHistory)).toBe(`${HISTORY_COLUMNS.join(',')}\n1,0.25,,,\n`);
  });
});

/** A small XML well-formedness check: every tag closes in order, attributes are quoted, entities are known. */
function checkXml(text: string): { tags: { name: string; attributes: Record<string, string> }[] } {
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const tags: { name: string; attributes: Record<string, string> }[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of body.matchAll(tag)) {
    const between = body.slice(last, match.index);
    expect(between, `stray markup before <${match[2]}>`).not.toMatch(/[<>]/);
    for (const entity of between.match(/&[^;\s]*;?/g) ?? []) expect(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']).toContain(entity);
    last = match.index! + match[0].length;
    const [, closing, name, attributeText, selfClosing] = match;
    if (closing) {
      expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attributeText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      for (const entity of a[2].match(/&[^;\s]*;?/g) ?? []) expect(['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']).toContain(entity);
      attributes[a[1]] = a[2]
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    }
    tags.push({ name, attributes });
    if (!selfClosing) stack.push(name);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(tags[0].name).toBe('svg');
  expect(tags[0].attributes.xmlns).toBe('http://www.w3.org/2000/svg');
  return { tags };
}

describe('SVG picture', () => {
  it('is well-formed, draws every node and edge, coloured and sized by weight', () => {
    for (const example of EXAMPLES) {
      const project = example.create();
      const svg = exportNetworkSvg(project);
      const { tags } = checkXml(svg);
      const edges = tags.filter((t) => t.name === 'path' && t.attributes['data-edge']);
      expect(edges.map((e) => e.attributes['data-edge']).sort()).toEqual(project.graph.edges.map((e) => e.id).sort());
      expect(
        tags
          .filter((t) => t.attributes['data-node'])
          .map((t) => t.attributes['data-node'])
          .sort(),
      ).toEqual(project.graph.nodes.map((n) => n.id).sort());
      for (const edge of project.graph.edges) {
        const values = typeof edge.weight === 'number' ? [edge.weight] : edge.weight.flat();
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const drawn = edges.find((e) => e.attributes['data-edge'] === edge.id)!;
        expect(drawn.attributes.stroke).toBe(mean >= 0 ? WEIGHT_COLOURS.positive : WEIGHT_COLOURS.negative);
        const magnitude = values.reduce((a, b) => a + Math.abs(b), 0) / values.length;
        expect(Number(drawn.attributes['stroke-width'])).toBeCloseTo(Math.min(8, 1 + 2.5 * Math.sqrt(magnitude)), 1);
      }
    }
  });

  it('places units where the document has them', () => {
    const project = EXAMPLES.find((e) => e.name === 'xor-perceptron-network')!.create();
    const { tags } = checkXml(exportNetworkSvg(project, { title: '' }));
    const boxes = tags.filter((t) => t.name === 'rect' && t.attributes.rx !== undefined && t.attributes.width === '130');
    // x1 at (0, 0) and XOR at (440, 80) in the document: the same offsets in the picture.
    const xs = boxes.map((b) => Number(b.attributes.x));
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(440, 5);
  });

  it('escapes labels and ids, drops characters XML forbids, and lays out a graph without positions', () => {
    const graph: Graph = {
      nodes: [
        { id: 'x<1>', kind: 'input', feature: 'a&b', label: 'x "one" & <two>' },
        { id: "y'", kind: 'neuron', activation: 'sigmoid', bias: 0, label: 'out\u0001put', output: { targets: ['t'] } },
      ],
      edges: [{ id: 'e&<"1">', source: 'x<1>', target: "y'", weight: -2 }],
    };
    const project = newProject({
      name: 'A & B <test>',
      graph,
      dataset: { kind: 'inline', features: ['a&b'], targets: ['t'], rows: [[0, 0]] },
    });
    const svg = exportNetworkSvg(project);
    const { tags } = checkXml(svg);
    expect(tags.find((t) => t.attributes['data-edge'])?.attributes['data-edge']).toBe('e&<"1">');
    expect(tags.find((t) => t.attributes['data-edge'])?.attributes.stroke).toBe(WEIGHT_COLOURS.negative);
    expect(svg).toContain('A &amp; B &lt;test&gt;');
    expect(svg).not.toContain('\u0001');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(edgeWidthFor(0)).toBe(1);
    expect(edgeWidthFor(100)).toBe(8);
  });

  it('the XML check can fail', () => {
    expect(() => checkXml('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow();
    expect(() => checkXml('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>')).toThrow();
  });
});

describe('protobuf encoder', () => {
  it('writes varints, strings and nested messages as the wire format says', () => {
    // From the protobuf encoding guide: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(Array.from(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    // int64 −1 is ten bytes of two's complement.
    expect(Array.from(new ProtoWriter().int(1, -1).finish())).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    // Values past 2^32 keep their high bits.
    expect(Array.from(new ProtoWriter().int(1, 2 ** 35).finish())).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(Array.from(utf8('é€😀'))).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });
});

describe('export formats', () => {
  it('every format is listed and produces its kind of content', () => {
    const project = EXAMPLES.find((e) => e.name === 'xor-sigmoid')!.create();
    for (const [format, info] of Object.entries(EXPORT_FORMATS)) {
      expect(isExportFormat(format)).toBe(true);
      const content = exportProject(project, format as keyof typeof EXPORT_FORMATS);
      expect(content instanceof Uint8Array).toBe(info.binary);
      expect(content.length).toBeGreaterThan(0);
    }
    expect(isExportFormat('png')).toBe(false);
    expect(isExportFormat('toString')).toBe(false);
  });
});

describe('default export file names', () => {
  it('the format’s extension; the two .py scripts carry their framework so neither replaces the other', async () => {
    const { exportFileName } = await import('./index');
    expect(exportFileName('iris', 'onnx')).toBe('iris.onnx');
    expect(exportFileName('iris', 'pytorch')).toBe('iris.pytorch.py');
    expect(exportFileName('iris', 'keras')).toBe('iris.keras.py');
    expect(exportFileName('iris', 'weights')).toBe('iris.json');
    expect(exportFileName('iris', 'history')).toBe('iris.csv');
    expect(exportFileName('iris', 'svg')).toBe('iris.svg');
    expect(exportFileName('iris', 'png')).toBe('iris.png');
  });
});
