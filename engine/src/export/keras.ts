/**
 * Keras (TensorFlow) export: a Python script with the network as a `keras.Sequential` of Dense
 * layers, its trained weights, the input normalisation, the project's data and `model.fit` with the
 * project's loss, optimiser and hyperparameters.
 *
 * Keras's layers are whole-layer maps, so this export takes dense chains: every input feeds the
 * first layer, each further layer reads the one before, and the last is the only output. Anything
 * else (skip connections, hand-wired sparse edges, bias nodes, several outputs, weights locked in
 * part of a layer) would need masked custom layers; for those the file says which node or edge is
 * the reason and stops with that message, and the PyTorch export, which expresses any DAG, is the
 * way to go.
 */
import type { CompiledModel } from '../compile/compile';
import { ACTIVATION_NAMES, ACTIVATIONS, decisionThreshold } from '../model/activations';
import { describeNode } from '../model/graph';
import { LOSSES, lossForm, type LossForm } from '../model/losses';
import type { Project } from '../project/schema';
import { prepareExport, graphNode, inputColumns, type ExportModel } from './model';
import { docText, embeddedData, py, pyMatrix } from './python';
import { quoteForMessage } from '../util/quote';
import { OPTIMISERS, OPTIMISER_NAMES } from '../train/optimisers';

/**
 * Why the network is not a dense chain Keras can express as Sequential Dense layers, or null when it is.
 * The reason names the node or edge concerned.
 */
export function kerasLimitation(model: CompiledModel): string | null {
  const describe = (id: string) => describeNode(graphNode(model, id));
  if (model.biasSlots.length > 0) {
    return `The network has a bias node (${describe(model.slotNodes[model.biasSlots[0]])}); Keras's Dense layers only have their own per-unit biases.`;
  }
  if (model.outputs.length !== 1)
    return `The network has ${model.outputs.length} output nodes (${model.outputs.map((o) => describe(o.id)).join(', ')}); a Sequential model has one output layer.`;
  const inputIds = new Set(model.inputs.map((i) => i.nodeId));
  const chain = model.computing;
  for (let k = 0; k < chain.length; k++) {
    const node = chain[k];
    if (k === 0) {
      const fed = new Set(node.incoming.map((e) => e.source));
      const missing = model.inputs.find((i) => !fed.has(i.nodeId));
      if (missing)
        return `Input ${describe(missing.nodeId)} does not feed the first layer ${describe(node.id)}; a Dense layer reads every input.`;
      const other = node.incoming.find((e) => !inputIds.has(e.source));
      if (other) return `The first layer ${describe(node.id)} also reads ${describe(other.source)} (edge '${quoteForMessage(other.id)}').`;
    } else {
      const previous = chain[k - 1];
      const fromInput = node.incoming.find((e) => inputIds.has(e.source));
      if (fromInput) {
        return `${describe(node.id)} reads input ${describe(fromInput.source)} directly (edge '${quoteForMessage(fromInput.id)}'), but in a dense chain only the first layer reads the inputs. (Single neurons side by side are not one Keras layer: draw them as one dense layer.)`;
      }
      if (node.incoming.length !== 1 || node.incoming[0].source !== previous.id) {
        const odd = node.incoming.find((e) => e.source !== previous.id);
        return odd
          ? `${describe(node.id)} reads ${describe(odd.source)} through edge '${quoteForMessage(odd.id)}', not only the layer before it (${describe(previous.id)}): a skip connection or a hand-wired edge.`
          : `${describe(node.id)} does not read the layer before it (${describe(previous.id)}).`;
      }
    }
    const locks = node.incoming.map((e) => e.locked);
    const allLocked = locks.every(Boolean) && node.biasLocked;
    if ((locks.some(Boolean) || node.biasLocked) && !allLocked) {
      return `${describe(node.id)} has some locked weights or biases and others not; Keras can only freeze a whole layer.`;
    }
  }
  if (chain.at(-1)!.id !== model.outputs[0].id) return `The output ${describe(model.outputs[0].id)} is not the last layer of a chain.`;
  return null;
}

/**
 * A Keras script for the project, or — for a network that is not a dense chain — a script that
 * explains why and exits with that message.
 * @throws ExportError when the graph does not compile.
 */
export function exportKeras(project: Project): string {
  return kerasFromExportModel(prepareExport(project));
}

/** {@link exportKeras} from an already prepared model. */
export function kerasFromExportModel(prepared: ExportModel): string {
  const { project, model, params, normalisation } = prepared;
  const limitation = kerasLimitation(model);
  if (limitation) {
    return `#!/usr/bin/env python3
"""${docText(project.name)}: not exported to Keras.

${docText(limitation)}

Keras's Sequential Dense layers express dense chains only (every input into the first layer, each
layer into the next, one output). This network would need masked custom layers, so it was not
written as Keras code: export it to PyTorch, which expresses any network NN Studio draws
(skip connections, hand-wired sparse edges, bias nodes, several outputs), or to ONNX to run it.
"""
import sys

sys.exit(${py(`Not exported to Keras: ${limitation} Export to PyTorch or ONNX instead.`)})
`;
  }
  const h = project.hyperparameters;
  const data = embeddedData(prepared);
  const inputColumn = inputColumns(model);
  const layers = model.computing.map((node, k) => {
    const g = graphNode(model, node.id);
    // Keras's kernel is [inputs × units]: the transpose of the engine's rows-per-unit matrix, with
    // the first layer's columns put in feature order.
    const fanIn = k === 0 ? model.inputs.length : model.computing[k - 1].units;
    const kernel = Array.from({ length: fanIn }, () => new Array<number>(node.units).fill(0));
    let column = 0;
    for (const edge of node.incoming) {
      for (let i = 0; i < edge.sourceUnits; i++) {
        const row = k === 0 ? inputColumn.get(edge.source)! + i : i;
        for (let j = 0; j < node.units; j++) kernel[row][j] = params[node.weightOffset + j * node.fanIn + column + i];
      }
      column += edge.sourceUnits;
    }
    return {
      name: `n${k}_${node.id.replace(/[^A-Za-z0-9_]+/g, '_')}`.slice(0, 60),
      label: g.label ?? g.id,
      units: node.units,
      activation: node.activation,
      kernel,
      bias: Array.from(params.subarray(node.biasOffset, node.biasOffset + node.units)),
      frozen: node.biasLocked && node.incoming.every((e) => e.locked),
    };
  });
  const output = model.outputs[0];
  const perceptron = h.algorithm === 'perceptron';
  const batch = h.mode === 'batch' ? 'len(x)' : h.mode === 'stochastic' ? '1' : String(h.batchSize);
  // An output the loss may not be paired with (the app would not train it) gets the loss's last form, as in PyTorch's script.
  const forms: readonly LossForm[] = LOSSES[h.loss].forms;
  const lossCode = (lossForm(h.loss, output.activation) ?? forms[forms.length - 1]).keras(output.units);
  const metric =
    output.activation === 'softmax'
      ? '["categorical_accuracy"]'
      : decisionThreshold(output.activation) === 0.5
        ? '["binary_accuracy"]'
        : '[]';

  return `#!/usr/bin/env python3
"""${docText(project.name)}: a network exported from NN Studio after ${project.training.epoch} epoch${project.training.epoch === 1 ? '' : 's'} of training.
${project.description ? `\n${docText(project.description)}\n` : ''}
The network as a Keras Sequential model of Dense layers (Keras 3, any backend) with its trained
weights, the normalisation of its inputs, the project's data, and model.fit with the project's
loss, optimiser and hyperparameters.

    python3 THIS_FILE                        loss on the project's data
    python3 THIS_FILE --train [--epochs N] [--save model.keras]
    python3 THIS_FILE --check-inputs X.json  print the outputs for the raw input rows in X.json

Inputs: raw features in this order: ${docText(model.features.join(', '))}
Outputs: ${docText(model.targets.join(', '))}
"""
import argparse
import json
import sys

import numpy as np
import keras
from keras import layers, ops

# NN Studio computes in float64; so does this model, so its outputs match the app's to rounding.
keras.backend.set_floatx("float64")

FEATURES = ${py(model.features)}
TARGETS = ${py(model.targets)}
# x' = (x - shift) / scale per feature, fitted on the training split (None: inputs used as they are).
NORMALISATION = ${normalisation ? py({ method: normalisation.method, shift: normalisation.shift, scale: normalisation.scale }) : 'None'}
HYPERPARAMETERS = ${py(h)}

# The app's optimisers as keras.optimizers builds them, by the name HYPERPARAMETERS["optimiser"] holds.
OPTIMISERS = {
${OPTIMISER_NAMES.map((name) => `    ${py(name)}: lambda h: ${OPTIMISERS[name].keras((key) => `h[${py(key)}]`)},`).join('\n')}
}
TRAINED_EPOCHS = ${project.training.epoch}

# Dense layers in order; "kernel" is [inputs x units] as Keras stores it.
LAYERS = [
${layers
  .map(
    (l) => `    {
        "name": ${py(l.name)},
        "label": ${py(l.label)},
        "units": ${l.units},
        "activation": ${py(l.activation)},
        "kernel": ${pyMatrix(l.kernel, '        ')},
        "bias": ${py(l.bias)},
        "frozen": ${py(l.frozen)},
    },`,
  )
  .join('\n')}
]

# The project's data, raw, split as the app splits it: rows of features then targets.
${data ? `DATA = {\n    "train": ${pyMatrix(data.train, '    ')},\n    "validation": ${pyMatrix(data.validation, '    ')},\n    "test": ${pyMatrix(data.test, '    ')},\n}` : `# Not embedded (too large, or the network's columns are not all in it).\nDATA = None`}


def step(s):
    return ops.cast(ops.greater(s, 0), s.dtype)


def sign(s):
    # The lecture's sign: -1 at s = 0.
    return ops.where(ops.greater(s, 0), ops.ones_like(s), -ops.ones_like(s))


ACTIVATIONS = {
${ACTIVATION_NAMES.map((name) => `    ${py(name)}: ${ACTIVATIONS[name].keras},`).join('\n')}
}


def build_model():
    h = HYPERPARAMETERS
    # L1 and L2 on the kernels only (not biases), as in the app: the app's J adds l1 sum|w| + l2/2 sum w^2,
    # and Keras's L2 adds l2 sum w^2, hence half the rate.
    regulariser = keras.regularizers.L1L2(l1=h["l1"], l2=h["l2"] / 2) if h["l1"] or h["l2"] else None
    model = keras.Sequential(name="network")
    model.add(keras.Input(shape=(len(FEATURES),), name="input"))
    if NORMALISATION:
        # (x - mean) / sqrt(variance) is the app's (x - shift) / scale.
        model.add(layers.Normalization(mean=NORMALISATION["shift"], variance=[s * s for s in NORMALISATION["scale"]], name="normalise"))
    for spec in LAYERS:
        activation = ACTIVATIONS[spec["activation"]]
        layer = layers.Dense(spec["units"], activation=activation, kernel_regularizer=regulariser, name=spec["name"])
        model.add(layer)
        layer.set_weights([np.array(spec["kernel"]), np.array(spec["bias"])])
        # Locked in the app (every weight and the biases): frozen here.
        layer.trainable = not spec["frozen"]
    return model


${lossCode}


class StopAtTargetLoss(keras.callbacks.Callback):
    """The app's target loss: stop once the epoch's training loss is at or below it."""

    def on_epoch_end(self, epoch, logs=None):
        target = HYPERPARAMETERS["targetLoss"]
        if target is not None and logs and logs.get("loss", float("inf")) <= target:
            self.model.stop_training = True


def train(model, x, t, epochs, validation=None):
    """model.fit as the project's hyperparameters say.

    The optimiser is the keras.optimizers one the project's "optimiser" names (OPTIMISERS), with its
    learning rate and settings; SGD with momentum is the app's update dw = -eta dJ/dw + alpha dw_previous.${
      OPTIMISERS[project.hyperparameters.optimiser].kerasDifference
        ? `\n    For ${OPTIMISERS[project.hyperparameters.optimiser].label}, ${OPTIMISERS[project.hyperparameters.optimiser].kerasDifference}.`
        : ''
    }
    Differences from the app: Keras shuffles with its own random generator; its reported loss includes
    the L1/L2 penalty (the app reports the data loss), and the target loss is checked against that.
    """
    h = HYPERPARAMETERS
    ${
      perceptron
        ? `# The perceptron rule (w <- w + eta (t - y) x) is not a gradient method, and model.fit
    # only does gradient descent: step and sign units have no gradient. Train with the PyTorch export.
    sys.exit("This project trains with the perceptron rule, which Keras's fit cannot do; export to PyTorch to train it.")`
        : `model.compile(optimizer=OPTIMISERS[h["optimiser"]](h), loss=loss, metrics=${metric})
    callbacks = [StopAtTargetLoss()]
    if h["earlyStopping"] and validation is not None:
        stopping = h["earlyStopping"]
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=stopping["patience"], min_delta=stopping["minDelta"], restore_best_weights=stopping["restoreBest"]))
    model.fit(x, t, batch_size=${batch}, epochs=epochs, shuffle=h["shuffle"], validation_data=validation, callbacks=callbacks, verbose=2)`
    }


def split(rows):
    data = np.array(rows, dtype="float64").reshape(len(rows), len(FEATURES) + len(TARGETS))
    return data[:, :len(FEATURES)], data[:, len(FEATURES):]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="train as the project's hyperparameters say")
    parser.add_argument("--epochs", type=int, help="epochs to train (default: up to the project's maximum)")
    parser.add_argument("--save", help="save the model here after training (a .keras file)")
    parser.add_argument("--check-inputs", help="print the outputs for the raw input rows in this JSON file")
    args = parser.parse_args()

    model = build_model()
    if args.check_inputs:
        with open(args.check_inputs) as file:
            rows = json.load(file)
        x = np.array(rows, dtype="float64").reshape(len(rows), len(FEATURES))
        print(json.dumps(model.predict(x, verbose=0).tolist()))
        return
    if DATA is None:
        sys.exit("This script has no embedded data.")
    if args.train:
        epochs = args.epochs if args.epochs is not None else HYPERPARAMETERS["maxEpochs"] - TRAINED_EPOCHS
        if epochs < 1:
            sys.exit(f"Already trained for {TRAINED_EPOCHS} epochs, the project's maximum: use --epochs N.")
        validation = split(DATA["validation"]) if DATA["validation"] else None
        train(model, *split(DATA["train"]), epochs, validation)
        if args.save:
            model.save(args.save)
            print(f"Wrote {args.save}")
    for name in ("train", "validation", "test"):
        if DATA[name]:
            x, t = split(DATA[name])
            print(f"{name}: loss {float(ops.mean(loss(t, model.predict(x, verbose=0)))):.6g}")


if __name__ == "__main__":
    main()
`;
}
