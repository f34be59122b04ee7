"""im2col: every window of a batch of images laid out as the columns of a matrix.

With the windows as columns, a convolution layer is a matrix product
``weight.reshape(out_channels, -1) @ columns``; that is what makes
:func:`cnnmath.correlation.conv2d` about as fast as PyTorch.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def window_view(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Return every window of ``x`` as a read-only view, laid out for im2col.

    Args:
        x: Images of shape ``(N, C, H, W)``, already padded.
        kernel: Window height and width ``(kh, kw)``, each at most ``H`` and ``W``.
        stride: Step between windows ``(sh, sw)``.

    Returns:
        A view of shape ``(N, C, kh, kw, H', W')`` whose entry ``[n, c, i, j, y, x]``
        is ``x[n, c, y·sh + i, x·sw + j]``. Copying it into a contiguous array and
        merging ``(C, kh, kw)`` and ``(H', W')`` gives the im2col matrix.
    """
    kh, kw = kernel
    sh, sw = stride
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return windows.transpose(0, 1, 4, 5, 2, 3)


def unfold2d(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Lay out every window of ``x`` as a column, like ``torch.nn.functional.unfold``.

    Args:
        x: Images of shape ``(N, C, H, W)``, already padded.
        kernel: Window height and width ``(kh, kw)``.
        stride: Step between windows ``(sh, sw)``.

    Returns:
        A new ``(N, C·kh·kw, H'·W')`` array: :func:`window_view`, copied, with
        ``(C, kh, kw)`` merged into rows and ``(H', W')`` into columns.
    """
    view = window_view(x, kernel, stride)
    batch, channels, kh, kw, out_h, out_w = view.shape
    return view.reshape(batch, channels * kh * kw, out_h * out_w)


#: Size of the buffer that holds one band of im2col columns. A band this size stays in
#: the CPU caches between the copy that fills it and the product that reads it; the
#: whole matrix (17 MB for question 4's layer in float32) would not, and freshly
#: allocating it on every call costs page faults. Measured best between 3 and 6 MiB.
BAND_BYTES = 5 * 2**20


def matmul_windows(matrix: np.ndarray, x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Return ``matrix @ unfold2d(x, kernel, stride)`` without building the whole product operand.

    The im2col columns are copied a band of output rows at a time into one reused
    buffer, and each band is multiplied straight into its slice of the result.

    Args:
        matrix: A ``(M, C·kh·kw)`` array of the same dtype as ``x`` (for a convolution,
            the flattened weights).
        x: Images of shape ``(N, C, H, W)``, already padded.
        kernel: Window height and width ``(kh, kw)``.
        stride: Step between windows ``(sh, sw)``.

    Returns:
        An array of shape ``(N, M, H'·W')``.
    """
    view = window_view(x, kernel, stride)
    batch, channels, kh, kw, out_h, out_w = view.shape
    depth = channels * kh * kw
    result = np.empty((batch, matrix.shape[0], out_h * out_w), dtype=x.dtype)
    band_rows = max(1, min(out_h, BAND_BYTES // (depth * out_w * x.itemsize)))
    buffer = np.empty(depth * band_rows * out_w, dtype=x.dtype)
    for sample in range(batch):
        for first in range(0, out_h, band_rows):
            rows = min(band_rows, out_h - first)
            band = buffer[: depth * rows * out_w].reshape(channels, kh, kw, rows, out_w)
            np.copyto(band, view[sample, ..., first : first + rows, :])
            np.matmul(
                matrix,
                band.reshape(depth, rows * out_w),
                out=result[sample, :, first * out_w : (first + rows) * out_w],
            )
    return result
