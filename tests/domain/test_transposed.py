"""Question 3(e) with a stride: the layer's backward pass is a transposed convolution.

∂L/∂x = Tᵀα is held against PyTorch's ``conv_transpose1d`` and against autograd through
``conv1d``, for strides one to three, including layers whose last inputs no window reads; ∂L/∂k
is held against autograd for the same layers.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnmath.output_size import output_size
from cnnmath.tinynet import dilate, input_gradient_by_convolution, kernel_gradient_by_correlation, toeplitz

# (n, d, stride): (9, 3, 2), (8, 2, 3) and (7, 7, 2) tile the input exactly; (10, 3, 2), (11, 4, 3)
# and (10, 3, 3) leave one input that no window reads, (12, 2, 4) two.
LAYERS = [(5, 3, 1), (8, 1, 1), (9, 3, 2), (8, 2, 3), (7, 7, 2), (10, 3, 2), (11, 4, 3), (10, 3, 3), (12, 2, 4)]


def autograd(x: np.ndarray, kernel: np.ndarray, alpha: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """∂L/∂x and ∂L/∂k for L = α·z, z = conv1d(x, k, stride), from PyTorch's autograd."""
    x_t = torch.tensor(x, requires_grad=True)
    k_t = torch.tensor(kernel, requires_grad=True)
    z = F.conv1d(x_t[None, None], k_t[None, None], stride=stride)[0, 0]
    (torch.tensor(alpha) @ z).backward()
    assert x_t.grad is not None
    assert k_t.grad is not None
    return x_t.grad.numpy(), k_t.grad.numpy()


@pytest.mark.parametrize(("n", "d", "stride"), LAYERS)
def test_input_gradient_is_pytorchs_transposed_convolution_and_its_autograd(n: int, d: int, stride: int) -> None:
    rng = np.random.default_rng([n, d, stride])
    x, kernel = rng.standard_normal(n), rng.standard_normal(d)
    m = output_size(n, d, stride)
    alpha = rng.standard_normal(m)
    unread = n - ((m - 1) * stride + d)  # inputs after the last window
    assert 0 <= unread < stride
    transposed = F.conv_transpose1d(
        torch.tensor(alpha)[None, None], torch.tensor(kernel)[None, None], stride=stride, output_padding=unread
    )[0, 0].numpy()
    ours = input_gradient_by_convolution(alpha, kernel, n, stride)
    grad_x, _ = autograd(x, kernel, alpha, stride)

    assert ours.shape == (n,)
    np.testing.assert_allclose(ours, grad_x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours, toeplitz(kernel, n, stride).T @ alpha, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours, transposed, rtol=1e-12, atol=1e-12)
    assert np.all(ours[n - unread :] == 0)  # inputs no window reads get no gradient


@pytest.mark.parametrize(("n", "d", "stride"), LAYERS)
def test_kernel_gradient_is_x_correlated_with_dilated_alpha(n: int, d: int, stride: int) -> None:
    rng = np.random.default_rng([d, n, stride])
    x, kernel = rng.standard_normal(n), rng.standard_normal(d)
    alpha = rng.standard_normal(output_size(n, d, stride))
    _, grad_k = autograd(x, kernel, alpha, stride)
    np.testing.assert_allclose(kernel_gradient_by_correlation(x, alpha, stride, d), grad_k, rtol=1e-12, atol=1e-12)


def test_strided_toeplitz_is_pytorchs_conv1d_and_dilate_spreads_by_the_stride() -> None:
    rng = np.random.default_rng(7)
    x, kernel = rng.standard_normal(11), rng.standard_normal(4)
    z = F.conv1d(torch.tensor(x)[None, None], torch.tensor(kernel)[None, None], stride=3)[0, 0].numpy()
    np.testing.assert_allclose(toeplitz(kernel, 11, 3) @ x, z, rtol=1e-12)
    assert dilate([1.0, 2.0, 3.0], 2).tolist() == [1.0, 0.0, 2.0, 0.0, 3.0]


def test_a_length_the_layer_cannot_map_is_refused() -> None:
    with pytest.raises(ValueError, match="does not map"):
        input_gradient_by_convolution(np.ones(5), np.ones(3), 9, 2)  # 9 inputs give 4 outputs at stride 2
