"""Time the Q4 layer (205×205×10 → 66×66×96, 10×10 kernels, stride 3) in NumPy and in PyTorch.

Three measurements, each in a process of its own (two BLAS thread pools in one process slow each
other down), interleaved round by round so that a noisy neighbour slows all of them alike:

* ``numpy``: ``cnnmath.correlation.conv2d`` (im2col into one matrix product), float32;
* ``torch``: ``torch.nn.functional.conv2d``, float32;
* ``matmul``: a float32 matrix product of the im2col shape (4,356 × 1,000 by 1,000 × 96), the
  machine's matrix-multiply throughput on exactly this work, which bounds what im2col can reach.

Prints medians and ratios and writes them, with the machine, to ``benchmarks/results/q4-layer.json``.

Usage: ``python benchmarks/q4_layer.py [--repeat 5] [--calls 20]``; ``--tiny`` (one round of two calls) only
checks that the benchmark still runs: its numbers mean nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "q4-layer.json"
CHANNELS, SIZE, KERNELS, KERNEL, STRIDE = 10, 205, 96, 10, 3
OUTPUT = (SIZE - KERNEL) // STRIDE + 1
MULTIPLICATIONS = OUTPUT * OUTPUT * KERNELS * KERNEL * KERNEL * CHANNELS


def time_calls(call: Callable[[], object], calls: int) -> float:
    """Median seconds of ``calls`` calls, after two untimed ones."""
    call()
    call()
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def worker(kind: str, calls: int) -> float:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((CHANNELS, SIZE, SIZE)).astype(np.float32)
    weight = rng.standard_normal((KERNELS, CHANNELS, KERNEL, KERNEL)).astype(np.float32)
    if kind == "numpy":
        sys.path.insert(0, str(HERE.parent / "plugins"))
        from cnnmath.correlation import conv2d

        assert conv2d(x, weight, stride=STRIDE).shape == (KERNELS, OUTPUT, OUTPUT)
        return time_calls(lambda: conv2d(x, weight, stride=STRIDE), calls)
    if kind == "torch":
        import torch

        tx, tw = torch.from_numpy(x)[None], torch.from_numpy(weight)
        with torch.no_grad():
            assert tuple(torch.nn.functional.conv2d(tx, tw, stride=STRIDE).shape) == (1, KERNELS, OUTPUT, OUTPUT)
            return time_calls(lambda: torch.nn.functional.conv2d(tx, tw, stride=STRIDE), calls)
    windows = rng.standard_normal((OUTPUT * OUTPUT, CHANNELS * KERNEL * KERNEL)).astype(np.float32)
    flat = weight.reshape(KERNELS, -1).T.copy()
    return time_calls(lambda: windows @ flat, calls)


def machine() -> dict[str, object]:
    import os
    import platform
    from importlib import metadata

    cpu = platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        )
    versions = {}
    for package in ("numpy", "torch"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the three measurements")
    parser.add_argument("--calls", type=int, default=20, help="timed calls per measurement")
    parser.add_argument("--worker", choices=["numpy", "torch", "matmul"], help=argparse.SUPPRESS)
    parser.add_argument("--tiny", action="store_true", help="one round of two calls: a smoke test, not a measurement")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args(argv)
    if options.tiny:
        options.repeat, options.calls = 1, 2
    if options.worker:
        print(json.dumps(worker(options.worker, options.calls)))
        return
    kinds = ["numpy", "torch", "matmul"]
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    for round_ in range(options.repeat):
        for kind in kinds:
            completed = subprocess.run(
                [sys.executable, __file__, "--worker", kind, "--calls", str(options.calls)], capture_output=True, text=True, check=True
            )
            samples[kind].append(json.loads(completed.stdout))
        print(
            f"  round {round_ + 1}/{options.repeat}: " + ", ".join(f"{kind} {samples[kind][-1] * 1000:.2f} ms" for kind in kinds),
            flush=True,
        )
    medians = {kind: statistics.median(values) for kind, values in samples.items()}
    flops = 2 * MULTIPLICATIONS
    report: dict[str, Any] = {
        "command": f"python benchmarks/q4_layer.py --repeat {options.repeat} --calls {options.calls}",
        "layer": {
            "input": [SIZE, SIZE, CHANNELS],
            "output": [OUTPUT, OUTPUT, KERNELS],
            "kernel": KERNEL,
            "stride": STRIDE,
            "multiplications": MULTIPLICATIONS,
        },
        "machine": machine(),
        "median_seconds": {kind: round(value, 6) for kind, value in medians.items()},
        "samples_seconds": {kind: [round(value, 6) for value in values] for kind, values in samples.items()},
        "gflops": {kind: round(flops / value / 1e9, 1) for kind, value in medians.items()},
        "numpy_over_torch": round(medians["numpy"] / medians["torch"], 2),
        "numpy_over_matmul": round(medians["numpy"] / medians["matmul"], 2),
        "target": "numpy within 2× of PyTorch",
        "met": medians["numpy"] / medians["torch"] <= 2.0,
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for kind in kinds:
        print(f"{kind:>7}: {medians[kind] * 1000:7.2f} ms  ({report['gflops'][kind]} GFLOP/s)")
    ratios = f"NumPy / PyTorch: {report['numpy_over_torch']}×   NumPy / matmul alone: {report['numpy_over_matmul']}×"
    print(f"{ratios}   target met: {report['met']}")
    print(f"written to {options.output}")


if __name__ == "__main__":
    main()
