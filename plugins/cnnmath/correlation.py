"""2-D cross-correlation, the operation deep learning calls convolution.

Every function here slides a kernel over an image *without* flipping it, like
``torch.nn.functional.conv2d`` and ``scipy.signal.correlate2d``:
``out[y, x] = Σ_ij image[y·sh + i, x·sw + j] · kernel[i, j]``.

- :func:`correlate2d`: one image, one kernel, stride, padding and padding mode.
- :func:`conv2d`: a convolution layer with PyTorch's layout, as one matrix product.
- :func:`filter2d` and :func:`mean_filter`: image filters with a border policy, in
  floating point or in exact fractions.
- :func:`checkerboard`: the image of question 1.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from cnnmath._validation import IntOrPair, as_int, as_pair
from cnnmath.exact import correlate_valid_exact, to_fractions
from cnnmath.output_size import output_size
from cnnmath.padding import PaddingMode, pad2d, pad_edges
from cnnmath.unfold import matmul_windows

Border = Literal["keep", "valid", "zeros", "reflect", "replicate", "circular"]

#: The border policies of :func:`filter2d`.
BORDERS: tuple[str, ...] = ("keep", "valid", "zeros", "reflect", "replicate", "circular")


def correlate1d(signal: ArrayLike, kernel: ArrayLike) -> np.ndarray:
    """Return the valid 1-D cross-correlation ``out[i] = Σ_j signal[i + j] · kernel[j]``.

    Args:
        signal: A 1-D array of length ``n``.
        kernel: A 1-D array of length ``d ≤ n``.

    Returns:
        A 1-D array of length ``n − d + 1`` (object arrays stay exact).

    Raises:
        ValueError: If an argument is not 1-D or the kernel is longer than the signal.
    """
    signal, kernel = np.asarray(signal), np.asarray(kernel)
    if signal.ndim != 1 or kernel.ndim != 1:
        raise ValueError(f"correlate1d needs 1-D arrays, got shapes {signal.shape} and {kernel.shape}")
    if not 1 <= kernel.size <= signal.size:
        raise ValueError(f"kernel of length {kernel.size} does not fit in a signal of length {signal.size}")
    correlation: np.ndarray = sliding_window_view(signal, kernel.size) @ kernel
    return correlation


def correlate2d(
    image: ArrayLike,
    kernel: ArrayLike,
    *,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    padding_mode: PaddingMode = "zeros",
) -> np.ndarray:
    """Cross-correlate one image with one kernel.

    Args:
        image: A 2-D array ``(H, W)``.
        kernel: A 2-D array ``(kh, kw)``.
        stride: Step between windows: one integer or a ``(height, width)`` pair.
        padding: Rows and columns added on each side: an integer or a pair.
        padding_mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``,
            with the meaning of ``torch.nn.Conv2d(padding_mode=...)``.

    Returns:
        A float array of shape ``(⌊(H − kh + 2Ph)/Sh⌋ + 1, ⌊(W − kw + 2Pw)/Sw⌋ + 1)``.

    Raises:
        ValueError: If an argument is not 2-D or the kernel does not fit.
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"correlate2d needs 2-D image and kernel, got shapes {image.shape} and {kernel.shape}")
    batch = conv2d(image[None], kernel[None, None], stride=stride, padding=padding, padding_mode=padding_mode)
    single: np.ndarray = batch[0]
    return single


def conv2d(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    padding_mode: PaddingMode = "zeros",
) -> np.ndarray:
    """Apply a convolution layer, like ``torch.nn.functional.conv2d``.

    The windows are gathered into im2col columns and multiplied by the flattened
    weights with BLAS (:func:`cnnmath.unfold.matmul_windows`).

    Args:
        x: Input of shape ``(C, H, W)`` or ``(N, C, H, W)``.
        weight: Kernels of shape ``(out_channels, C, kh, kw)``.
        bias: Optional bias of shape ``(out_channels,)``.
        stride: Step between windows: one integer or a ``(height, width)`` pair.
        padding: Rows and columns added on each side: an integer or a pair.
        padding_mode: How the padding is filled (see :func:`cnnmath.padding.pad2d`).

    Returns:
        Output of shape ``(out_channels, H', W')`` or ``(N, out_channels, H', W')``,
        float32 when every input is float32 (or float16), float64 otherwise.

    Raises:
        ValueError: If the shapes do not match or the kernel does not fit.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim not in (3, 4):
        raise ValueError(f"conv2d needs x of shape (C, H, W) or (N, C, H, W), got {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"conv2d needs weight of shape (out, in, kh, kw), got {weight.shape}")
    out_channels, in_channels, kh, kw = weight.shape
    if x.shape[-3] != in_channels:
        raise ValueError(f"x has {x.shape[-3]} channels but weight {weight.shape} expects {in_channels}")
    arrays = [x, weight] if bias is None else [x, weight, np.asarray(bias)]
    dtype = _float_dtype(*arrays)
    stride_h, stride_w = as_pair(stride, "stride", minimum=1)
    pad_h, pad_w = as_pair(padding, "padding", minimum=0)
    height, width = x.shape[-2:]
    out_h = output_size(height, kh, stride_h, pad_h)
    out_w = output_size(width, kw, stride_w, pad_w)

    batch = x if x.ndim == 4 else x[None]
    padded = pad2d(batch.astype(dtype, copy=False), (pad_h, pad_w), padding_mode)
    matrix = weight.reshape(out_channels, -1).astype(dtype, copy=False)
    result = matmul_windows(matrix, padded, (kh, kw), (stride_h, stride_w))
    result = result.reshape(batch.shape[0], out_channels, out_h, out_w)
    if bias is not None:
        bias = np.asarray(bias, dtype=dtype)
        if bias.shape != (out_channels,):
            raise ValueError(f"bias must have shape ({out_channels},), got {bias.shape}")
        result += bias[:, None, None]
    return result if x.ndim == 4 else result[0]


def filter2d(image: ArrayLike, kernel: ArrayLike, border: Border = "keep", *, exact: bool = False) -> np.ndarray:
    """Filter an image with a kernel (cross-correlation, stride 1) under a border policy.

    The kernel's anchor is the entry ``((kh − 1) // 2, (kw − 1) // 2)``: the centre of
    an odd kernel, and for an even kernel the same choice as PyTorch's
    ``padding="same"`` (the extra row and column of padding go below and right).

    Args:
        image: A 2-D array ``(H, W)``.
        kernel: A 2-D array ``(kh, kw)`` no larger than the image.
        border: What happens where the window would leave the image:

            - ``"keep"``: same size; only positions where the whole window fits are
              filtered, the border pixels are copied unchanged from the input
              (question 1's convention);
            - ``"valid"``: no padding, an ``(H − kh + 1) × (W − kw + 1)`` result;
            - ``"zeros"``, ``"reflect"``, ``"replicate"``, ``"circular"``: same size,
              after padding the image in that mode (PyTorch's mode names).
        exact: Compute in :class:`fractions.Fraction` instead of floats. The entries
            must then be integers or fractions (pass ``Fraction(1, 9)``, not ``1/9``).

    Returns:
        A float64 array, or with ``exact=True`` an object array of ``Fraction``.

    Raises:
        ValueError: For an unknown border, non-2-D arguments, a kernel larger than
            the image, or (with ``exact=True``) a non-whole float entry.
    """
    if border not in BORDERS:
        raise ValueError(f"unknown border {border!r}; expected one of {list(BORDERS)}")
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"filter2d needs 2-D image and kernel, got shapes {image.shape} and {kernel.shape}")
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1] or kernel.size == 0:
        raise ValueError(f"kernel of shape {kernel.shape} does not fit image of shape {image.shape}")
    if exact:
        image, kernel = to_fractions(image, "image"), to_fractions(kernel, "kernel")
        correlate_valid = correlate_valid_exact
    else:
        image, kernel = image.astype(np.float64), kernel.astype(np.float64)
        correlate_valid = correlate2d

    kh, kw = kernel.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    if border == "valid":
        return correlate_valid(image, kernel)
    if border == "keep":
        result = image.copy()
        height, width = image.shape
        result[top : top + height - kh + 1, left : left + width - kw + 1] = correlate_valid(image, kernel)
        return result
    padded = pad_edges(image, (top, kh - 1 - top, left, kw - 1 - left), border)
    return correlate_valid(padded, kernel)


def mean_filter(image: ArrayLike, size: int = 3, border: Border = "keep", *, exact: bool = False) -> np.ndarray:
    """Replace each pixel by the mean of the ``size × size`` window around it.

    This is :func:`filter2d` with the kernel ``ones((size, size)) / size²``; on the
    positions where the window fits it equals ``torch.nn.AvgPool2d(size, stride=1)``
    (not ``AvgPool2d(size)``, whose stride defaults to ``size``).

    Args:
        image: A 2-D array.
        size: The window's side.
        border: A border policy of :func:`filter2d`; ``"keep"`` is question 1's.
        exact: Compute in fractions, with the kernel entries ``Fraction(1, size²)``.

    Returns:
        A float64 array, or with ``exact=True`` an object array of ``Fraction``.
    """
    size = as_int(size, "size", minimum=1)
    if exact:
        kernel = np.full((size, size), Fraction(1, size * size), dtype=object)
    else:
        kernel = np.full((size, size), 1.0 / (size * size))
    return filter2d(image, kernel, border, exact=exact)


def checkerboard(n: int = 8, white: int = 255, top_left_white: bool = True, *, black: int = 0) -> np.ndarray:
    """Return an ``n × n`` chessboard image, one pixel per cell (question 1's input).

    Args:
        n: Number of rows and columns.
        white: Value of a white cell.
        top_left_white: Whether cell ``(0, 0)`` is white; then
            ``X[i, j] = white`` exactly when ``i + j`` is even.
        black: Value of a black cell.

    Returns:
        An ``(n, n)`` array of the dtype NumPy gives ``white`` and ``black``.
    """
    n = as_int(n, "n", minimum=1)
    rows, columns = np.indices((n, n))
    white_parity = 0 if top_left_white else 1
    return np.where((rows + columns) % 2 == white_parity, white, black)


def _float_dtype(*arrays: np.ndarray) -> type[np.floating]:
    """Return float32 when every array is float32 or float16, float64 otherwise."""
    if all(array.dtype in (np.float32, np.float16) for array in arrays):
        return np.float32
    return np.float64
