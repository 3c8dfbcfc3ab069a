/**
 * PyTorch export: one self-contained Python script with the network as an `nn.Module`, its trained
 * weights, the input normalisation, the project's data (when small enough) and a training loop with
 * the project's loss, optimiser and hyperparameters, so training can go on on a bigger machine, or
 * data-parallel on several processes, GPUs or machines under torchrun (DistributedDataParallel),
 * with the project's batches split between them so the weights stay those of a single process run.
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
import { resolvePrecision } from '../train/precision';

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
  // The script computes as the app trains this project: float32 where its precision resolves to fast.
  const trainRows = data?.train.length ?? Number.MAX_SAFE_INTEGER;
  const samplesPerUpdate = h.mode === 'batch' ? trainRows : h.mode === 'stochastic' ? 1 : h.batchSize;
  const fast = h.algorithm === 'gradientDescent' && resolvePrecision(h.precision, model.paramCount, samplesPerUpdate) === 'fast';
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
    --device cpu|cuda                        where to compute (default cpu; cuda needs a GPU)

    torchrun --nproc_per_node=N THIS_FILE --train [--device cuda] [...]
                                             the same training, data-parallel over N processes
                                             (DistributedDataParallel; gloo on the CPU, nccl on
                                             GPUs): every batch split between them, the same
                                             weights as one process up to float rounding
    --distributed                            join the processes of another launcher that sets
                                             RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT

Inputs: raw features in this order: ${docText(model.features.join(', '))}
Outputs: ${docText(model.targets.join(', '))}
"""
import argparse
import csv
import json
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

${
  fast
    ? `# The project trains in float32 (its precision is fast); so does this script. For outputs equal to the
# app's inspector to rounding, make this torch.float64.
DTYPE = torch.float32`
    : `# NN Studio computes this project in float64; so does this script, so its outputs match the app's to
# rounding. (float32 is faster on a GPU: make this torch.float32 and the numbers move in the 7th digit.)
DTYPE = torch.float64`
}
torch.set_default_dtype(DTYPE)

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
        ones = torch.ones(x.shape[0], 1, dtype=x.dtype, device=x.device)
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

    def forward(self, x, nodes=False):
        """The outputs for raw inputs x; with nodes=True, what evaluate_nodes gives (what training
        needs: DistributedDataParallel synchronises the gradients of what its forward computed)."""
        if nodes:
            return self.evaluate_nodes(x)
        _, _, z = self.evaluate_nodes(x)
        return torch.cat([z[i] for i in OUTPUT_NODES], dim=1)


def node_targets(t, i):
    node = NODES[i]
    return t[:, node["target_start"]:node["target_start"] + node["units"]]


def sample_losses(s, z, t):
    """The project's loss per sample, summed over the output nodes (the app's J)."""
    total = torch.zeros(t.shape[0], dtype=t.dtype, device=t.device)
    for i in OUTPUT_NODES:
        target = node_targets(t, i)
${lossBranches('        ')}
    return total


def correct_samples(z, t):
    """Per sample: is every output right? Softmax by arg-max; sigmoid and step by > 1/2; tanh and sign by > 0."""
    right = torch.ones(t.shape[0], dtype=torch.bool, device=t.device)
    for i in OUTPUT_NODES:
        target = node_targets(t, i)
        activation = NODES[i]["activation"]
        if activation == "softmax":
            right &= z[i].argmax(dim=1) == target.argmax(dim=1)
        else:
            threshold = 0.0 if activation in (${activationsWithOutput('signed').map(py).join(', ')},) else 0.5
            right &= ((z[i] > threshold) == (target > threshold)).all(dim=1)
    return right


def masks(device):
    """Per node: which weight columns training may change (not locked edges) and which L1/L2 applies to (not bias-node edges)."""
    result = []
    for node in NODES:
        trainable, regularised = [], []
        for source in node["sources"]:
            trainable += [0.0 if source["locked"] else 1.0] * source["units"]
            regularised += [0.0 if source["kind"] == "bias" else 1.0] * source["units"]
        result.append((torch.tensor(trainable, device=device), torch.tensor(regularised, device=device), 0.0 if node["bias_locked"] else 1.0))
    return result


class Processes:
    """Where this process stands among the data-parallel ones: one process alone is rank 0 of 1.

    Under torchrun every process runs this whole script over all of the data, with the same
    weights; what travels between them is each step's gradient (DistributedDataParallel's
    all-reduce) and each epoch's sums (loss, right answers), so every process sees the global
    numbers and takes the same decisions.
    """

    def __init__(self, device, rank=0, world=1, backend=None):
        self.device, self.rank, self.world, self.backend = device, rank, world, backend

    def share(self, rows):
        """This process's contiguous part of a batch's rows, in the batch's order.

        torch.tensor_split gives the first (len(rows) mod world) parts one row more; a part may be
        empty (a last batch shorter than the number of processes).
        """
        return rows if self.world == 1 else torch.tensor_split(rows, self.world)[self.rank]

    def total(self, values):
        """The numbers summed over every process (one process: as they are)."""
        if self.world == 1:
            return list(values)
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        torch.distributed.all_reduce(tensor)
        return tensor.tolist()

    def say(self, *args, **kwargs):
        """print, from the first process only (the others would say the same again)."""
        if self.rank == 0:
            print(*args, **kwargs)


def stop(message, status=2):
    """Ends with one sentence on stderr, said by the first process only; status 2 is a wrong way to start it."""
    if os.environ.get("RANK", "0") == "0":
        print(message, file=sys.stderr)
    sys.exit(status)


def choose_device(name):
    if name == "cuda" and not torch.cuda.is_available():
        stop("--device cuda: PyTorch sees no CUDA device here; use --device cpu.")
    return torch.device(name)


LAUNCHER_VARIABLES = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


def launched(flag):
    """Whether this process is one of several a launcher started: torchrun sets LOCAL_RANK and WORLD_SIZE."""
    return flag or "LOCAL_RANK" in os.environ or os.environ.get("WORLD_SIZE", "1") not in ("", "1")


def batch_size(n):
    h = HYPERPARAMETERS
    return n if h["mode"] == "batch" else 1 if h["mode"] == "stochastic" else h["batchSize"]


def join_processes(device, n):
    """Joins the other processes the launcher started (gloo on the CPU, nccl on GPUs), or stops with the reason it cannot."""
    missing = [name for name in LAUNCHER_VARIABLES if not os.environ.get(name)]
    if missing:
        stop(f"--distributed needs the environment a launcher sets ({', '.join(LAUNCHER_VARIABLES)}; missing: {', '.join(missing)}): start the script with torchrun.")
    try:
        rank, world, local = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ.get("LOCAL_RANK", "0"))
    except ValueError:
        stop(f"RANK, WORLD_SIZE and LOCAL_RANK must be whole numbers; the launcher set {os.environ.get('RANK')!r}, {os.environ.get('WORLD_SIZE')!r} and {os.environ.get('LOCAL_RANK')!r}.")
    if not torch.distributed.is_available():
        stop("This PyTorch has no torch.distributed: train as one process (python3 THIS_FILE --train).")
    batch = batch_size(n)
    if batch < world:
        # Every process needs a share of every full batch (a short last one may leave some idle).
        if HYPERPARAMETERS["mode"] == "stochastic":
            stop(f"Stochastic mode trains on one sample at a time, so there is nothing to split across {world} processes: train it as one process (python3 {os.path.basename(sys.argv[0])} --train), or choose mini-batch or batch mode.")
        stop(f"A batch of {batch} sample{'' if batch == 1 else 's'} cannot be split across {world} processes: start at most {batch}, or train it in one process alone.")
    if device.type == "cuda":
        if local >= torch.cuda.device_count():
            stop(f"Local rank {local} needs a CUDA device of its own and this machine has {torch.cuda.device_count()}: start at most that many processes on it (--nproc_per_node).")
        torch.cuda.set_device(local)
        device, backend = torch.device("cuda", local), "nccl"
    else:
        backend = "gloo"
    try:
        torch.distributed.init_process_group(backend)
    except (RuntimeError, ValueError) as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        stop(f"Could not join the other processes at {os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']} ({first}).", 1)
    return Processes(device, rank, world, backend)


def feeds_outputs():
    """Whether every node feeds an output (one that does not gets no gradient, which DistributedDataParallel must be told to expect)."""
    live = set(OUTPUT_NODES)
    for i in reversed(range(len(NODES))):
        if i in live:
            live.update(source["index"] for source in NODES[i]["sources"] if source["kind"] == "node")
    return len(live) == len(NODES)


def evaluate(model, x, t, processes=None):
    """Loss and accuracy over x and t; across processes, each evaluates its share and they add up."""
    with torch.no_grad():
        if processes is None or processes.world == 1:
            _, s, z = model.evaluate_nodes(x)
            loss = sample_losses(s, z, t).mean().item()
            accuracy = correct_samples(z, t).double().mean().item() if CLASSIFIER else None
            return loss, accuracy
        mine = processes.share(torch.arange(x.shape[0], device=x.device))
        _, s, z = model.evaluate_nodes(x[mine])
        loss_sum, right = processes.total([sample_losses(s, z, t[mine]).sum().item(), correct_samples(z, t[mine]).sum().item()])
        return loss_sum / x.shape[0], right / x.shape[0] if CLASSIFIER else None


def train(model, x, t, epochs, validation=None, processes=None):
    """Trains as the project's hyperparameters say, for at most \`epochs\` epochs.

    Gradient descent: the torch.optim optimiser the project's "optimiser" names (OPTIMISERS), with
    its learning rate and settings; the app's update rules are torch.optim's (for "sgd",
    dw = -eta * dJ/dw + alpha * dw_previous is SGD with momentum). L1 and L2 are added to J as
    l1 * sum|w| + l2/2 * sum w^2 over the weights (not biases, nor bias-node edges), as in the app.
    Locked edges and biases get no update (their gradient is zeroed and, since an optimiser's
    memory may still move them, their values are put back after each step). The epoch's loss is the mean over its steps, each taken
    before its update, as the app reports it. One difference: the shuffling uses PyTorch's random
    generator, so after the first shuffled epoch the samples come in another order than in the app.

    Data-parallel (processes of more than one): every process draws the same order from the same
    seed, cuts each batch into contiguous shares and computes the gradient of its share only; the
    batch is the project's, whatever the number of processes, so the weights are those of one
    process up to the rounding of adding the shares' gradients in another order.
    """
    h = HYPERPARAMETERS
    processes = processes or Processes(x.device)
    n = x.shape[0]
    batch = batch_size(n)
    net = model
    if processes.world > 1:
        from torch.nn.parallel import DistributedDataParallel

        # The normalisation's buffers are constants, the same in every process: not sent each step.
        net = DistributedDataParallel(
            model,
            device_ids=[processes.device.index] if processes.device.type == "cuda" else None,
            broadcast_buffers=False,
            find_unused_parameters=not feeds_outputs(),
        )
    optimiser = OPTIMISERS[h["optimiser"]](model.parameters(), h)
    generator = torch.Generator().manual_seed(int(h["shuffleSeed"]))
    node_masks = masks(x.device)
    best = None
    since_best = 0
    for epoch in range(TRAINED_EPOCHS + 1, TRAINED_EPOCHS + epochs + 1):
        # Drawn on the CPU from the seeded generator: the same order in every process of the run.
        order = (torch.randperm(n, generator=generator) if h["shuffle"] else torch.arange(n)).to(x.device)
        loss_sum, correct, wrong, taken = 0.0, 0, 0, 0
        for first in range(0, n, batch):
            rows = order[first:first + batch]
            mine = processes.share(rows)
            taken += mine.shape[0]
            if h["algorithm"] == "perceptron":
                with torch.no_grad():
                    reads, s, z = model.evaluate_nodes(x[mine])
            else:
                reads, s, z = net(x[mine], nodes=True)
            losses = sample_losses(s, z, t[mine])
            loss_sum += losses.sum().item()
            correct += int(correct_samples(z, t[mine]).sum().item())
            if h["algorithm"] == "perceptron":
                wrong += perceptron_step(model, reads, z, t[mine], node_masks, processes, rows.shape[0])
                continue
            penalty = 0.0
            for layer, (trainable, regularised, _) in zip(model.nodes, node_masks):
                if h["l1"]:
                    penalty = penalty + h["l1"] * (layer.weight * regularised).abs().sum()
                if h["l2"]:
                    penalty = penalty + 0.5 * h["l2"] * ((layer.weight * regularised) ** 2).sum()
            optimiser.zero_grad()
            # The batch's J is the mean over its B samples (B = len(rows), the whole batch). Alone,
            # sum/B is that mean. Across W processes DistributedDataParallel averages the W
            # gradients, (1/W) sum_r g_r, and the shares differ in size (5 rows split 3 + 2, or 1 + 0):
            # the mean of each share's own mean would weight a sample of the short share more. So each
            # process takes its share's sum times W/B: the average is (1/W) sum_r (W/B) sum_{i in r}
            # dJ_i/dw = (1/B) sum_i dJ_i/dw, the single process's gradient. The penalty is a function
            # of the weights alone, the same in every process: each adds all of it, and the average of
            # W equal gradients is that gradient.
            (losses.sum() * (processes.world / rows.shape[0]) + penalty).backward()
            kept = []
            for layer, (trainable, _, bias_trainable) in zip(model.nodes, node_masks):
                # A node that feeds no output has no gradient.
                if layer.weight.grad is not None:
                    layer.weight.grad.mul_(trainable)
                if layer.bias.grad is not None:
                    layer.bias.grad.mul_(bias_trainable)
                kept.append((layer.weight.detach().clone(), layer.bias.detach().clone()))
            optimiser.step()
            # Every process applies the same masks to the same all-reduced gradient: the locks hold
            # in each, and the weights stay equal across them.
            with torch.no_grad():
                for layer, (trainable, _, bias_trainable), (weight, bias) in zip(model.nodes, node_masks, kept):
                    layer.weight.copy_(torch.where(trainable > 0, layer.weight, weight))
                    if bias_trainable == 0.0:
                        layer.bias.copy_(bias)
        # The epoch's numbers over every process, so that all of them stop at the same epoch.
        shares = [0] * processes.world
        shares[processes.rank] = taken
        loss_sum, correct, wrong, *shares = processes.total([loss_sum, correct, wrong, *shares])
        loss = loss_sum / n
        record = {"epoch": epoch, "loss": loss, "accuracy": correct / n if CLASSIFIER else None}
        if validation is not None and validation[0].shape[0] > 0:
            record["validation_loss"], record["validation_accuracy"] = evaluate(model, *validation, processes)
        processes.say(json.dumps(record))
        if processes.world > 1 and epoch == TRAINED_EPOCHS + 1:
            processes.say(f"Data-parallel over {processes.world} processes ({processes.backend}, {processes.device.type}): epoch {epoch}'s {n} samples split {' + '.join(str(int(c)) for c in shares)}.")
        if not math.isfinite(loss):
            processes.say(f"Training diverged in epoch {epoch}: the loss became {loss}. Lower the learning rate.", file=sys.stderr)
            return
        if h["algorithm"] == "perceptron" and wrong == 0:
            processes.say(f"Converged at epoch {epoch}: every training sample is classified correctly.")
            return
        if h["targetLoss"] is not None and loss <= h["targetLoss"]:
            processes.say(f"Stopped at epoch {epoch}: the training loss reached the target {h['targetLoss']}.")
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
                    processes.say(f"Stopped early at epoch {epoch}: best validation loss {best[0]:.4g} at epoch {best[1]}.")
                    return


def perceptron_step(model, reads, z, t, node_masks, processes, batch):
    """The perceptron rule w <- w + eta (t - y) x, averaged over the batch of \`batch\` samples, for the output units.

    Not a gradient method, so not an optimiser: written out as the app does it. Across processes
    each adds up its share and the sums are all-reduced before dividing by the batch size. Returns
    the number of this process's misclassified samples.
    """
    eta = HYPERPARAMETERS["learningRate"]
    wrong = torch.zeros(t.shape[0], dtype=torch.bool, device=t.device)
    with torch.no_grad():
        for i in OUTPUT_NODES:
            error = node_targets(t, i) - z[i]
            wrong |= (error != 0).any(dim=1)
            weight_step = error.T @ reads[i]
            if processes.world == 1:
                bias_step = error.mean(dim=0)
            else:
                bias_step = error.sum(dim=0)
                torch.distributed.all_reduce(weight_step)
                torch.distributed.all_reduce(bias_step)
                bias_step = bias_step / batch
            trainable, _, bias_trainable = node_masks[i]
            layer = model.nodes[i]
            layer.weight += eta * trainable * weight_step / batch
            layer.bias += eta * bias_trainable * bias_step
    return int(wrong.sum().item())


def split(rows, device):
    data = torch.tensor(rows, dtype=DTYPE).reshape(len(rows), len(FEATURES) + len(TARGETS))
    return data[:, :len(FEATURES)].to(device), data[:, len(FEATURES):].to(device)


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
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="where to compute (default: cpu)")
    parser.add_argument("--distributed", action="store_true", help="train data-parallel with the processes a launcher started (torchrun implies it)")
    args = parser.parse_args()

    device = choose_device(args.device)
    model = Network()
    if args.load:
        model.load_state_dict(torch.load(args.load, map_location="cpu"))
    splits = {"train": read_csv(args.data), "validation": [], "test": []} if args.data else DATA
    if splits is None and (args.train or not args.check_inputs):
        sys.exit("This script has no embedded data: pass --data FILE.csv.")
    processes = Processes(device)
    if args.train:
        epochs = args.epochs if args.epochs is not None else HYPERPARAMETERS["maxEpochs"] - TRAINED_EPOCHS
        if epochs < 1:
            sys.exit(f"Already trained for {TRAINED_EPOCHS} epochs, the project's maximum: use --epochs N.")
        if launched(args.distributed):
            processes = join_processes(device, len(splits["train"]))
        model.to(processes.device)
        validation = split(splits["validation"], processes.device) if splits["validation"] else None
        train(model, *split(splits["train"], processes.device), epochs, validation, processes)
        if processes.world > 1:
            torch.distributed.destroy_process_group()
        # Every process holds the same weights now: the first one speaks and writes for all.
        if processes.rank != 0:
            return
        if args.save:
            torch.save({k: v.cpu() for k, v in model.state_dict().items()}, args.save)
            print(f"Wrote {args.save}")
    model.to(processes.device)
    if args.check_inputs:
        # After --train when both are given: the outputs of the trained network.
        with open(args.check_inputs) as file:
            rows = json.load(file)
        x = torch.tensor(rows, dtype=DTYPE).reshape(len(rows), len(FEATURES)).to(processes.device)
        with torch.no_grad():
            print(json.dumps(model(x).tolist()))
        return
    for name in ("train", "validation", "test"):
        if splits[name]:
            loss, accuracy = evaluate(model, *split(splits[name], processes.device))
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
