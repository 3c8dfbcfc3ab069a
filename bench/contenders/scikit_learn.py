"""
scikit-learn's multi-layer perceptron (Debian's python3-sklearn) as a contender of
`npm run bench`: MLPClassifier for the classification workloads (W1: its logistic output and
binary log loss; W3: its softmax output and log loss), MLPRegressor for W2. Plain SGD as every
contender: solver='sgd', constant learning rate, no momentum, no L2 (alpha=0), no shuffling, no
early stopping, the workload's batch size; one `fit` of `epochs` epochs per run. scikit-learn
averages the loss and the gradient over each mini-batch, as the engine does, so W1 and W3 train
exactly as the engine; W2 cannot (see the note below).

The benchmark's initial weights: a first, untimed `fit` of one epoch lets scikit-learn build its
attributes (label binariser, layer lists, loss curve); each run then writes the initial weights
into `coefs_` and `intercepts_` and fits again with warm_start=True, which keeps them rather than
drawing new ones.

    /usr/bin/python3 bench/contenders/scikit_learn.py DIR RUNS

(Not sklearn.py: a script of that name would shadow the package it imports.)
"""
import warnings

import pybench

try:
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor
except ImportError:
    pybench.skip("skipped: scikit-learn is not installed for /usr/bin/python3 (apt install python3-sklearn).")


def prepare(spec, x, y, initial, args):
    layers = spec["layers"]
    hidden = [layer["activation"] for layer in layers[:-1]]
    if len(set(hidden)) != 1:
        raise SystemExit("sklearn: one activation for every hidden layer, not %s" % hidden)
    notes = ["float64", "numpy's BLAS on 1 thread"]
    if spec["loss"] == "halfSquaredError":
        # MLPRegressor is scikit-learn's only squared-error model, and its output is the identity:
        # it has no sigmoid output, so its W2 is another network and its loss is not comparable.
        estimator, targets, comparable = MLPRegressor, y[:, 0] if y.shape[1] == 1 else y, False
        notes.append("identity output (scikit-learn's regressor has no sigmoid output)")
    elif spec["loss"] == "binaryCrossEntropy":
        # One 0/1 column: MLPClassifier's single logistic output and binary log loss.
        estimator, targets, comparable = MLPClassifier, y[:, 0].astype(np.int64), True
    else:
        # Class labels, not the one-hot matrix (which scikit-learn would take as multi-label, with
        # logistic outputs): that is its softmax and log loss.
        estimator, targets, comparable = MLPClassifier, y.argmax(axis=1), True
    activation = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}[hidden[0]]

    def make(epochs, warm):
        return dict(
            hidden_layer_sizes=[layer["units"] for layer in layers[:-1]],
            activation=activation,
            solver="sgd",
            alpha=0.0,
            batch_size=spec["batchSize"],
            learning_rate="constant",
            learning_rate_init=spec["learningRate"],
            momentum=0.0,
            nesterovs_momentum=False,
            shuffle=False,
            early_stopping=False,
            tol=0.0,
            # Never stop early for "no improvement": every run trains all its epochs.
            n_iter_no_change=10**9,
            max_iter=epochs,
            warm_start=warm,
            random_state=0,
        )

    model = estimator(**make(1, False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, targets)
    model.set_params(**make(spec["epochs"], True))
    expected = "identity" if estimator is MLPRegressor else {"sigmoid": "logistic", "softmax": "softmax"}[layers[-1]["activation"]]
    if model.out_activation_ != expected:
        raise SystemExit("sklearn: output %s does not fit the workload's %s" % (model.out_activation_, layers[-1]["activation"]))

    class Prepared:
        samples_per_run = spec["samples"] * spec["epochs"]
        comparable = False
        precision = "float64"
        details = {}

        def reset(self):
            # scikit-learn keeps a weight matrix as inputs x units: the benchmark's transpose.
            for l, (w, b) in enumerate(initial):
                model.coefs_[l][...] = w.T
                model.intercepts_[l][...] = b
            model.n_iter_ = 0
            model.t_ = 0
            model.loss_curve_ = []
            model.best_loss_ = np.inf
            model._no_improvement_count = 0

        def run(self):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(x, targets)
            if model.n_iter_ != spec["epochs"]:
                raise SystemExit("sklearn: trained %d epochs, not %d" % (model.n_iter_, spec["epochs"]))

        def predict(self):
            if estimator is MLPRegressor:
                return model.predict(x).reshape(len(x), -1)
            p = model.predict_proba(x)
            # For one logistic output predict_proba adds 1 − p as a first column.
            return p[:, 1:] if spec["loss"] == "binaryCrossEntropy" else p

    prepared = Prepared()
    prepared.notes = notes
    prepared.comparable = comparable
    import sklearn

    prepared.details = {"sklearn": sklearn.__version__}
    return prepared


if __name__ == "__main__":
    pybench.main("scikit-learn", prepare)
