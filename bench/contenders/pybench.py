"""
The Python side of `npm run bench`: what bench/child.ts does for a JavaScript contender, for a
contender written in Python (pytorch.py, scikit_learn.py).

bench/contenders/python.ts writes the workload into a directory — spec.json, and the data and
the initial weights as little-endian float64 (x.bin samples x inputs, y.bin samples x outputs,
w<l>.bin units x inputs, b<l>.bin units), all from the seeds in bench/workloads.ts — and runs
`/usr/bin/python3 bench/contenders/<contender>.py DIR RUNS [options]`. The script trains with the
same rules as child.ts (a warm-up of at least 1.5 s and at least one run, then RUNS timed runs
each from the initial weights, the median), writes its predictions on the training data after
the last run to DIR/predictions.bin (float64) so the TypeScript side computes the final loss
with the same `meanLoss` as every other contender, and prints one JSON line.

A missing module is one sentence on stderr and exit status 3, which the harness shows as skipped.
"""
import gc
import json
import os
import resource
import sys
import time

SKIPPED = 3


def skip(sentence):
    """Ends the process as 'skipped', with the reason in one sentence."""
    sys.stderr.write(sentence + "\n")
    sys.exit(SKIPPED)


try:
    import numpy as np
except ImportError:
    skip("skipped: numpy is not installed for /usr/bin/python3 (apt install python3-numpy).")


def _status(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def watch_peak_memory():
    """
    The same measure as bench/memory.ts: the kernel's high-water mark of resident memory, lowered
    to the current resident size once the workload's data are loaded (Linux's /proc/self/clear_refs),
    so that it covers the contender's own setup and training; elsewhere, getrusage's lifetime
    maxRSS, said so.
    """
    setup = _status("VmRSS")
    method = "lifetime"
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        if _status("VmHWM") is not None:
            method = "hwm-reset"
    except OSError:
        pass

    def read():
        lifetime = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        peak = _status("VmHWM") if method == "hwm-reset" else None
        return {"setup": setup if setup is not None else 0, "peak": peak if peak is not None else lifetime, "method": method,
                "lifetimeMaxRss": lifetime, "held": None}

    return read


def load(directory):
    """The workload's spec, data (x, y) and initial weights [(w, b)] as float64 arrays."""
    with open(os.path.join(directory, "spec.json")) as f:
        spec = json.load(f)

    def array(name, shape):
        return np.fromfile(os.path.join(directory, name), dtype="<f8").reshape(shape)

    x = array("x.bin", (spec["samples"], spec["inputs"]))
    y = array("y.bin", (spec["samples"], spec["outputs"]))
    initial = [
        (array("w%d.bin" % l, (layer["units"], layer["inputs"])), array("b%d.bin" % l, (layer["units"],)))
        for l, layer in enumerate(spec["layers"])
    ]
    return spec, x, y, initial


def main(name, prepare):
    """
    Runs one contender: `prepare(spec, x, y, initial, args)` returns an object with reset(),
    run(), predict() (samples x outputs), samples_per_run, notes, comparable, precision and details.
    """
    directory, runs = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    spec, x, y, initial = load(directory)
    gc.collect()
    # From here: the contender's own copies of the data, its model, and training (as child.ts).
    peak = watch_peak_memory()
    prepared = prepare(spec, x, y, initial, args)
    gc.collect()

    # Warm-up: at least 1.5 s and at least one run, as in child.ts.
    until = time.perf_counter() + 1.5
    while True:
        gc.collect()
        prepared.reset()
        prepared.run()
        if time.perf_counter() >= until:
            break
    rates = []
    for _ in range(runs):
        prepared.reset()
        gc.collect()
        start = time.perf_counter()
        prepared.run()
        rates.append(prepared.samples_per_run / (time.perf_counter() - start))
    memory = peak()
    predictions = np.ascontiguousarray(prepared.predict(), dtype="<f8")
    if predictions.shape != (spec["samples"], spec["outputs"]):
        raise SystemExit("%s: predictions of shape %s, not %s" % (name, predictions.shape, (spec["samples"], spec["outputs"])))
    predictions.tofile(os.path.join(directory, "predictions.bin"))
    result = {
        "contender": name,
        "workload": spec["name"],
        "samplesPerSecond": rates,
        "median": sorted(rates)[len(rates) // 2],
        "notes": prepared.notes,
        "comparable": prepared.comparable,
        "precision": prepared.precision,
        "memory": memory,
        **prepared.details,
    }
    sys.stdout.write(json.dumps(result) + "\n")
