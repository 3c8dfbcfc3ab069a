/**
 * The live compiler's verdict and its problems, as the status bar and the Problems list say them.
 *
 * The graph is compiled as training will compile it: against the project's data columns and its
 * training settings (algorithm and loss), so "compiles" means the network can be trained on this
 * data. A network that runs on the data but that its algorithm cannot train (step units under
 * backprop, a hand-set network of perceptrons) says so; anything else is ✗ with the first problem.
 * The problems are grouped by kind, each group summarised in one short line.
 */
import {
  builtinColumns,
  compileGraph,
  featuresOf,
  isComputing,
  isDataInput,
  type CompileOptions,
  type CompileResult,
  type Graph,
  type GraphIssue,
  type GraphIssueCode,
  type GraphNode,
  type Project,
} from '../../../engine/src/index';
import { describeArchitecture } from '../document/derive';

/** What the live compile checks the graph against: the data's columns and the training settings. */
export type CompileContext = Required<Pick<CompileOptions, 'training' | 'data'>>;

/** The project's data columns (without generating or reading its rows) and its training settings. */
export function compileContext(project: {
  dataset: Project['dataset'];
  hyperparameters: Pick<Project['hyperparameters'], 'algorithm' | 'loss'>;
}): CompileContext {
  const { dataset, hyperparameters } = project;
  const data = dataset.kind === 'inline' ? { features: dataset.features, targets: dataset.targets } : builtinColumns(dataset.name);
  return { data, training: { algorithm: hyperparameters.algorithm, loss: hyperparameters.loss } };
}

/** The graph compiled as training compiles it (`openSession` for 'train'). */
export function liveCompile(graph: Graph, context: CompileContext): CompileResult {
  return compileGraph(graph, context);
}

/**
 * Problems of networks that run but that their algorithm cannot train: units without a gradient
 * under backprop (the lecture's hand-set step perceptrons), or a structure the perceptron rule does
 * not train. Every other check runs whatever the training settings, so when these are the only
 * errors the graph compiles against the data without them: it runs (it can be evaluated and
 * stepped through) but cannot be trained as set, and the status bar says exactly that. A loss that
 * does not fit the outputs is a setting to fix, not a network made to run untrained: it is ✗.
 */
export const RUNS_UNTRAINED: ReadonlySet<GraphIssueCode> = new Set<GraphIssueCode>(['no-gradient', 'perceptron-rule-structure']);

/** What the status bar says: whether the network trains, runs only, or has a problem, in one short line. */
export interface Verdict {
  state: 'none' | 'trains' | 'runs' | 'broken';
  text: string;
}

/**
 * The status bar's one line: "✓ compiles — 2 → 2 → 1, 9 parameters" when the network can train on
 * the data; "✓ runs — cannot train: …" when only its algorithm cannot train it; "✗ …" with the first
 * problem (its first sentence: the Problems list has the rest) and how many more there are.
 */
export function verdict(graph: Graph | null, compiled: CompileResult | null, context?: CompileContext): Verdict {
  if (!graph || !compiled) return { state: 'none', text: 'No project' };
  if (compiled.ok) return { state: 'trains', text: `✓ compiles — ${describeArchitecture(graph, compiled)}` };
  const groups = groupProblems(graph, compiled, context).filter((g) => g.severity === 'error');
  const first = firstSentence(groups[0].title);
  const more = groups.length > 1 ? ` (+${groups.length - 1} more)` : '';
  if (compiled.errors.every((e) => RUNS_UNTRAINED.has(e.code))) {
    return { state: 'runs', text: `✓ runs — cannot train: ${lowerFirst(first)}${more}` };
  }
  return { state: 'broken', text: `✗ ${first}${more}` };
}

/** One problem of the list: its message and the node or edge it names. */
export interface ProblemItem {
  message: string;
  nodeId?: string;
  edgeId?: string;
}

/** Problems of one kind: a short line for all of them, and each. */
export interface ProblemGroup {
  code: GraphIssueCode;
  severity: 'error' | 'warning';
  /** The group in one line ("8 inputs read features the data does not have: x1…x8 — choose from its 30 features"); the message itself for a group of one. */
  title: string;
  items: ProblemItem[];
}

/**
 * The compiler's problems grouped by kind: errors first, then warnings, each kind in the order the
 * compiler found it, and each group with one short line for all of its problems.
 */
export function groupProblems(graph: Graph, compiled: CompileResult | null, context?: CompileContext): ProblemGroup[] {
  if (!compiled) return [];
  const issues = [...(compiled.ok ? [] : compiled.errors), ...compiled.warnings];
  const byKind = new Map<string, { code: GraphIssueCode; severity: 'error' | 'warning'; issues: GraphIssue[] }>();
  for (const issue of issues) {
    const key = `${issue.severity}\u0000${issue.code}`;
    const group = byKind.get(key);
    if (group) group.issues.push(issue);
    else byKind.set(key, { code: issue.code, severity: issue.severity, issues: [issue] });
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groups: ProblemGroup[] = [];
  for (const { code, severity, issues: members } of byKind.values()) {
    const items = members.map((i): ProblemItem => ({
      message: i.message,
      ...(i.nodeId ? { nodeId: i.nodeId } : {}),
      ...(i.edgeId ? { edgeId: i.edgeId } : {}),
    }));
    const title = members.length === 1 ? members[0].message : groupTitle(code, members, nodes, graph, context);
    groups.push({ code, severity, title, items });
  }
  return groups.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** What a node is called on the canvas. */
const labelOf = (node: GraphNode | undefined, id: string) => node?.label ?? id;

/** The line for several problems of one kind. */
function groupTitle(
  code: GraphIssueCode,
  members: GraphIssue[],
  nodes: Map<string, GraphNode>,
  graph: Graph,
  context: CompileContext | undefined,
): string {
  const n = members.length.toLocaleString('en');
  // Each node once: the perceptron rule reports an output once per computing unit that feeds it.
  const ids = [...new Set(members.map((i) => i.nodeId ?? i.edgeId ?? ''))];
  const u = ids.length.toLocaleString('en');
  const labels = () => compactNames(ids.map((id) => labelOf(nodes.get(id), id)));
  switch (code) {
    case 'unknown-feature': {
      const data = context ? new Set(context.data.features) : null;
      const missing: string[] = [];
      for (const issue of members) {
        const node = issue.nodeId ? nodes.get(issue.nodeId) : undefined;
        if (!node || !isDataInput(node)) continue;
        for (const feature of featuresOf(node)) if (!data || !data.has(feature)) missing.push(feature);
      }
      const choose = context ? ` — choose from its ${columns(context.data.features.length, 'feature')}` : '';
      return `${n} inputs read features the data does not have: ${compactNames(missing)}${choose}`;
    }
    case 'unknown-target': {
      const data = context ? new Set(context.data.targets) : null;
      const missing: string[] = [];
      for (const issue of members) {
        const node = issue.nodeId ? nodes.get(issue.nodeId) : undefined;
        if (node && isComputing(node)) for (const t of node.output?.targets ?? []) if (!data || !data.has(t)) missing.push(t);
      }
      const has = context ? ` — it has ${columns(context.data.targets.length, 'target')}: ${compactNames(context.data.targets)}` : '';
      return `${n} outputs predict targets the data does not have: ${compactNames(missing)}${has}`;
    }
    case 'missing-target': {
      const predicted = new Set(graph.nodes.flatMap((node) => (isComputing(node) ? (node.output?.targets ?? []) : [])));
      const unpredicted = context ? context.data.targets.filter((t) => !predicted.has(t)) : [];
      return `${n} of the data's targets are predicted by no output node${unpredicted.length ? `: ${compactNames(unpredicted)}` : ''}`;
    }
    case 'no-incoming':
      return `${u} units have no incoming edge: ${labels()}`;
    case 'dead-end':
      return `${u} units feed nothing and are not outputs: ${labels()}`;
    case 'unused-input':
      return `${u} inputs are not connected to anything: ${labels()}`;
    case 'duplicate-feature':
      return `${u} inputs read a feature that another input reads: ${labels()}`;
    case 'duplicate-target':
      return `${u} outputs predict a target that another output predicts: ${labels()}`;
    case 'no-gradient':
      return `${u} units have no gradient, so backprop cannot train them: ${labels()} — use sigmoid or tanh, or the perceptron rule`;
    case 'loss-output-mismatch':
      return `${u} outputs do not fit the loss: ${labels()} — ${firstSentence(members[0].message)}`;
    case 'perceptron-rule-structure':
      return `${u} units do not fit the perceptron rule (a single layer of step or sign units): ${labels()}`;
    case 'output-feeds':
      return `${u} outputs feed other nodes: ${labels()}`;
    case 'invalid-activation':
      return `${u} units have an activation their kind does not take: ${labels()}`;
    case 'softmax-single-unit':
      return `${u} softmax layers have a single unit: ${labels()}`;
    case 'output-targets':
      return `${u} outputs name a different number of targets than they have units: ${labels()}`;
    case 'weight-shape':
    case 'bias-shape':
    case 'non-finite':
    case 'missing-node':
    case 'duplicate-edge':
    case 'edge-into-input':
    case 'self-loop':
    case 'duplicate-node-id':
    case 'duplicate-edge-id':
    case 'empty-id':
    case 'invalid-units':
    case 'cycle':
    case 'no-inputs':
    case 'no-outputs':
    default:
      return `${n} problems like this: ${firstSentence(members[0].message)}`;
  }
}

const columns = (count: number, noun: string) => `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;

/**
 * A few names for one line: all of up to three; a run such as x1, x2, …, x8 as "x1…x8"; else the
 * first three and how many more.
 */
export function compactNames(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  const run = /^(.*?)(\d+)$/.exec(names[0]);
  if (run) {
    const [, prefix, digits] = run;
    const start = Number(digits);
    if (names.every((name, k) => name === `${prefix}${start + k}`)) return `${names[0]}…${names[names.length - 1]}`;
  }
  return `${names.slice(0, 3).join(', ')} … ${(names.length - 3).toLocaleString('en')} more`;
}

/**
 * A message's first clause: the problem, without the advice that follows it — up to a full stop
 * followed by a capital (or the end), or a semicolon.
 */
export function firstSentence(message: string): string {
  const end = /\.(?=\s+[A-Z])|;\s/.exec(message);
  return end ? message.slice(0, end.index + (end[0] === '.' ? 1 : 0)) : message;
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
