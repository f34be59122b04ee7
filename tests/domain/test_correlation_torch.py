"""Convolution, padding and filters held against PyTorch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnmath import unfold
from cnnmath.correlation import conv2d, correlate2d, filter2d, mean_filter
from cnnmath.padding import pad2d

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


@st.composite
def conv_cases(draw: st.DrawFn) -> dict[str, object]:
    """A random convolution layer and input that fit together."""
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    sh, sw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    padding = draw(st.sampled_from([(ph, pw), ph]))
    pad_h, pad_w = padding if isinstance(padding, tuple) else (padding, padding)
    height = draw(st.integers(max(1, kh - 2 * pad_h), 14))
    width = draw(st.integers(max(1, kw - 2 * pad_w), 14))
    return {
        "batch": draw(st.sampled_from([None, 1, 3])),
        "in_channels": draw(st.integers(1, 4)),
        "out_channels": draw(st.integers(1, 5)),
        "size": (height, width),
        "kernel": (kh, kw),
        "stride": draw(st.sampled_from([(sh, sw), sh])),
        "padding": padding,
        "bias": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


@settings(max_examples=80, deadline=None)
@given(case=conv_cases())
def test_conv2d_matches_torch_on_random_layers(case: dict, torch_oracle) -> None:
    rng = np.random.default_rng(case["seed"])
    leading = () if case["batch"] is None else (case["batch"],)
    x = rng.standard_normal((*leading, case["in_channels"], *case["size"]))
    weight = rng.standard_normal((case["out_channels"], case["in_channels"], *case["kernel"]))
    bias = rng.standard_normal(case["out_channels"]) if case["bias"] else None

    ours = conv2d(x, weight, bias, stride=case["stride"], padding=case["padding"])
    theirs = F.conv2d(
        torch_oracle.tensor(x),
        torch_oracle.tensor(weight),
        None if bias is None else torch_oracle.tensor(bias),
        stride=case["stride"],
        padding=case["padding"],
    )
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours, torch_oracle.numpy(theirs), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("band_bytes", [1, 3 * 1000 * 8 * 7, unfold.BAND_BYTES])
def test_conv2d_bands_give_the_same_result_as_torch(band_bytes, monkeypatch, rng, torch_oracle) -> None:
    # One output row per band, bands of 3 rows with a shorter last band, and the default.
    monkeypatch.setattr(unfold, "BAND_BYTES", band_bytes)
    x = rng.standard_normal((2, 3, 23, 29))
    weight = rng.standard_normal((4, 3, 5, 4))
    ours = conv2d(x, weight, stride=(2, 3), padding=1)
    theirs = F.conv2d(torch_oracle.tensor(x), torch_oracle.tensor(weight), stride=(2, 3), padding=1)
    np.testing.assert_allclose(ours, torch_oracle.numpy(theirs), rtol=1e-10, atol=1e-10)


def test_conv2d_on_question_4_layer_matches_torch_in_float32(rng) -> None:
    x = rng.standard_normal((10, 205, 205)).astype(np.float32)
    weight = rng.standard_normal((96, 10, 10, 10)).astype(np.float32)
    bias = rng.standard_normal(96).astype(np.float32)
    ours = conv2d(x, weight, bias, stride=3)
    theirs = F.conv2d(torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), stride=3)
    assert ours.shape == (96, 66, 66)
    assert ours.dtype == np.float32
    # Sums of 1000 products of unit normals are about 30 in size; float32 keeps ~7 digits.
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=0, atol=1e-3)


def test_conv2d_computes_integer_input_in_float64() -> None:
    x = np.arange(16).reshape(1, 4, 4)
    weight = np.ones((1, 1, 2, 2), dtype=np.int64)
    result = conv2d(x, weight)
    assert result.dtype == np.float64
    assert result[0, 0, 0] == 0 + 1 + 4 + 5


def test_unfold2d_matches_torch_unfold(rng, torch_oracle) -> None:
    x = rng.standard_normal((2, 3, 9, 11))
    ours = unfold.unfold2d(x, (3, 2), (2, 3))
    theirs = F.unfold(torch_oracle.tensor(x), (3, 2), stride=(2, 3))
    np.testing.assert_array_equal(ours, torch_oracle.numpy(theirs))


@pytest.mark.parametrize(
    ("x_shape", "weight_shape", "bias_shape", "message"),
    [
        ((3, 5, 5), (2, 4, 3, 3), None, "3 channels but weight"),
        ((5, 5), (2, 1, 3, 3), None, r"\(C, H, W\) or \(N, C, H, W\)"),
        ((1, 5, 5), (2, 1, 3), None, r"\(out, in, kh, kw\)"),
        ((1, 5, 5), (2, 1, 3, 3), (3,), r"bias must have shape \(2,\)"),
        ((1, 2, 5), (2, 1, 3, 3), None, "does not fit"),
    ],
)
def test_conv2d_refuses_mismatched_shapes(x_shape, weight_shape, bias_shape, message) -> None:
    bias = None if bias_shape is None else np.zeros(bias_shape)
    with pytest.raises(ValueError, match=message):
        conv2d(np.zeros(x_shape), np.zeros(weight_shape), bias)


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize(("padding", "stride"), [(1, 1), ((2, 1), (1, 2)), (3, 2)])
def test_correlate2d_padding_modes_match_conv2d_padding_mode(mode, padding, stride, rng, torch_oracle) -> None:
    image = rng.standard_normal((7, 9))
    kernel = rng.standard_normal((3, 4))
    ours = correlate2d(image, kernel, stride=stride, padding=padding, padding_mode=mode)
    theirs = torch_oracle.conv_with_mode(image, kernel, stride=stride, padding=padding, padding_mode=mode)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    pad_h, pad_w = padding if isinstance(padding, tuple) else (padding, padding)
    padded = F.pad(
        torch_oracle.tensor(image)[None, None],
        (pad_w, pad_w, pad_h, pad_h),
        mode="constant" if mode == "zeros" else mode,
    )
    by_pad = F.conv2d(padded, torch_oracle.tensor(kernel)[None, None], stride=stride)[0, 0]
    np.testing.assert_allclose(ours, torch_oracle.numpy(by_pad), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("mode", "torch_mode"),
    [
        ("zeros", "constant"),
        ("reflect", "reflect"),
        ("replicate", "replicate"),
        ("circular", "circular"),
    ],
)
def test_pad2d_matches_torch_pad(mode, torch_mode, rng, torch_oracle) -> None:
    image = rng.standard_normal((2, 5, 6))
    ours = pad2d(image, (2, 3), mode)
    # F.pad lists the last axis first: (left, right, top, bottom).
    theirs = F.pad(torch_oracle.tensor(image)[None], (3, 3, 2, 2), mode=torch_mode)[0]
    np.testing.assert_array_equal(ours, torch_oracle.numpy(theirs))


def test_reflect_padding_as_large_as_the_axis_is_refused_like_torch(torch_oracle) -> None:
    image = np.arange(12.0).reshape(3, 4)
    with pytest.raises(ValueError, match="smaller than the height"):
        pad2d(image, (3, 1), "reflect")
    with pytest.raises(RuntimeError):
        F.pad(torch_oracle.tensor(image)[None], (1, 1, 3, 3), mode="reflect")
    pad2d(image, (2, 3), "reflect")  # one less on each axis is fine


def test_unknown_padding_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown padding mode 'mirror'"):
        pad2d(np.zeros((3, 3)), 1, "mirror")  # type: ignore[arg-type]


@pytest.mark.parametrize("kernel_shape", [(3, 3), (5, 3), (2, 2), (4, 3)])
@pytest.mark.parametrize("border", ["reflect", "replicate", "circular", "zeros"])
def test_same_size_borders_match_torch_padding_same(kernel_shape, border, rng, torch_oracle) -> None:
    # PyTorch puts the extra row/column of an even kernel's padding below/right;
    # filter2d's anchor ((kh - 1) // 2, (kw - 1) // 2) is chosen to agree.
    image = rng.standard_normal((8, 9))
    kernel = rng.standard_normal(kernel_shape)
    with warnings.catch_warnings():
        # Zero "same" padding of an even kernel makes PyTorch warn (once per process)
        # that it copies the input; the result is what is under test.
        warnings.filterwarnings("ignore", "Using padding='same' with even kernel", UserWarning)
        theirs = torch_oracle.conv_with_mode(image, kernel, padding="same", padding_mode=border)
    ours = filter2d(image, kernel, border)
    assert ours.shape == image.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_mean_filter_interior_is_avg_pool_with_stride_1_not_the_default_stride(rng, torch_oracle) -> None:
    image = rng.uniform(0, 255, (8, 8))
    interior = mean_filter(image, 3, border="keep")[1:-1, 1:-1]
    stride_one = F.avg_pool2d(torch_oracle.tensor(image)[None], 3, stride=1)[0]
    np.testing.assert_allclose(interior, torch_oracle.numpy(stride_one), rtol=1e-12)
    # nn.AvgPool2d(3) has stride 3 by default: it averages disjoint blocks, 2×2 of them here.
    default_stride = torch.nn.AvgPool2d(3)(torch_oracle.tensor(image)[None])[0]
    assert tuple(default_stride.shape) == (2, 2)
    np.testing.assert_allclose(interior[::3, ::3], torch_oracle.numpy(default_stride), rtol=1e-12)
    np.testing.assert_array_equal(mean_filter(image, 3, border="valid").shape, (6, 6))


def test_zero_padded_mean_filter_is_avg_pool_that_counts_the_padding(rng, torch_oracle) -> None:
    image = rng.uniform(0, 255, (6, 7))
    ours = mean_filter(image, 3, border="zeros")
    counting = F.avg_pool2d(torch_oracle.tensor(image)[None], 3, stride=1, padding=1)[0]
    np.testing.assert_allclose(ours, torch_oracle.numpy(counting), rtol=1e-12)
    not_counting = F.avg_pool2d(torch_oracle.tensor(image)[None], 3, stride=1, padding=1, count_include_pad=False)[0]
    corner_ours, corner_theirs = ours[0, 0], torch_oracle.numpy(not_counting)[0, 0]
    assert corner_theirs == pytest.approx(corner_ours * 9 / 4)  # 4 real pixels in a corner window
