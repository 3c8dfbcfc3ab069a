/**
 * PyTorch export: one self-contained Python script with the network as an `nn.Module`, its trained
 * weights, the input normalisation, the project's data (when small enough) and a training loop with
 * the project's loss, optimiser and hyperparameters, so training can go on on a bigger machine.
 *
 * Any DAG the compiler accepts is expressed exactly: each computing node is an `nn.Linear` over the
 * concatenation of what it reads (input columns, the constant 1 of a bias node, other nodes'
 * outputs), which is the engine's own packed units × fan-in matrix. A hand-wired sparse network
 * therefore needs no masks: a unit only has weights for the edges drawn into it.
 */
import { isClassifier } from '../fast/metrics';
import { OPTIMISERS, OPTIMISER_NAMES } from '../train/optimisers';
import { ACTIVATION_NAMES, ACTIVATIONS, activationsWithOutput } from '../model/activations';
import { LOSSES, LOSS_NAMES, formActivations } from '../model/losses';
import type { Project } from '../project/schema';
import { prepareExport, graphNode, inputColumns, type ExportModel } from './model';
import { docText, embeddedData, py, pyMatrix } from './python';

/**
 * A PyTorch script for the project.
 * @throws ExportError when the graph does not compile.
 */
export function exportPytorch(project: Project): string {
  return pytorchFromExportModel(prepareExport(project));
}

/** The network's structure as the generated scripts describe it, node by node in evaluation order. */
export function scriptNodes(prepared: ExportModel) {
  const { model, params } = prepared;
  const nodeIndex = new Map(model.computing.map((n, i) => [n.id, i]));
  const inputIndex = inputColumns(model);
  return model.computing.map((node) => {
    const g = graphNode(model, node.id);
    const weight: number[][] = [];
    for (let j = 0; j < node.units; j++)
      weight.push(Array.from(params.subarray(node.weightOffset + j * node.fanIn, node.weightOffset + (j + 1) * node.fanIn)));
    return {
      id: node.id,
      label: g.label ?? g.id,
      activation: node.activation,
      units: node.units,
      sources: node.incoming.map((edge) => {
        const kind = inputIndex.has(edge.source) ? 'input' : edge.fromBias ? 'bias' : 'node';
        return {
          edge: edge.id,
          kind,
          index: kind === 'input' ? inputIndex.get(edge.source)! : kind === 'node' ? nodeIndex.get(edge.source)! : null,
          units: edge.sourceUnits,
          locked: edge.locked,
        };
      }),
      weight,
      bias: Array.from(params.subarray(node.biasOffset, node.biasOffset + node.units)),
      biasLocked: node.biasLocked,
      targetStart: node.output ? node.output.targetStart : null,
    };
  });
}

/** {@link exportPytorch} from an already prepared model. */
export function pytorchFromExportModel(prepared: ExportModel): string {
  const { project, model, normalisation } = prepared;
  const h = project.hyperparameters;
  const data = embeddedData(prepared);
  const nodes = scriptNodes(prepared);
  const nodeLines = nodes
    .map(
      (n) => `    {
        "id": ${py(n.id)},
        "label": ${py(n.label)},
        "activation": ${py(n.activation)},
        "units": ${n.units},
        "sources": [
${n.sources.map((s) => `            ${py(s)},`).join('\n')}
        ],
        "weight": ${pyMatrix(n.weight, '        ')},
        "bias": ${py(n.bias)},
        "bias_locked": ${py(n.biasLocked)},
        "target_start": ${py(n.targetStart)},
    },`,
    )
    .join('\n');
  const outputIndices = model.outputs.map((o) => model.computing.indexOf(o));

  return `#!/usr/bin/env python3
"""${docText(project.name)}: a network exported from NN Studio after ${project.training.epoch} epoch${project.training.epoch === 1 ? '' : 's'} of training.
${project.description ? `\n${docText(project.description)}\n` : ''}
The network as a PyTorch nn.Module with its trained weights, the normalisation of its inputs,
the project's data and a training loop with the project's loss, optimiser and hyperparameters.

    python3 THIS_FILE                        loss and accuracy on the project's data
    python3 THIS_FILE --train [--epochs N] [--save weights.pt]
                                             train on (more epochs, as the project says)
    python3 THIS_FILE --check-inputs X.json  print the outputs for the raw input rows in X.json
                                             (a JSON list of lists) as JSON (after training,
                                             with --train)
    --data FILE.csv                          use a CSV with the columns below instead of the
                                             embedded data (all of it for training)
    --load weights.pt                        start from weights saved with --save

Inputs: raw features in this order: ${docText(model.features.join(', '))}
Outputs: ${docText(model.targets.join(', '))}
"""
import argparse
import csv
import json
import math
import sys

import torch
import torch.nn.functional as F
from torch import nn

# NN Studio computes in float64; so does this script, so its outputs match the app's to rounding.
# (float32 is faster on a GPU: drop this line and the numbers move in the 7th digit.)
torch.set_default_dtype(torch.float64)

FEATURES = ${py(model.features)}
TARGETS = ${py(model.targets)}
# x' = (x - shift) / scale per feature, fitted on the training split (None: inputs used as they are).
NORMALISATION = ${normalisation ? py({ method: normalisation.method, shift: normalisation.shift, scale: normalisation.scale }) : 'None'}

# Computing nodes in evaluation order. A node reads its "sources" side by side, in the column
# order of its weight matrix (one row per unit): kind "input" is the "units" features from feature
# number "index" on (one for a single input, N for an input layer), "bias" is a bias node's
# constant 1, "node" is the output of node number "index" in this list.
NODES = [
${nodeLines}
]
# Which nodes are the outputs (their units in TARGETS order), and where their targets start.
OUTPUT_NODES = ${py(outputIndices)}
CLASSIFIER = ${py(isClassifier(model))}

HYPERPARAMETERS = ${py(h)}

# The app's optimisers as torch.optim builds them, by the name HYPERPARAMETERS["optimiser"] holds.
OPTIMISERS = {
${OPTIMISER_NAMES.map((name) => `    ${py(name)}: lambda params, h: ${OPTIMISERS[name].torch((key) => `h[${py(key)}]`, 'params')},`).join('\n')}
}
TRAINED_EPOCHS = ${project.training.epoch}

# The project's data, raw, split as the app splits it: rows of features then targets.
${data ? `DATA = {\n    "train": ${pyMatrix(data.train, '    ')},\n    "validation": ${pyMatrix(data.validation, '    ')},\n    "test": ${pyMatrix(data.test, '    ')},\n}` : `# Not embedded (too large, or the network's columns are not all in it): pass --data FILE.csv.\nDATA = None`}


def _step(s):
    return (s > 0).to(s.dtype)


def _sign(s):
    # The lecture's sign: -1 at s = 0 (torch.sign would give 0 there).
    return torch.where(s > 0, torch.ones_like(s), -torch.ones_like(s))


ACTIVATIONS = {
${ACTIVATION_NAMES.map((name) => `    ${py(name)}: ${ACTIVATIONS[name].pytorch},`).join('\n')}
}


class Network(nn.Module):
    """${docText(project.name)}: raw inputs -> normalisation -> the drawn network.

    Each computing node is an nn.Linear over the concatenation of what it reads, which is the
    units x fan-in matrix NN Studio keeps: skip connections and hand-wired sparse networks are
    expressed exactly, with weights only where edges were drawn.
    """

    def __init__(self):
        super().__init__()
        n = len(FEATURES)
        self.register_buffer("shift", torch.tensor(NORMALISATION["shift"]) if NORMALISATION else torch.zeros(n))
        self.register_buffer("scale", torch.tensor(NORMALISATION["scale"]) if NORMALISATION else torch.ones(n))
        self.nodes = nn.ModuleList()
        for node in NODES:
            layer = nn.Linear(sum(source["units"] for source in node["sources"]), node["units"])
            with torch.no_grad():
                layer.weight.copy_(torch.tensor(node["weight"]).reshape(layer.weight.shape))
                layer.bias.copy_(torch.tensor(node["bias"]))
            self.nodes.append(layer)

    def evaluate_nodes(self, x):
        """For raw inputs x [batch, features]: each node's input columns, s and z."""
        x = (x - self.shift) / self.scale
        ones = torch.ones(x.shape[0], 1, dtype=x.dtype)
        reads, s_all, z_all = [], [], []
        for node, layer in zip(NODES, self.nodes):
            columns = []
            for source in node["sources"]:
                if source["kind"] == "input":
                    columns.append(x[:, source["index"]:source["index"] + source["units"]])
                elif source["kind"] == "bias":
                    columns.append(ones)
                else:
                    columns.append(z_all[source["index"]])
            read = torch.cat(columns, dim=1)
            s = layer(read)
            reads.append(read)
            s_all.append(s)
            z_all.append(ACTIVATIONS[node["activation"]](s))
        return reads, s_all, z_all

    def forward(self, x):
        _, _, z = self.evaluate_nodes(x)
        return torch.cat([z[i] for i in OUTPUT_NODES], dim=1)


def node_targets(t, i):
    node = NODES[i]
    return t[:, node["target_start"]:node["target_start"] + node["units"]]


def sample_losses(s, z, t):
    """The project's loss per sample, summed over the output nodes (the app's J)."""
    total = torch.zeros(t.shape[0], dtype=t.dtype)
    for i in OUTPUT_NODES:
        target = node_targets(t, i)
${lossBranches('        ')}
    return total


def correct_samples(z, t):
    """Per sample: is every output right? Softmax by arg-max; sigmoid and step by > 1/2; tanh and sign by > 0."""
    right = torch.ones(t.shape[0], dtype=torch.bool)
    for i in OUTPUT_NODES:
        target = node_targets(t, i)
        activation = NODES[i]["activation"]
        if activation == "softmax":
            right &= z[i].argmax(dim=1) == target.argmax(dim=1)
        else:
            threshold = 0.0 if activation in (${activationsWithOutput('signed').map(py).join(', ')},) else 0.5
            right &= ((z[i] > threshold) == (target > threshold)).all(dim=1)
    return right


def masks():
    """Per node: which weight columns training may change (not locked edges) and which L1/L2 applies to (not bias-node edges)."""
    result = []
    for node in NODES:
        trainable, regularised = [], []
        for source in node["sources"]:
            trainable += [0.0 if source["locked"] else 1.0] * source["units"]
            regularised += [0.0 if source["kind"] == "bias" else 1.0] * source["units"]
        result.append((torch.tensor(trainable), torch.tensor(regularised), 0.0 if node["bias_locked"] else 1.0))
    return result


def evaluate(model, x, t):
    with torch.no_grad():
        _, s, z = model.evaluate_nodes(x)
        loss = sample_losses(s, z, t).mean().item()
        accuracy = correct_samples(z, t).double().mean().item() if CLASSIFIER else None
    return loss, accuracy


def train(model, x, t, epochs, validation=None):
    """Trains as the project's hyperparameters say, for at most \`epochs\` epochs.

    Gradient descent: the torch.optim optimiser the project's "optimiser" names (OPTIMISERS), with
    its learning rate and settings; the app's update rules are torch.optim's (for "sgd",
    dw = -eta * dJ/dw + alpha * dw_previous is SGD with momentum). L1 and L2 are added to J as
    l1 * sum|w| + l2/2 * sum w^2 over the weights (not biases, nor bias-node edges), as in the app.
    Locked edges and biases get no update (their gradient is zeroed and, since an optimiser's
    memory may still move them, their values are put back after each step). The epoch's loss is the mean over its steps, each taken
    before its update, as the app reports it. One difference: the shuffling uses PyTorch's random
    generator, so after the first shuffled epoch the samples come in another order than in the app.
    """
    h = HYPERPARAMETERS
    n = x.shape[0]
    batch = n if h["mode"] == "batch" else 1 if h["mode"] == "stochastic" else h["batchSize"]
    optimiser = OPTIMISERS[h["optimiser"]](model.parameters(), h)
    generator = torch.Generator().manual_seed(int(h["shuffleSeed"]))
    node_masks = masks()
    best = None
    since_best = 0
    for epoch in range(TRAINED_EPOCHS + 1, TRAINED_EPOCHS + epochs + 1):
        order = torch.randperm(n, generator=generator) if h["shuffle"] else torch.arange(n)
        loss_sum, correct, wrong = 0.0, 0, 0
        for first in range(0, n, batch):
            rows = order[first:first + batch]
            reads, s, z = model.evaluate_nodes(x[rows])
            losses = sample_losses(s, z, t[rows])
            loss_sum += losses.sum().item()
            correct += int(correct_samples(z, t[rows]).sum().item())
            if h["algorithm"] == "perceptron":
                wrong += perceptron_step(model, reads, z, t[rows], node_masks)
                continue
            penalty = 0.0
            for layer, (trainable, regularised, _) in zip(model.nodes, node_masks):
                if h["l1"]:
                    penalty = penalty + h["l1"] * (layer.weight * regularised).abs().sum()
                if h["l2"]:
                    penalty = penalty + 0.5 * h["l2"] * ((layer.weight * regularised) ** 2).sum()
            optimiser.zero_grad()
            (losses.mean() + penalty).backward()
            kept = []
            for layer, (trainable, _, bias_trainable) in zip(model.nodes, node_masks):
                layer.weight.grad.mul_(trainable)
                layer.bias.grad.mul_(bias_trainable)
                kept.append((layer.weight.detach().clone(), layer.bias.detach().clone()))
            optimiser.step()
            with torch.no_grad():
                for layer, (trainable, _, bias_trainable), (weight, bias) in zip(model.nodes, node_masks, kept):
                    layer.weight.copy_(torch.where(trainable > 0, layer.weight, weight))
                    if bias_trainable == 0.0:
                        layer.bias.copy_(bias)
        loss = loss_sum / n
        record = {"epoch": epoch, "loss": loss, "accuracy": correct / n if CLASSIFIER else None}
        if validation is not None and validation[0].shape[0] > 0:
            record["validation_loss"], record["validation_accuracy"] = evaluate(model, *validation)
        print(json.dumps(record))
        if not math.isfinite(loss):
            print(f"Training diverged in epoch {epoch}: the loss became {loss}. Lower the learning rate.", file=sys.stderr)
            return
        if h["algorithm"] == "perceptron" and wrong == 0:
            print(f"Converged at epoch {epoch}: every training sample is classified correctly.")
            return
        if h["targetLoss"] is not None and loss <= h["targetLoss"]:
            print(f"Stopped at epoch {epoch}: the training loss reached the target {h['targetLoss']}.")
            return
        stopping = h["earlyStopping"]
        if stopping and "validation_loss" in record:
            if best is None or record["validation_loss"] < best[0] - stopping["minDelta"]:
                best = (record["validation_loss"], epoch, {k: v.clone() for k, v in model.state_dict().items()})
                since_best = 0
            else:
                since_best += 1
                if since_best >= stopping["patience"]:
                    if stopping["restoreBest"]:
                        model.load_state_dict(best[2])
                    print(f"Stopped early at epoch {epoch}: best validation loss {best[0]:.4g} at epoch {best[1]}.")
                    return


def perceptron_step(model, reads, z, t, node_masks):
    """The perceptron rule w <- w + eta (t - y) x, averaged over the batch, for the output units.

    Not a gradient method, so not an optimiser: written out as the app does it. Returns the
    number of misclassified samples.
    """
    eta = HYPERPARAMETERS["learningRate"]
    wrong = torch.zeros(t.shape[0], dtype=torch.bool)
    with torch.no_grad():
        for i in OUTPUT_NODES:
            error = node_targets(t, i) - z[i]
            wrong |= (error != 0).any(dim=1)
            trainable, _, bias_trainable = node_masks[i]
            layer = model.nodes[i]
            layer.weight += eta * trainable * (error.T @ reads[i]) / t.shape[0]
            layer.bias += eta * bias_trainable * error.mean(dim=0)
    return int(wrong.sum().item())


def split(rows):
    data = torch.tensor(rows, dtype=torch.float64).reshape(len(rows), len(FEATURES) + len(TARGETS))
    return data[:, :len(FEATURES)], data[:, len(FEATURES):]


def read_csv(path):
    with open(path, newline="") as file:
        reader = csv.DictReader(file)
        missing = [c for c in FEATURES + TARGETS if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"{path}: missing columns {', '.join(missing)}")
        return [[float(row[c]) for c in FEATURES + TARGETS] for row in reader]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="train as the project's hyperparameters say")
    parser.add_argument("--epochs", type=int, help="epochs to train (default: up to the project's maximum)")
    parser.add_argument("--save", help="write the weights (state_dict) here after training")
    parser.add_argument("--load", help="start from weights saved with --save")
    parser.add_argument("--data", help="a CSV with the feature and target columns, instead of the embedded data")
    parser.add_argument("--check-inputs", help="print the outputs for the raw input rows in this JSON file")
    args = parser.parse_args()

    model = Network()
    if args.load:
        model.load_state_dict(torch.load(args.load))
    splits = {"train": read_csv(args.data), "validation": [], "test": []} if args.data else DATA
    if splits is None and (args.train or not args.check_inputs):
        sys.exit("This script has no embedded data: pass --data FILE.csv.")
    if args.train:
        epochs = args.epochs if args.epochs is not None else HYPERPARAMETERS["maxEpochs"] - TRAINED_EPOCHS
        if epochs < 1:
            sys.exit(f"Already trained for {TRAINED_EPOCHS} epochs, the project's maximum: use --epochs N.")
        validation = split(splits["validation"]) if splits["validation"] else None
        train(model, *split(splits["train"]), epochs, validation)
        if args.save:
            torch.save(model.state_dict(), args.save)
            print(f"Wrote {args.save}")
    if args.check_inputs:
        # After --train when both are given: the outputs of the trained network.
        with open(args.check_inputs) as file:
            rows = json.load(file)
        x = torch.tensor(rows, dtype=torch.float64).reshape(len(rows), len(FEATURES))
        with torch.no_grad():
            print(json.dumps(model(x).tolist()))
        return
    for name in ("train", "validation", "test"):
        if splits[name]:
            loss, accuracy = evaluate(model, *split(splits[name]))
            print(f"{name}: loss {loss:.6g}" + (f", accuracy {accuracy:.1%}" if accuracy is not None else ""))


if __name__ == "__main__":
    main()
`;
}

/**
 * The script's branches adding each loss form's J per sample to `total`, from the loss registry: one
 * branch per form, chosen by the project's loss and the node's activation. The last loss needs no
 * test of its name (the schema admits no other), nor the last form of a loss one of its activation
 * (the compiler refuses every activation its forms do not take).
 */
function lossBranches(indent: string): string {
  const branches: { test: string | null; body: readonly string[] }[] = [];
  LOSS_NAMES.forEach((loss, i) => {
    const forms = LOSSES[loss].forms;
    forms.forEach((form, f) => {
      const tests: string[] = [];
      if (i < LOSS_NAMES.length - 1) tests.push(`HYPERPARAMETERS["loss"] == ${py(loss)}`);
      if (f < forms.length - 1) {
        const names = formActivations(form);
        const activation = 'NODES[i]["activation"]';
        tests.push(names.length === 1 ? `${activation} == ${py(names[0])}` : `${activation} in (${names.map(py).join(', ')},)`);
      }
      branches.push({ test: tests.length > 0 ? tests.join(' and ') : null, body: form.pytorch });
    });
  });
  const lines: string[] = [];
  branches.forEach(({ test, body }, n) => {
    const only = branches.length === 1;
    if (!only) lines.push(`${indent}${test === null ? 'else' : `${n === 0 ? 'if' : 'elif'} ${test}`}:`);
    for (const line of body) lines.push(`${indent}${only ? '' : '    '}${line}`);
  });
  return lines.join('\n');
}
