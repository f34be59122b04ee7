"""Worked examples that more than one page uses, so that the pages cannot drift apart."""

from __future__ import annotations

import numpy as np

__all__ = ["q3_example"]


def q3_example() -> tuple[np.ndarray, float, dict[str, np.ndarray]]:
    """Question 3's worked example: the input x, the target y and the parameters (fresh copies).

    Chosen by hand so that the arithmetic is exact in binary floating point and nothing that is
    compared ties: each pooling window has a strict, positive maximum.
    """
    x = np.array([1.0, 2.0, 3.0, 4.0, 1.0])
    y = 1.75
    parameters = {
        "kernel": np.array([0.5, 1.0, -0.5]),  # k1, k2, k3
        "b": np.array(-0.5),
        "w": np.array([1.0, -0.5]),  # w1, w2
        "a": np.array(0.5),
    }
    return x, y, parameters
