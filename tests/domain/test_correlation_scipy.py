"""Correlation and filters held against SciPy, whose mode names differ from PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage, signal

from cnnmath.correlation import correlate1d, correlate2d, filter2d, mean_filter

#: PyTorch's padding mode → scipy.ndimage's name for the same extension.
#: scipy's own "reflect" repeats the edge pixel (d c b a | a b c d), which PyTorch calls
#: neither reflect (d c b | a b c d, scipy "mirror") nor replicate (a a a | a b c d,
#: scipy "nearest").
SCIPY_MODES = {"zeros": "constant", "reflect": "mirror", "replicate": "nearest", "circular": "wrap"}


@settings(max_examples=60, deadline=None)
@given(
    height=st.integers(1, 12),
    width=st.integers(1, 12),
    kh=st.integers(1, 12),
    kw=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
)
def test_correlate2d_is_scipy_signal_correlate2d_valid(height, width, kh, kw, seed) -> None:
    if kh > height or kw > width:
        kh, kw = min(kh, height), min(kw, width)
    rng = np.random.default_rng(seed)
    image, kernel = rng.standard_normal((height, width)), rng.standard_normal((kh, kw))
    expected = signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(correlate2d(image, kernel), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(filter2d(image, kernel, "valid"), expected, rtol=1e-12, atol=1e-12)


def test_correlate1d_is_numpy_correlate_valid(rng) -> None:
    signal_1d, kernel = rng.standard_normal(11), rng.standard_normal(4)
    np.testing.assert_allclose(correlate1d(signal_1d, kernel), np.correlate(signal_1d, kernel, "valid"))


@pytest.mark.parametrize("border", sorted(SCIPY_MODES))
@pytest.mark.parametrize("kernel_shape", [(3, 3), (5, 5), (3, 5), (2, 2), (4, 3)])
def test_same_size_borders_are_ndimage_correlate_in_scipys_mode(border, kernel_shape, rng) -> None:
    image = rng.standard_normal((9, 10))
    kernel = rng.standard_normal(kernel_shape)
    # ndimage centres a window of k at k // 2; filter2d anchors at (k - 1) // 2, which
    # differs for even k, where origin -1 moves ndimage's window one step right.
    origin = [(k - 1) // 2 - k // 2 for k in kernel_shape]
    expected = ndimage.correlate(image, kernel, mode=SCIPY_MODES[border], cval=0.0, origin=origin)
    np.testing.assert_allclose(filter2d(image, kernel, border), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("border", sorted(SCIPY_MODES))
@pytest.mark.parametrize("size", [3, 5])
def test_mean_filter_is_uniform_filter(border, size, rng) -> None:
    image = rng.uniform(0, 255, (9, 8))
    expected = ndimage.uniform_filter(image, size, mode=SCIPY_MODES[border], cval=0.0)
    np.testing.assert_allclose(mean_filter(image, size, border), expected, rtol=1e-12)


def test_scipy_reflect_is_pytorch_replicate_only_for_one_pixel_of_padding(rng) -> None:
    image = rng.standard_normal((7, 7))
    three = ndimage.uniform_filter(image, 3, mode="reflect")
    np.testing.assert_allclose(mean_filter(image, 3, "replicate"), three, rtol=1e-12)
    five = ndimage.uniform_filter(image, 5, mode="reflect")
    assert not np.allclose(mean_filter(image, 5, "replicate"), five)
    assert not np.allclose(mean_filter(image, 5, "reflect"), five)


def test_keep_border_is_filtered_interior_inside_the_original_frame(rng) -> None:
    image = rng.standard_normal((8, 9))
    kernel = rng.standard_normal((3, 3))
    kept = filter2d(image, kernel, "keep")
    np.testing.assert_allclose(kept[1:-1, 1:-1], signal.correlate2d(image, kernel, "valid"), rtol=1e-12)
    frame = np.ones(image.shape, dtype=bool)
    frame[1:-1, 1:-1] = False
    np.testing.assert_array_equal(kept[frame], image[frame])


def test_exact_filter_agrees_with_floating_point_scipy(rng) -> None:
    image = rng.integers(0, 256, (6, 7))
    kernel = rng.integers(-3, 4, (3, 3))
    exact = filter2d(image, kernel, "replicate", exact=True)
    expected = ndimage.correlate(image.astype(float), kernel.astype(float), mode="nearest")
    np.testing.assert_allclose(exact.astype(float), expected, rtol=0, atol=1e-9)
