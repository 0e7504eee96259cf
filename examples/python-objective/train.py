#!/usr/bin/env python3
"""A command objective for hpbandster-silo: logistic regression on a synthetic data set, in pure Python.

The silo starts this script once per job (no shell) and writes the job as JSON to its stdin (and to job.json in
the job's working directory, whose path is also in $HPBANDSTER_JOB_FILE):

    {"config": {"learning_rate": 0.1, "l2": 0.001, "batch_size": 32}, "budget": 9.0,
     "config_id": [0, 0, 1], "working_directory": "...", "run_id": "...", "seed": 42, "attempt": 1}

The budget is the number of epochs. The result is one JSON object on the last line of stdout:

    {"loss": <validation log-loss>, "info": {"accuracy": ..., "epochs": ...}}

Anything printed before that line, and everything on stderr, is free-form (stderr's tail becomes the error text
of a crashed job). No third-party packages are needed.
"""

import json
import math
import random
import sys


def make_data(n, weights, rng):
    """Noisy labels of a linear rule: the same data for every job (seeded)."""
    dims = len(weights)
    rows = []
    for _ in range(n):
        x = [rng.gauss(0.0, 1.0) for _ in range(dims)]
        margin = sum(w * v for w, v in zip(weights, x)) + rng.gauss(0.0, 1.5)
        rows.append((x, 1 if margin > 0 else 0))
    return rows


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def log_loss(w, b, rows):
    total = 0.0
    correct = 0
    for x, y in rows:
        p = min(max(sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b), 1e-12), 1 - 1e-12)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
        correct += (p >= 0.5) == (y == 1)
    return total / len(rows), correct / len(rows)


def train(config, epochs, seed):
    data_rng = random.Random(12345)
    dims = 20
    weights = [data_rng.gauss(0.0, 1.0) for _ in range(dims)]
    train_rows = make_data(600, weights, data_rng)
    valid_rows = make_data(300, weights, data_rng)

    lr = float(config["learning_rate"])
    l2 = float(config["l2"])
    batch = int(config["batch_size"])
    rng = random.Random(seed)
    w = [0.0] * dims
    b = 0.0
    for epoch in range(epochs):
        rng.shuffle(train_rows)
        for start in range(0, len(train_rows), batch):
            chunk = train_rows[start:start + batch]
            gw = [0.0] * dims
            gb = 0.0
            for x, y in chunk:
                err = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b) - y
                for i in range(dims):
                    gw[i] += err * x[i]
                gb += err
            scale = 1.0 / len(chunk)
            for i in range(dims):
                w[i] -= lr * (gw[i] * scale + l2 * w[i])
            b -= lr * gb * scale
        print(f"epoch {epoch + 1}/{epochs}", file=sys.stderr)
    return log_loss(w, b, valid_rows)


def main():
    job = json.load(sys.stdin)
    epochs = max(1, int(round(job["budget"])))
    seed = (int(job["seed"]) * 1000003 + sum(job["config_id"])) % (2 ** 32)
    loss, accuracy = train(job["config"], epochs, seed)
    if not math.isfinite(loss):
        print("training diverged", file=sys.stderr)
        sys.exit(3)
    print(json.dumps({"loss": loss, "info": {"accuracy": accuracy, "epochs": epochs}}))


if __name__ == "__main__":
    main()
