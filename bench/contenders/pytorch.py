"""
PyTorch (Debian's python3-torch, CPU) as a contender of `npm run bench`, trained the way a user
writes it: nn.Linear layers, the loss on the logits where PyTorch fuses the output's activation
into it (BCEWithLogitsLoss, CrossEntropyLoss), torch.optim.SGD, the mini-batches as views of the
data tensors.

    /usr/bin/python3 bench/contenders/pytorch.py DIR RUNS --dtype float32|float64 --threads N

See pybench.py for DIR and the output.
"""
import sys

import pybench

try:
    import torch
except ImportError:
    pybench.skip("skipped: PyTorch is not installed for /usr/bin/python3 (apt install python3-torch).")


def option(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def prepare(spec, x, y, initial, args):
    dtype = {"float32": torch.float32, "float64": torch.float64}[option(args, "--dtype", "float32")]
    threads = int(option(args, "--threads", "1"))
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    layers = spec["layers"]
    modules = []
    for l, layer in enumerate(layers):
        modules.append(torch.nn.Linear(layer["inputs"], layer["units"]).to(dtype))
        last = l == len(layers) - 1
        activation = layer["activation"]
        if not last:
            modules.append({"tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[activation]())
        elif spec["loss"] == "halfSquaredError":
            # Squared error has no fused form: the output's activation is part of the model.
            modules.append({"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}[activation]())
    model = torch.nn.Sequential(*modules)
    linears = [m for m in modules if isinstance(m, torch.nn.Linear)]

    xs = torch.from_numpy(x).to(dtype).contiguous()
    if spec["loss"] == "categoricalCrossEntropy":
        # Class indices, as CrossEntropyLoss is used (the targets are one-hot).
        ys = torch.from_numpy(y.argmax(axis=1)).long()
        loss_fn = torch.nn.CrossEntropyLoss()
    elif spec["loss"] == "binaryCrossEntropy":
        ys = torch.from_numpy(y).to(dtype)
        loss_fn = torch.nn.BCEWithLogitsLoss()
    else:
        ys = torch.from_numpy(y).to(dtype)

        def loss_fn(z, t):
            return 0.5 * (z - t).pow(2).sum(1).mean()

    batches = list(zip(torch.split(xs, spec["batchSize"]), torch.split(ys, spec["batchSize"])))
    start = [(torch.from_numpy(w).to(dtype), torch.from_numpy(b).to(dtype)) for w, b in initial]
    optimiser = torch.optim.SGD(model.parameters(), lr=spec["learningRate"], momentum=0)
    epochs = spec["epochs"]

    class Prepared:
        samples_per_run = spec["samples"] * epochs
        notes = ["%s, %d thread%s" % (option(args, "--dtype", "float32"), threads, "" if threads == 1 else "s")]
        comparable = True
        precision = "float32" if dtype == torch.float32 else "float64"
        details = {"torch": torch.__version__, "threads": torch.get_num_threads()}

        def reset(self):
            with torch.no_grad():
                # nn.Linear keeps its weight as units x inputs, the benchmark's layout.
                for linear, (w, b) in zip(linears, start):
                    linear.weight.copy_(w)
                    linear.bias.copy_(b)

        def run(self):
            for _ in range(epochs):
                for xb, yb in batches:
                    optimiser.zero_grad(set_to_none=True)
                    loss_fn(model(xb), yb).backward()
                    optimiser.step()

        def predict(self):
            with torch.no_grad():
                z = model(xs)
                if spec["loss"] == "categoricalCrossEntropy":
                    z = torch.softmax(z, dim=1)
                elif spec["loss"] == "binaryCrossEntropy":
                    z = torch.sigmoid(z)
                return z.double().numpy()

    return Prepared()


if __name__ == "__main__":
    dtype = option(sys.argv, "--dtype", "float32")
    threads = option(sys.argv, "--threads", "1")
    pybench.main("PyTorch %s %st" % (dtype.replace("float", "f"), threads), prepare)
