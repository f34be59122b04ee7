"""The tiny 1-D CNN of question 3, for any input length n and kernel length d.

The network, with ``m = n − d + 1``:

- convolution (cross-correlation, stride 1, no padding): ``z = T x + b·1``, where
  ``T`` is the ``m × n`` banded Toeplitz matrix ``T[i, i + j] = k_j``
  (:func:`toeplitz`);
- "max pool, relu": ``v_i = max{z_i, z_{i+1}, 0}`` for ``i = 1 … m − 1`` (windows of
  width 2, stride 1, the ReLU folded in);
- output ``ŷ = w·v + a`` and loss ``L = ½ (y − ŷ)²``.

Its parameters are ``kernel`` (k_1 … k_d), ``b``, ``w`` (w_1 … w_{m−1}) and ``a``,
passed around as a mapping with those keys. :func:`backward` follows the write-up's
formulas step by step; where two entries of a pooling window tie, a *tie policy*
decides which of them the gradient reaches (:data:`TIE_POLICIES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from cnnmath._validation import as_int
from cnnmath.correlation import correlate1d

TiePolicy = Literal["outer", "first", "last"]

#: Where the gradient of a pooling window ``(z_i, z_{i+1})`` goes when ``z_i = z_{i+1} > 0``
#: (with a strict maximum it goes to the maximum; with a maximum ≤ 0 the ReLU stops it):
#:
#: - ``"outer"``: towards the outside of the sequence. A window in the left half
#:   (``i ≤ m/2``) gives the tie to its left element ``z_i``, a window in the right half
#:   to its right element ``z_{i+1}``; the central window of an even ``m`` counts as
#:   left. Equivalently, ``z_i`` wins when its distance from the start, ``i − 1``, is at
#:   most the distance of ``z_{i+1}`` from the end, ``m − i − 1``. For ``m = 3`` this is
#:   the write-up's rule, "ties are broken in favor of z1 and z3".
#: - ``"first"``: always to ``z_i``, the left element; PyTorch's ``max_pool1d`` does this.
#: - ``"last"``: always to ``z_{i+1}``, the right element.
TIE_POLICIES: tuple[str, ...] = ("outer", "first", "last")

#: Names of the codes :func:`z2_routing` returns: code ``c`` has bit 0 set when δ1
#: reaches z2 and bit 1 set when δ2 does.
ROUTE_LABELS: tuple[str, ...] = ("0", "δ1", "δ2", "δ1+δ2")

#: The keys of a parameter mapping: kernel k_1 … k_d, bias b, weights w_1 … w_{m−1}, bias a.
PARAMETER_NAMES: tuple[str, ...] = ("kernel", "b", "w", "a")


def toeplitz(kernel: ArrayLike, n: int, stride: int = 1) -> np.ndarray:
    """Return the ``m × n`` matrix ``T`` with ``T x`` the valid cross-correlation of x.

    Args:
        kernel: ``(k_1, …, k_d)``.
        n: Input length, at least ``d``.
        stride: How far each window moves; with a stride above one, T's band steps
            ``stride`` columns per row.

    Returns:
        ``T`` with ``T[i, stride·i + j] = k_j`` (0-based) and zeros elsewhere;
        ``m = ⌊(n − d)/stride⌋ + 1``. For ``d = 3, n = 5``, stride 1:
        ``[[k1 k2 k3 0 0], [0 k1 k2 k3 0], [0 0 k1 k2 k3]]``.

    Raises:
        ValueError: If the kernel is not 1-D or is longer than ``n``, or the stride is below one.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    n = as_int(n, "n", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    if kernel.ndim != 1 or not 1 <= kernel.size <= n:
        raise ValueError(f"kernel must be 1-D with 1 to {n} entries, got shape {kernel.shape}")
    m = (n - kernel.size) // stride + 1
    matrix = np.zeros((m, n))
    for row in range(m):
        matrix[row, stride * row : stride * row + kernel.size] = kernel
    return matrix


@dataclass(frozen=True)
class Forward:
    """A forward pass with every intermediate value.

    Attributes:
        x: Input, length n.
        y: Target.
        kernel: Convolution kernel, length d.
        b: Convolution bias.
        w: Output weights, length m − 1.
        a: Output bias.
        T: The Toeplitz matrix, ``m × n``.
        z: Convolution output ``T x + b``, length m.
        v: Pooled and rectified values ``max{z_i, z_{i+1}, 0}``, length m − 1.
        y_hat: Prediction ``w·v + a``.
        loss: ``½ (y − ŷ)²``.
    """

    x: np.ndarray
    y: float
    kernel: np.ndarray
    b: float
    w: np.ndarray
    a: float
    T: np.ndarray
    z: np.ndarray
    v: np.ndarray
    y_hat: float
    loss: float


@dataclass(frozen=True)
class Gradients:
    """Every derivative of the loss that the backward pass computes.

    Attributes:
        y_hat: ∂L/∂ŷ = ŷ − y.
        w: ∂L/∂w_i = (ŷ − y) v_i.
        a: ∂L/∂a = ŷ − y.
        delta: δ_i = ∂L/∂v_i = (ŷ − y) w_i.
        routes: ``routes[i, j]`` is true when δ_i reaches z_j.
        alpha: α_j = ∂L/∂z_j, the sum of the δ_i routed to z_j.
        kernel: ∂L/∂k_j = Σ_i α_i x_{i+j−1}.
        b: ∂L/∂b = Σ_i α_i.
        x: ∂L/∂x = Tᵀ α.
    """

    y_hat: float
    w: np.ndarray
    a: float
    delta: np.ndarray
    routes: np.ndarray
    alpha: np.ndarray
    kernel: np.ndarray
    b: float
    x: np.ndarray

    def parameters(self) -> dict[str, np.ndarray]:
        """Return the gradients of the parameters, keyed like the parameters."""
        return {
            "kernel": self.kernel,
            "b": np.asarray(self.b),
            "w": self.w,
            "a": np.asarray(self.a),
        }


def forward(parameters: Mapping[str, ArrayLike], x: ArrayLike, y: float) -> Forward:
    """Run the network on one input.

    Args:
        parameters: ``kernel`` (length d), ``b``, ``w`` (length m − 1) and ``a``.
        x: Input of length n ≥ d + 1 (so there is at least one pooling window).
        y: Target.

    Returns:
        Every intermediate value and the loss.

    Raises:
        ValueError: If a parameter is missing or has the wrong shape.
    """
    missing = [name for name in PARAMETER_NAMES if name not in parameters]
    if missing:
        raise ValueError(f"missing parameters {missing}; expected {list(PARAMETER_NAMES)}")
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(parameters["kernel"], dtype=np.float64)
    w = np.asarray(parameters["w"], dtype=np.float64)
    b, a, y = float(parameters["b"]), float(parameters["a"]), float(y)  # type: ignore[arg-type]
    if x.ndim != 1 or kernel.ndim != 1 or not 1 <= kernel.size <= x.size - 1:
        raise ValueError(f"need a 1-D input longer than the 1-D kernel, got shapes {x.shape} and {kernel.shape}")
    m = x.size - kernel.size + 1
    if w.shape != (m - 1,):
        raise ValueError(f"w must have shape ({m - 1},) for n={x.size}, d={kernel.size}, got {w.shape}")
    matrix = toeplitz(kernel, x.size)
    z = matrix @ x + b
    v = np.maximum(np.maximum(z[:-1], z[1:]), 0.0)
    y_hat = float(w @ v + a)
    loss = 0.5 * (y - y_hat) ** 2
    return Forward(x, y, kernel, b, w, a, matrix, z, v, y_hat, loss)


def loss(parameters: Mapping[str, ArrayLike], x: ArrayLike, y: float) -> float:
    """Return the loss for ``parameters`` on one input (for finite differences)."""
    return forward(parameters, x, y).loss


def routing(z: ArrayLike, tie_policy: TiePolicy = "outer") -> np.ndarray:
    """Say which pooling gradients reach which convolution outputs.

    Args:
        z: Convolution outputs, shape ``(..., m)`` with ``m ≥ 2``.
        tie_policy: One of :data:`TIE_POLICIES`.

    Returns:
        A boolean array of shape ``(..., m − 1, m)``: entry ``[i, j]`` is true when
        δ_i = ∂L/∂v_i reaches z_j, i.e. when z_j is the maximum of window i (ties
        settled by the policy) and that maximum is positive.

    Raises:
        ValueError: For an unknown policy or fewer than two entries.
    """
    if tie_policy not in TIE_POLICIES:
        raise ValueError(f"unknown tie policy {tie_policy!r}; expected one of {list(TIE_POLICIES)}")
    z = np.asarray(z, dtype=np.float64)
    if z.ndim < 1 or z.shape[-1] < 2:
        raise ValueError(f"need at least two convolution outputs, got shape {z.shape}")
    m = z.shape[-1]
    left, right = z[..., :-1], z[..., 1:]
    window = np.arange(1, m)  # 1-based window number i, holding z_i and z_{i+1}
    if tie_policy == "first":
        ties_go_left = np.ones(m - 1, dtype=bool)
    elif tie_policy == "last":
        ties_go_left = np.zeros(m - 1, dtype=bool)
    else:
        ties_go_left = 2 * window <= m
    to_left = (left > right) | ((left == right) & ties_go_left)
    positive = np.where(to_left, left, right) > 0
    routes = np.zeros((*z.shape[:-1], m - 1, m), dtype=bool)
    rows = np.arange(m - 1)
    routes[..., rows, rows] = positive & to_left
    routes[..., rows, rows + 1] = positive & ~to_left
    return routes


def backward(result: Forward, tie_policy: TiePolicy = "outer") -> Gradients:
    """Backpropagate through the network with the write-up's formulas.

    Args:
        result: A forward pass.
        tie_policy: Where the gradient of a tied pooling window goes (:data:`TIE_POLICIES`);
            ``"outer"`` is the write-up's rule.

    Returns:
        ∂L/∂ŷ, ∂L/∂w, ∂L/∂a, δ, the routing, α = ∂L/∂z, ∂L/∂k, ∂L/∂b and ∂L/∂x.
    """
    d_y_hat = result.y_hat - result.y  # ∂L/∂ŷ = ŷ − y
    d_w = d_y_hat * result.v  # ∂L/∂w_i = (ŷ − y) v_i
    d_a = d_y_hat  # ∂L/∂a = ŷ − y
    delta = d_y_hat * result.w  # δ_i = ∂L/∂v_i = (ŷ − y) w_i
    routes = routing(result.z, tie_policy)
    alpha = delta @ routes  # α_j = Σ_i δ_i [δ_i reaches z_j]
    m, d = result.z.size, result.kernel.size
    # ∂L/∂k_j = Σ_i α_i x_{i+j−1}; 0-based, x[j : j + m] holds x_{j+1} … x_{j+m}.
    d_kernel = np.array([alpha @ result.x[j : j + m] for j in range(d)])
    d_b = float(alpha.sum())  # ∂L/∂b = Σ_i α_i
    d_x = result.T.T @ alpha  # ∂L/∂x = Tᵀ α
    return Gradients(d_y_hat, d_w, d_a, delta, routes, alpha, d_kernel, d_b, d_x)


def kernel_gradient_by_correlation(x: ArrayLike, alpha: ArrayLike, stride: int = 1, d: int | None = None) -> np.ndarray:
    """Return ∂L/∂k as the valid cross-correlation of x with α.

    ``Σ_i α_i x_{i+j−1}`` is the correlation of the input with α read as a kernel, so
    the kernel's gradient is itself a convolution; this computes it that way, to set
    beside the sum :func:`backward` writes out. With a stride s above one the sum is
    ``Σ_i α_i x_{s(i−1)+j}``: the correlation of x with α spread out by s − 1 zeros
    between its entries (α *dilated*).

    Args:
        x: Input, length n.
        alpha: ∂L/∂z, length m.
        stride: The layer's stride.
        d: The kernel's length; needed only when the stride is above one (with stride
            one it is ``n − m + 1``).

    Returns:
        ∂L/∂k, length d.
    """
    x, alpha = np.asarray(x, dtype=np.float64), np.asarray(alpha, dtype=np.float64)
    stride = as_int(stride, "stride", minimum=1)
    if stride == 1 and d is None:
        return correlate1d(x, alpha)
    if d is None:
        raise ValueError("with a stride above one, give the kernel's length d")
    spread = dilate(alpha, stride)
    return correlate1d(x[: spread.size + d - 1], spread)


def dilate(values: ArrayLike, stride: int) -> np.ndarray:
    """Return ``values`` with ``stride − 1`` zeros between consecutive entries.

    ``dilate([a, b, c], 2)`` is ``[a, 0, b, 0, c]``: where a strided layer's outputs sit on
    its input's axis.
    """
    values = np.asarray(values, dtype=np.float64)
    stride = as_int(stride, "stride", minimum=1)
    spread = np.zeros((values.size - 1) * stride + 1 if values.size else 0)
    spread[::stride] = values
    return spread


def input_gradient_by_convolution(alpha: ArrayLike, kernel: ArrayLike, n: int, stride: int = 1) -> np.ndarray:
    """Return ∂L/∂x = Tᵀα as a transposed convolution, without building T.

    Tᵀα spreads each α_i back over the d inputs that made z_i, weighted by the kernel. That
    is the *full* cross-correlation of α (zero-padded by d − 1 on both sides) with the
    kernel flipped, which is the full convolution of α with the kernel: a transposed
    convolution. With a stride s above one, α is first dilated by s − 1 zeros; inputs past
    the last window, which no window reads, get a zero gradient (PyTorch's
    ``output_padding``).

    Args:
        alpha: ∂L/∂z, length m.
        kernel: ``(k_1, …, k_d)``.
        n: The input's length.
        stride: The layer's stride.

    Returns:
        ∂L/∂x, length n.

    Raises:
        ValueError: If ``n`` is not a length that this layer maps to m outputs.
    """
    alpha, kernel = np.asarray(alpha, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    n, stride = as_int(n, "n", minimum=1), as_int(stride, "stride", minimum=1)
    d = kernel.size
    if kernel.ndim != 1 or alpha.ndim != 1 or not 1 <= d <= n or (n - d) // stride + 1 != alpha.size:
        raise ValueError(f"a layer of {d} taps and stride {stride} does not map {n} inputs to {alpha.size} outputs")
    spread = dilate(alpha, stride)
    full = correlate1d(np.pad(spread, d - 1), kernel[::-1])  # length spread + d − 1
    return np.pad(full, (0, n - full.size))


def z2_routing(z1: ArrayLike, z2: ArrayLike, z3: ArrayLike, tie_policy: TiePolicy = "outer") -> np.ndarray:
    """Say which of δ1, δ2 reach z2 in the three-output network (d = n − 2).

    Args:
        z1: First convolution output (scalars or arrays that broadcast together).
        z2: Second convolution output.
        z3: Third convolution output.
        tie_policy: One of :data:`TIE_POLICIES`.

    Returns:
        Integer codes, broadcast to the arguments' shape: 0 (nothing), 1 (δ1),
        2 (δ2) or 3 (δ1 + δ2); :data:`ROUTE_LABELS` names them.
    """
    z = np.stack(
        np.broadcast_arrays(*(np.asarray(value, dtype=np.float64) for value in (z1, z2, z3))),
        axis=-1,
    )
    routes = routing(z, tie_policy)
    codes: np.ndarray = routes[..., 0, 1].astype(int) + 2 * routes[..., 1, 1].astype(int)
    return codes


def initial_parameters(n: int, d: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draw standard-normal parameters for an input of length n and a kernel of length d.

    Args:
        n: Input length.
        d: Kernel length, at most ``n − 1``.
        rng: The random generator to draw from.

    Returns:
        ``kernel`` (d), ``b`` (scalar), ``w`` (n − d) and ``a`` (scalar).
    """
    n = as_int(n, "n", minimum=2)
    d = as_int(d, "d", minimum=1)
    if d > n - 1:
        raise ValueError(f"kernel length d={d} leaves no pooling window for n={n}; need d ≤ n − 1")
    return {
        "kernel": rng.standard_normal(d),
        "b": np.asarray(rng.standard_normal()),
        "w": rng.standard_normal(n - d),
        "a": np.asarray(rng.standard_normal()),
    }
