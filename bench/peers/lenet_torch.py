#!/usr/bin/env python3
"""The PyTorch peer of one LeNet-5 worker step of Algorithm 1, on the CPU.

What it measures: the wall time of one worker step, as a PyTorch user would write it, of the
EASGD model (15) with the `log` potential phi-hat(w) = -log(1 - |w|^2) (eta = 1) applied per
parameter tensor ("layer"), Nesterov momentum, batch 20, float32:

  1. zero_grad, forward of the Caffe LeNet-5 (1x28x28 -> Conv(20, 5x5) -> ReLU -> MaxPool 2x2
     -> Conv(50, 5x5) -> ReLU -> MaxPool 2x2 -> flatten 800 -> Linear 800->500 -> ReLU
     -> Linear 500->10 -> log-softmax + NLL mean over the batch; 431,080 parameters), backward;
  2. under torch.no_grad(), for every parameter tensor p with momentum buffer v and consensus
     copy u (a fixed tensor of p's shape), with w = u - p and s = |w|^2 (per tensor):
         grad phi-hat(w) = 2 / (1 - s) * w
         Delta = grad + nu p - (1/lambda) grad phi-hat(w)
         v <- kappa v + Delta
         p <- p - sigma (Delta + kappa v)
     with nu = 1e-4, lambda = 0.05, sigma = 0.005, kappa = 0.9 (the constants of
     bench/peers/easgd_numpy.py). This is the worker update (17) of Algorithm 1 (lines 5-6) with
     the momentum written as in kernels/src/reference.rs, without the fraction-to-boundary line
     search (u = p + small noise keeps s far below 1; checked after the run).

The input is random images in [0, 1] and random labels (fixed seed); one batch is reused at
every step, so data loading is not timed. Each timed step covers all of 1 and 2; the report is
the median and the 10th / 90th percentiles of the per-step times after the warm-up steps.

`--plain-sgd` times, for reference, forward + backward + torch.optim.SGD(momentum=0.9,
nesterov=True) step instead of the update in 2 (same lr sigma and weight decay nu).

Usage: python3 lenet_torch.py [--threads N] [--steps K] [--warmup W] [--plain-sgd] [--json]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

LENET5_PARAMS = 431_080  # kernels/src/layers.rs: LENET5_PARAMS
BATCH = 20
SEED = 20190416
NU, LAMBDA, SIGMA, KAPPA = 1e-4, 0.05, 0.005, 0.9
# Initial |u - p|^2 per tensor: well inside the log potential's domain s < 1.
INITIAL_S = 0.1


class LeNet5(nn.Module):
    """The Caffe LeNet-5 with ReLU after the convolutions (docs/training.md)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return F.log_softmax(self.fc2(x), dim=1)


def worker_update(params, velocities, consensus):
    """The worker update of Algorithm 1 with the log potential per tensor (see module doc)."""
    with torch.no_grad():
        for p, v, u in zip(params, velocities, consensus):
            w = u - p
            s = torch.dot(w.view(-1), w.view(-1))
            delta = p.grad.add(p, alpha=NU)
            delta.sub_(w.mul_((2.0 / LAMBDA) / (1.0 - s)))
            v.mul_(KAPPA).add_(delta)
            p.sub_(delta.add_(v, alpha=KAPPA), alpha=SIGMA)


def run(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    model = LeNet5()
    params = list(model.parameters())
    n = sum(p.numel() for p in params)
    assert n == LENET5_PARAMS, f"LeNet-5 has {n} parameters, expected {LENET5_PARAMS}"
    x = torch.rand(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))

    if args.plain_sgd:
        opt = torch.optim.SGD(params, lr=SIGMA, momentum=KAPPA, nesterov=True, weight_decay=NU)

        def update():
            opt.step()
    else:
        velocities = [torch.zeros_like(p) for p in params]
        consensus = [
            (p + torch.randn_like(p) * math.sqrt(INITIAL_S / p.numel())).detach() for p in params
        ]

        def update():
            worker_update(params, velocities, consensus)

    def step():
        model.zero_grad(set_to_none=False)
        loss = F.nll_loss(model(x), y)
        loss.backward()
        update()
        return loss

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)

    with torch.no_grad():
        assert all(torch.isfinite(p).all() for p in params), f"non-finite parameter (seed {SEED})"
        if not args.plain_sgd:
            s_max = max(float((u - p).pow(2).sum()) for p, u in zip(params, consensus))
            assert s_max < 1.0, f"left the log domain: max |u - p|^2 = {s_max} (seed {SEED})"
    ms = sorted(t * 1e3 for t in times)
    q = statistics.quantiles(ms, n=10, method="inclusive")
    return {
        "framework": "pytorch",
        "torch": torch.__version__,
        "threads": args.threads,
        "batch": BATCH,
        "params": n,
        "update": "sgd-nesterov" if args.plain_sgd else "algorithm1-log",
        "steps": args.steps,
        "median_ms": statistics.median(ms),
        "p10_ms": q[0],
        "p90_ms": q[-1],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    ap.add_argument("--steps", type=int, default=200, help="timed steps (default 200)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    ap.add_argument("--plain-sgd", action="store_true",
                    help="time torch.optim.SGD(momentum=0.9, nesterov=True) instead")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if args.threads < 1 or args.steps < 2 or args.warmup < 0:
        ap.error("need --threads >= 1, --steps >= 2, --warmup >= 0")
    r = run(args)
    if args.json:
        print(json.dumps(r), flush=True)
    else:
        print(f"PyTorch {r['torch']} LeNet-5 worker step ({r['update']}), batch {BATCH}, "
              f"{r['threads']} thread(s): median {r['median_ms']:.3f} ms "
              f"(p10 {r['p10_ms']:.3f}, p90 {r['p90_ms']:.3f}) over {r['steps']} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
