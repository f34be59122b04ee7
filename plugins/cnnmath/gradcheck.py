"""Gradients by central finite differences, and how far an analytic gradient is from them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike

ScalarFunction = Callable[[dict[str, np.ndarray]], float]


def numerical_gradient(function: ScalarFunction, parameters: Mapping[str, ArrayLike], *, step: float = 1e-6) -> dict[str, np.ndarray]:
    """Estimate every partial derivative of ``function`` by central differences.

    Each entry ``θ`` is moved to ``θ ± step`` in turn, the others held fixed:
    ``∂f/∂θ ≈ (f(θ + h) − f(θ − h)) / 2h``, with an error of order ``h²``.

    Args:
        function: Takes a dict of float64 arrays (same keys and shapes as
            ``parameters``) and returns a scalar. It must not keep the arrays it is
            given: they are changed in place between calls.
        parameters: Where to take the derivative; scalars become 0-d arrays.
        step: The finite-difference step ``h``.

    Returns:
        The estimated gradient, keyed and shaped like ``parameters``.
    """
    point = {name: np.array(value, dtype=np.float64) for name, value in parameters.items()}
    gradient = {name: np.zeros_like(value) for name, value in point.items()}
    for name, value in point.items():
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + step
            above = float(function(point))
            value[index] = original - step
            below = float(function(point))
            value[index] = original
            gradient[name][index] = (above - below) / (2 * step)
    return gradient


def relative_error(analytic: ArrayLike, numerical: ArrayLike, *, floor: float = 1e-8) -> float:
    """Return ``max |a − n| / max(|a|, |n|, floor)`` over the entries.

    Args:
        analytic: One gradient.
        numerical: Another, of the same shape.
        floor: Smallest denominator, so that two gradients that are both about zero
            count as agreeing rather than as 100 % apart.

    Returns:
        The largest entrywise relative error (0.0 for empty arrays).

    Raises:
        ValueError: If the shapes differ.
    """
    analytic, numerical = (
        np.asarray(analytic, dtype=np.float64),
        np.asarray(numerical, dtype=np.float64),
    )
    if analytic.shape != numerical.shape:
        raise ValueError(f"shapes differ: {analytic.shape} and {numerical.shape}")
    if analytic.size == 0:
        return 0.0
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numerical)), floor)
    return float(np.max(np.abs(analytic - numerical) / scale))


def gradient_check(
    function: ScalarFunction,
    parameters: Mapping[str, ArrayLike],
    analytic: Mapping[str, ArrayLike],
    *,
    step: float = 1e-6,
    floor: float = 1e-8,
) -> dict[str, float]:
    """Compare an analytic gradient with central differences, parameter by parameter.

    Args:
        function: The scalar function, as for :func:`numerical_gradient`.
        parameters: Where to take the derivative.
        analytic: The gradient to check, with the same keys as ``parameters``.
        step: The finite-difference step.
        floor: Smallest denominator of the relative error (see :func:`relative_error`).

    Returns:
        For each parameter, the largest relative error over its entries.

    Raises:
        ValueError: If ``analytic`` lacks a parameter or has one too many.
    """
    if set(analytic) != set(parameters):
        raise ValueError(f"analytic gradient has keys {sorted(analytic)}, parameters have {sorted(parameters)}")
    numerical = numerical_gradient(function, parameters, step=step)
    return {name: relative_error(analytic[name], numerical[name], floor=floor) for name in parameters}
