/**
 * ONNX export: the compiled network with its trained weights and its normalisation, as a standard
 * ONNX graph (opset 17) that any runtime can load.
 *
 * The graph takes one input `input` of shape [batch, features] (raw values, in the feature order
 * listed in the model's metadata) and gives one output `output` of shape [batch, targets] (the
 * output nodes' units in the project's target order), exactly as the engine's `predict` does.
 *
 * Any DAG the compiler accepts maps onto plain operators, node by node in topological order:
 * - s = Σ over incoming edges of z_source · Wᵀ, plus the bias: `Gemm` for the first source (with
 *   the bias as its C), `MatMul` + `Add` for every further one (skip connections, several sources).
 * - Edges from input nodes are gathered into one [features × units] matrix over the normalised
 *   input, zero where an input is not wired to the node, so a hand-wired sparse first layer is still
 *   one product (adding 0·x changes nothing for finite inputs).
 * - Edges from a bias node (the constant 1) add their weights to the bias: 1·w is w.
 * - z = φ(s): as the activation registry spells it (`Sigmoid`, `Tanh`, `Relu`, `LeakyRelu`, `Elu`, `Softplus`, `Identity`, `Softmax` on axis 1); the perceptron's
 *   step is `Cast(Greater(s, 0))` and sign is `Where(Greater(s, 0), 1, −1)` — not ONNX's `Sign`,
 *   which gives 0 at 0 where the lecture's sign gives −1.
 * - Normalisation first: (x − shift) / scale with `Sub` and `Div`, the engine's own arithmetic.
 * Nodes that feed no output are left out: they cannot change a prediction.
 */
import type { CompiledModel, CompiledNode } from '../compile/compile';
import { ACTIVATIONS, isActivation } from '../model/activations';
import type { Activation } from '../model/graph';
import { prepareExport, ExportError, nodesReachingOutputs, graphNode, inputColumns, type ExportModel } from './model';
import { ProtoWriter, littleEndian } from './protobuf';
import type { Project } from '../project/schema';
import { quoteForMessage } from '../util/quote';

/** Options of {@link exportOnnx}. */
export interface OnnxOptions {
  /**
   * Number type of the weights, input and output. float32 (the default) is what runtimes and
   * accelerators expect; float64 reproduces the engine's arithmetic to rounding.
   */
  precision?: 'float32' | 'float64';
}

/** The ONNX operator set the graph is written for (Softmax's per-row semantics need 13 or later). */
export const ONNX_OPSET = 17;
/** The ONNX IR version matching {@link ONNX_OPSET}. */
export const ONNX_IR_VERSION = 8;

// ONNX enums (onnx.proto): TensorProto.DataType and AttributeProto.AttributeType.
const DATA_TYPE = { float32: 1, float64: 11 } as const;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_FLOAT = 1;
/** The attributes the export writes that ONNX types as int (the rest, like LeakyRelu's and Elu's alpha, are float). */
const INT_ATTRIBUTES = new Set(['axis', 'to']);

/**
 * Exports a project's network as an ONNX model.
 * @returns The bytes of a `.onnx` file (a serialised ModelProto).
 * @throws ExportError when the graph does not compile.
 */
export function exportOnnx(project: Project, options: OnnxOptions = {}): Uint8Array {
  return onnxFromExportModel(prepareExport(project), options);
}

/** {@link exportOnnx} from an already prepared model. */
export function onnxFromExportModel(prepared: ExportModel, options: OnnxOptions = {}): Uint8Array {
  const precision = options.precision ?? 'float32';
  const { model, params, normalisation, project } = prepared;
  const builder = new GraphBuilder(precision);
  const features = model.features.length;

  let x = 'input';
  if (normalisation) {
    builder.node('Sub', [x, builder.constant('normalise.shift', [features], normalisation.shift)], 'input.shifted', 'normalise: x − shift');
    builder.node(
      'Div',
      ['input.shifted', builder.constant('normalise.scale', [features], normalisation.scale)],
      'input.normalised',
      'normalise: / scale',
    );
    x = 'input.normalised';
  }

  const needed = nodesReachingOutputs(model);
  const inputColumn = inputColumns(model);
  const biasNodes = new Set(model.biasSlots.map((slot) => model.slotNodes[slot]));
  const value = new Map<string, string>();

  for (const node of model.computing) {
    if (!needed.has(node.id)) continue;
    const name = tensorName(model, node);
    const units = node.units;
    const bias = Array.from(params.subarray(node.biasOffset, node.biasOffset + units));
    // Terms of s: [source tensor, weight matrix laid out as [sourceUnits × units]].
    const terms: { source: string; rows: number; weights: number[]; edges: string[] }[] = [];
    let fromInputs: number[] | null = null;
    const inputEdges: string[] = [];
    for (const edge of node.incoming) {
      if (biasNodes.has(edge.source)) {
        for (let j = 0; j < units; j++) bias[j] += params[edge.weightOffset + j * edge.rowStride];
      } else if (inputColumn.has(edge.source)) {
        fromInputs ??= new Array(features * units).fill(0);
        const first = inputColumn.get(edge.source)!;
        for (let i = 0; i < edge.sourceUnits; i++) {
          for (let j = 0; j < units; j++) fromInputs[(first + i) * units + j] = params[edge.weightOffset + j * edge.rowStride + i];
        }
        inputEdges.push(edge.id);
      } else {
        const transposed = new Array(edge.sourceUnits * units);
        for (let i = 0; i < edge.sourceUnits; i++) {
          for (let j = 0; j < units; j++) transposed[i * units + j] = params[edge.weightOffset + j * edge.rowStride + i];
        }
        terms.push({ source: value.get(edge.source)!, rows: edge.sourceUnits, weights: transposed, edges: [edge.id] });
      }
    }
    // Inputs first, so the usual layer reads as one Gemm on the input.
    if (fromInputs) terms.unshift({ source: x, rows: features, weights: fromInputs, edges: inputEdges });
    // Fed by bias nodes only: a constant, still one row per sample.
    if (terms.length === 0) terms.push({ source: x, rows: features, weights: new Array(features * units).fill(0), edges: [] });

    const biasName = builder.constant(`${name}.bias`, [units], bias);
    let s = '';
    terms.forEach((term, k) => {
      const weights = builder.constant(`${name}.W${k}`, [term.rows, units], term.weights);
      const about = `${describe(model, node)} ← ${term.edges.length > 0 ? term.edges.map((e) => `edge '${e}'`).join(', ') : 'no input (bias only)'}`;
      if (k === 0) {
        s = `${name}.s0`;
        builder.node('Gemm', [term.source, weights, biasName], s, about);
      } else {
        builder.node('MatMul', [term.source, weights], `${name}.p${k}`, about);
        builder.node('Add', [s, `${name}.p${k}`], `${name}.s${k}`, `${describe(model, node)}: sum of its inputs`);
        s = `${name}.s${k}`;
      }
    });
    value.set(node.id, activation(builder, node.activation, s, `${name}.z`, describe(model, node)));
  }

  const outputs = model.outputs.map((node) => value.get(node.id)!);
  if (outputs.length === 1) builder.node('Identity', outputs, 'output', 'the prediction');
  else builder.node('Concat', outputs, 'output', 'the outputs side by side, in target order', { axis: 1 });

  const elementType = DATA_TYPE[precision];
  const graph = new ProtoWriter();
  for (const node of builder.nodes) graph.message(1, node);
  graph.string(2, safeName(project.name) || 'network');
  for (const tensor of builder.initializers) graph.message(5, tensor);
  graph.string(10, `${project.name}: ${model.features.join(', ')} → ${model.targets.join(', ')}`);
  graph.message(11, valueInfo('input', elementType, 'batch', features, `raw features in this order: ${model.features.join(', ')}`));
  graph.message(12, valueInfo('output', elementType, 'batch', model.targets.length, `targets in this order: ${model.targets.join(', ')}`));

  const modelProto = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'NN Studio')
    .string(3, '0.1.0')
    .string(6, project.description ? `${project.name}: ${project.description}` : project.name)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET));
  const metadata: [string, string][] = [
    ['nnstudio.features', JSON.stringify(model.features)],
    ['nnstudio.targets', JSON.stringify(model.targets)],
    ['nnstudio.normalisation', JSON.stringify(normalisation ?? { method: 'none' })],
  ];
  for (const [key, text] of metadata) modelProto.message(14, new ProtoWriter().string(1, key).string(2, text));
  return modelProto.finish();
}

/** Appends z = φ(s), as the activation registry spells it in ONNX, and returns the name of z. */
function activation(builder: GraphBuilder, name: Activation, s: string, z: string, about: string): string {
  if (!isActivation(name)) {
    throw new ExportError(
      `${quoteForMessage(about, 200)} uses the activation '${quoteForMessage(String(name))}', which the ONNX export does not know.`,
    );
  }
  const emitter = {
    node: builder.node.bind(builder),
    scalar: builder.scalar.bind(builder),
    dataType: DATA_TYPE[builder.precision],
    precision: builder.precision,
  };
  return ACTIVATIONS[name].onnx(emitter, s, z, about);
}

/** Collects ONNX nodes and initialisers. */
class GraphBuilder {
  readonly nodes: ProtoWriter[] = [];
  readonly initializers: ProtoWriter[] = [];
  private readonly scalars = new Map<number, string>();
  constructor(readonly precision: 'float32' | 'float64') {}

  /** Adds a node with one output; returns the output's name. */
  node(op: string, inputs: string[], output: string, doc: string, attributes: Record<string, number> = {}): string {
    const node = new ProtoWriter();
    for (const input of inputs) node.string(1, input);
    node.string(2, output).string(3, output).string(4, op);
    for (const [name, value] of Object.entries(attributes)) {
      // ONNX types each attribute: an integer where the operator takes an int (axis, to), else a float (alpha).
      const attribute = new ProtoWriter().string(1, name);
      if (INT_ATTRIBUTES.has(name)) attribute.int(3, value).int(20, ATTRIBUTE_INT);
      else attribute.float(2, value).int(20, ATTRIBUTE_FLOAT);
      node.message(5, attribute);
    }
    node.string(6, doc);
    this.nodes.push(node);
    return output;
  }

  /** Adds a constant tensor; returns its name. */
  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    const tensor = new ProtoWriter();
    for (const d of dims) tensor.int(1, d);
    tensor.int(2, DATA_TYPE[this.precision]).string(8, name).bytes(9, littleEndian(values, this.precision));
    this.initializers.push(tensor);
    return name;
  }

  /** A shared scalar constant. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (!name) {
      name = this.constant(`const.${value < 0 ? 'minus' : ''}${Math.abs(value)}`, [], [value]);
      this.scalars.set(value, name);
    }
    return name;
  }
}

function valueInfo(name: string, elementType: number, batch: string, width: number, doc: string): ProtoWriter {
  const shape = new ProtoWriter().message(1, new ProtoWriter().string(2, batch)).message(1, new ProtoWriter().int(1, width));
  const tensorType = new ProtoWriter().int(1, elementType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType)).string(3, doc);
}

/**
 * Tensor names from node ids: ONNX allows any string, but tools that turn names into identifiers
 * (code generators, Netron's links) cope better with plain ones; the position keeps them unique.
 */
function tensorName(model: CompiledModel, node: CompiledNode): string {
  return `n${model.computing.indexOf(node)}_${safeName(node.id)}`;
}

function safeName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
}

function describe(model: CompiledModel, node: CompiledNode): string {
  const g = graphNode(model, node.id);
  return g.label && g.label !== g.id ? `'${g.label}' (${g.id})` : `'${g.id}'`;
}
