"""Question 3's network: forward and backward against autograd, and the tie rules pinned down."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import signal

from cnnmath.tinynet import (
    ROUTE_LABELS,
    backward,
    forward,
    initial_parameters,
    kernel_gradient_by_correlation,
    routing,
    toeplitz,
    z2_routing,
)

SIZES = [(5, 3), (7, 2), (9, 4), (12, 5)]
GRID = list(product((-1.0, 0.0, 1.0, 2.0), repeat=3))  # every (z1, z2, z3), ties included


def autograd(parameters: dict, x: np.ndarray, y: float) -> dict[str, np.ndarray]:
    """Run the network in PyTorch (conv1d, max_pool1d, relu) and return every gradient."""
    leaves = {name: torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=True) for name, value in parameters.items()}
    x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    z = F.conv1d(x_t[None, None], leaves["kernel"][None, None])[0, 0] + leaves["b"]
    z.retain_grad()
    v = F.relu(F.max_pool1d(z[None, None], 2, stride=1)[0, 0])
    v.retain_grad()
    y_hat = leaves["w"] @ v + leaves["a"]
    loss = 0.5 * (y - y_hat) ** 2
    loss.backward()
    grads = {name: leaf.grad.numpy() for name, leaf in leaves.items()}
    return grads | {
        "x": x_t.grad.numpy(),
        "alpha": z.grad.numpy(),
        "delta": v.grad.numpy(),
        "z": z.detach().numpy(),
        "v": v.detach().numpy(),
        "y_hat": y_hat.item(),
        "loss": loss.item(),
    }


def torch_pooling_gradient(z: np.ndarray, delta: np.ndarray, *, relu_first: bool = False) -> np.ndarray:
    """Return ∂/∂z of Σ δ_i v_i with v = relu(max_pool1d(z, 2, stride 1)) in PyTorch."""
    z_t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    if relu_first:
        v = F.max_pool1d(F.relu(z_t)[None, None], 2, stride=1)[0, 0]
    else:
        v = F.relu(F.max_pool1d(z_t[None, None], 2, stride=1)[0, 0])
    (torch.tensor(delta, dtype=torch.float64) @ v).backward()
    return z_t.grad.numpy()


def write_up_alpha(z1: float, z2: float, z3: float, d1: float, d2: float) -> tuple[float, float, float]:
    """∂L/∂z from the write-up's equations (3.12)–(3.14), as written there."""
    dz1 = d1 if z1 > 0 and z1 >= z2 else 0.0
    if z2 > 0 and z2 > z1 and z2 <= z3:
        dz2 = d1
    elif z2 > 0 and z2 <= z1 and z2 > z3:
        dz2 = d2
    elif z2 > 0 and z2 > z1 and z2 > z3:
        dz2 = d1 + d2
    else:
        dz2 = 0.0
    dz3 = d2 if z3 > 0 and z3 >= z2 else 0.0
    return dz1, dz2, dz3


def test_toeplitz_is_the_questions_matrix() -> None:
    k1, k2, k3 = 2.0, 3.0, 5.0
    expected = [[k1, k2, k3, 0, 0], [0, k1, k2, k3, 0], [0, 0, k1, k2, k3]]
    np.testing.assert_array_equal(toeplitz([k1, k2, k3], 5), expected)


@pytest.mark.parametrize(("n", "d"), SIZES)
def test_toeplitz_times_x_is_valid_correlation(n, d, rng) -> None:
    kernel, x = rng.standard_normal(d), rng.standard_normal(n)
    np.testing.assert_allclose(toeplitz(kernel, n) @ x, np.correlate(x, kernel, "valid"), rtol=1e-12)


@pytest.mark.parametrize(("n", "d"), SIZES)
def test_forward_and_backward_match_autograd_on_tie_free_inputs(n, d) -> None:
    active = 0
    for seed in range(30):
        rng = np.random.default_rng([n, d, seed])
        parameters = initial_parameters(n, d, rng)
        x, y = rng.standard_normal(n), float(rng.standard_normal())
        result = forward(parameters, x, y)
        assert np.all(result.z[:-1] != result.z[1:]) and np.all(result.z != 0)  # no ties
        expected = autograd(parameters, x, y)
        np.testing.assert_allclose(result.z, expected["z"], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(result.v, expected["v"], rtol=1e-12, atol=1e-12)
        assert result.loss == pytest.approx(expected["loss"], rel=1e-12, abs=1e-15)
        for policy in ("outer", "first", "last"):
            grads = backward(result, policy)
            for name, value in grads.parameters().items():
                np.testing.assert_allclose(value, expected[name], rtol=1e-10, atol=1e-12, err_msg=name)
            np.testing.assert_allclose(grads.delta, expected["delta"], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(grads.alpha, expected["alpha"], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(grads.x, expected["x"], rtol=1e-10, atol=1e-12)
        active += bool(np.any(grads.alpha))
    assert active >= 10  # most draws send gradient through the pooling


@pytest.mark.parametrize(("n", "d"), SIZES)
def test_kernel_gradient_is_x_correlated_with_alpha(n, d, rng) -> None:
    parameters = initial_parameters(n, d, rng)
    x = rng.standard_normal(n)
    grads = backward(forward(parameters, x, 3.0))
    assert np.any(grads.alpha)
    np.testing.assert_allclose(grads.kernel, kernel_gradient_by_correlation(x, grads.alpha), rtol=1e-12)
    np.testing.assert_allclose(grads.kernel, signal.correlate(x, grads.alpha, "valid"), rtol=1e-12)
    np.testing.assert_allclose(grads.x, toeplitz(parameters["kernel"], n).T @ grads.alpha, rtol=1e-12)
    assert grads.b == pytest.approx(grads.alpha.sum())


def test_outer_policy_is_the_write_ups_rule_at_m_3() -> None:
    delta = np.array([1.0, 10.0])  # distinct, so δ1, δ2 and δ1 + δ2 are told apart
    for z in GRID:
        ours = delta @ routing(np.array(z), "outer")
        assert tuple(ours) == write_up_alpha(*z, *delta), z


def test_z2_routing_names_what_reaches_z2_as_the_write_up_says() -> None:
    labels = {0.0: "0", 1.0: "δ1", 10.0: "δ2", 11.0: "δ1+δ2"}
    for z in GRID:
        code = int(z2_routing(*z))
        assert ROUTE_LABELS[code] == labels[write_up_alpha(*z, 1.0, 10.0)[1]], z


def test_z2_routing_broadcasts_over_a_grid() -> None:
    z1, z3 = np.meshgrid(np.linspace(-1, 2, 4), np.linspace(-1, 2, 4))
    codes = z2_routing(z1, 0.5, z3)
    assert codes.shape == (4, 4)
    for index in np.ndindex(codes.shape):
        assert codes[index] == z2_routing(z1[index], 0.5, z3[index])


def test_pytorch_max_pool_sends_ties_to_the_first_element() -> None:
    delta = np.array([1.0, 10.0])
    for z in GRID:
        theirs = torch_pooling_gradient(np.array(z), delta)
        np.testing.assert_array_equal(delta @ routing(np.array(z), "first"), theirs, err_msg=str(z))
        # Folding the ReLU in before or after the pooling routes the same way.
        np.testing.assert_array_equal(torch_pooling_gradient(np.array(z), delta, relu_first=True), theirs)


def test_write_up_and_pytorch_differ_exactly_when_z2_ties_z3_above_zero() -> None:
    delta = np.array([1.0, 10.0])
    differ = {z for z in GRID if not np.array_equal(delta @ routing(np.array(z), "outer"), torch_pooling_gradient(np.array(z), delta))}
    assert differ == {z for z in GRID if z[1] == z[2] > 0}
    # There, the write-up gives δ2 to z3 and PyTorch gives it to z2:
    z = np.array([1.0, 2.0, 2.0])
    assert tuple(delta @ routing(z, "outer")) == (0.0, 1.0, 10.0)
    assert tuple(torch_pooling_gradient(z, delta)) == (0.0, 11.0, 0.0)
    # A tie of z1 and z2 goes to z1 in both.
    z = np.array([2.0, 2.0, 1.0])
    assert tuple(delta @ routing(z, "outer")) == tuple(torch_pooling_gradient(z, delta)) == (1.0, 10.0, 0.0)


@pytest.mark.parametrize("m", [2, 3, 4, 5, 6, 7])
def test_last_policy_is_pytorch_on_the_reversed_sequence(m) -> None:
    rng = np.random.default_rng(m)
    for _ in range(40):
        z = rng.integers(-1, 3, m).astype(float)  # small integers: many exact ties
        delta = rng.integers(1, 100, m - 1).astype(float)
        mirrored = torch_pooling_gradient(z[::-1].copy(), delta[::-1].copy())[::-1]
        np.testing.assert_array_equal(delta @ routing(z, "last"), mirrored)


@pytest.mark.parametrize("m", [2, 3, 4, 5, 6, 7])
def test_outer_policy_window_by_window(m) -> None:
    # Window i (1-based) gives ties to its left element when i ≤ m/2, as PyTorch does,
    # and to its right element otherwise, as PyTorch does on the reversed sequence.
    rng = np.random.default_rng(100 + m)
    for _ in range(40):
        z = rng.integers(-1, 3, m).astype(float)
        for window in range(1, m):
            delta = np.zeros(m - 1)
            delta[window - 1] = 1.0
            first = torch_pooling_gradient(z, delta)
            last = torch_pooling_gradient(z[::-1].copy(), delta[::-1].copy())[::-1]
            expected = first if 2 * window <= m else last
            np.testing.assert_array_equal(delta @ routing(z, "outer"), expected, err_msg=f"{z} window {window}")


def test_outer_policy_is_mirror_symmetric_for_odd_m() -> None:
    rng = np.random.default_rng(7)
    for m in (3, 5, 7):
        for _ in range(30):
            z = rng.integers(-1, 3, m).astype(float)
            np.testing.assert_array_equal(routing(z[::-1], "outer"), routing(z, "outer")[::-1, ::-1])


def test_ties_below_zero_pass_no_gradient_under_any_policy() -> None:
    for policy in ("outer", "first", "last"):
        assert not routing(np.array([0.0, 0.0, -1.0, -1.0]), policy).any()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown tie policy 'middle'"):
        routing(np.zeros(3), "middle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        forward({"kernel": np.ones(3), "b": 0.0, "w": np.ones(3), "a": 0.0}, np.ones(5), 0.0)
    with pytest.raises(ValueError, match=r"missing parameters \['a'\]"):
        forward({"kernel": np.ones(3), "b": 0.0, "w": np.ones(2)}, np.ones(5), 0.0)
    with pytest.raises(ValueError, match="leaves no pooling window"):
        initial_parameters(3, 3, np.random.default_rng(0))
