"""Padding of the last two axes of an array, with PyTorch's mode names and rules."""

from __future__ import annotations

from typing import Literal

import numpy as np

from cnnmath._validation import IntOrPair, as_int, as_pair

PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]

#: PyTorch's name for each padding mode, mapped to NumPy's ``np.pad`` mode.
#: ``reflect`` mirrors without repeating the edge (``[1 2 3]`` → ``3 2 | 1 2 3 | 2 1``),
#: ``replicate`` repeats the edge (``1 1 | 1 2 3 | 3 3``), ``circular`` wraps around.
NUMPY_PAD_MODES: dict[str, str] = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


def pad2d(x: np.ndarray, padding: IntOrPair, mode: PaddingMode = "zeros") -> np.ndarray:
    """Pad the last two axes of ``x`` by the same amount on both sides of each axis.

    Args:
        x: An array with at least two axes; the last two are height and width.
        padding: Rows added above and below, and columns added left and right: one
            integer for both axes or a ``(height, width)`` pair.
        mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``, as in
            ``torch.nn.Conv2d(padding_mode=...)``.

    Returns:
        The padded array, of the same dtype as ``x``.

    Raises:
        ValueError: For an unknown mode, or a padding PyTorch refuses for that mode
            (``reflect`` needs padding smaller than the axis, ``circular`` no larger).
    """
    pad_h, pad_w = as_pair(padding, "padding", minimum=0)
    return pad_edges(np.asarray(x), (pad_h, pad_h, pad_w, pad_w), mode)


def pad_edges(x: np.ndarray, edges: tuple[int, int, int, int], mode: PaddingMode) -> np.ndarray:
    """Pad the last two axes of ``x`` by a possibly different amount on each side.

    Args:
        x: An array with at least two axes; the last two are height and width.
        edges: Rows above, rows below, columns left, columns right.
        mode: One of the keys of :data:`NUMPY_PAD_MODES`.

    Returns:
        The padded array, of the same dtype as ``x``.

    Raises:
        ValueError: For an unknown mode, an array with fewer than two axes, or a
            padding PyTorch refuses for that mode.
    """
    if mode not in NUMPY_PAD_MODES:
        raise ValueError(f"unknown padding mode {mode!r}; expected one of {sorted(NUMPY_PAD_MODES)}")
    if x.ndim < 2:
        raise ValueError(f"padding needs an array with at least 2 axes, got shape {x.shape}")
    top, bottom, left, right = (as_int(edge, "padding", minimum=0) for edge in edges)
    height, width = x.shape[-2:]
    for size, before, after, axis in (
        (height, top, bottom, "height"),
        (width, left, right, "width"),
    ):
        largest = max(before, after)
        if mode == "reflect" and largest >= size:
            raise ValueError(f"reflect padding must be smaller than the {axis} ({size}), got {largest}")
        if mode in ("replicate", "circular") and size == 0 and largest > 0:
            raise ValueError(f"{mode} padding needs a non-empty {axis}")
        if mode == "circular" and largest > size:
            raise ValueError(f"circular padding must be at most the {axis} ({size}), got {largest}")
    if top == bottom == left == right == 0:
        return x
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    padded: np.ndarray = np.pad(x, widths, mode=NUMPY_PAD_MODES[mode])  # type: ignore[call-overload]
    return padded
