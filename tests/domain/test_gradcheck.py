"""The finite-difference checker against closed forms, autograd and a wrong gradient."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnmath.correlation import conv2d
from cnnmath.gradcheck import gradient_check, numerical_gradient, relative_error
from cnnmath.tinynet import backward, forward, initial_parameters, loss


def test_numerical_gradient_of_a_closed_form(rng) -> None:
    # f(m, c) = Σ m² · c + sin(c): ∂f/∂m = 2 m c, ∂f/∂c = Σ m² + cos(c).
    def function(point: dict[str, np.ndarray]) -> float:
        return float(np.sum(point["m"] ** 2) * point["c"] + np.sin(point["c"]))

    matrix, c = rng.standard_normal((3, 4)), 0.7
    gradient = numerical_gradient(function, {"m": matrix, "c": c})
    np.testing.assert_allclose(gradient["m"], 2 * matrix * c, rtol=1e-7, atol=1e-9)
    assert gradient["c"].shape == ()
    assert float(gradient["c"]) == pytest.approx(np.sum(matrix**2) + np.cos(c), rel=1e-8)


def test_numerical_gradient_leaves_the_parameters_unchanged(rng) -> None:
    values = rng.standard_normal(5)
    before = values.copy()
    numerical_gradient(lambda point: float(np.sum(point["v"] ** 3)), {"v": values})
    np.testing.assert_array_equal(values, before)


def test_gradient_check_of_a_convolution_loss_against_autograd(rng) -> None:
    x = rng.standard_normal((2, 5, 6))
    parameters = {"weight": rng.standard_normal((3, 2, 3, 2)), "bias": rng.standard_normal(3)}

    def function(point: dict[str, np.ndarray]) -> float:
        return float(np.sum(conv2d(x, point["weight"], point["bias"], stride=(1, 2), padding=1) ** 2))

    leaves = {name: torch.tensor(value, requires_grad=True) for name, value in parameters.items()}
    out = F.conv2d(torch.tensor(x)[None], leaves["weight"], leaves["bias"], stride=(1, 2), padding=1)
    (out**2).sum().backward()
    analytic = {name: leaf.grad.numpy() for name, leaf in leaves.items()}
    errors = gradient_check(function, parameters, analytic)
    assert set(errors) == {"weight", "bias"}
    assert max(errors.values()) < 1e-6


def test_gradient_check_of_the_tiny_network(rng) -> None:
    for n, d in [(5, 3), (7, 2), (9, 4), (12, 5)]:
        parameters = initial_parameters(n, d, rng)
        x, y = rng.standard_normal(n), 1.5
        analytic = backward(forward(parameters, x, y)).parameters()
        errors = gradient_check(lambda point, x=x, y=y: loss(point, x, y), parameters, analytic)
        assert max(errors.values()) < 1e-6, (n, d, errors)


def test_gradient_check_catches_a_wrong_gradient(rng) -> None:
    parameters = initial_parameters(5, 3, rng)
    x, y = rng.standard_normal(5), 2.0
    wrong = backward(forward(parameters, x, y)).parameters()
    wrong["w"] = wrong["w"] * 1.01
    errors = gradient_check(lambda point: loss(point, x, y), parameters, wrong)
    assert np.all(wrong["w"] != 0)  # both pooled values are active for this draw
    assert errors["w"] == pytest.approx(0.01 / 1.01, rel=1e-4)
    assert errors["kernel"] < 1e-6


def test_relative_error_floor_and_shapes() -> None:
    assert relative_error([1e-12], [0.0]) == pytest.approx(1e-4)  # 1e-12 / floor 1e-8
    assert relative_error([2.0, 1.0], [1.0, 1.0]) == 0.5
    assert relative_error([], []) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error([1.0, 2.0], [1.0])


def test_gradient_check_wants_the_same_keys() -> None:
    with pytest.raises(ValueError, match=r"analytic gradient has keys \['a'\], parameters have \['a', 'b'\]"):
        gradient_check(lambda point: 0.0, {"a": 1.0, "b": 2.0}, {"a": 0.0})
