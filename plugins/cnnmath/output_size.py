"""The output-size formula of a convolution or pooling axis, its inverse, and coverage.

Along one axis, an input of ``n`` entries padded with ``P`` zeros on each side and read
by windows of ``k`` entries every ``S`` entries gives ``⌊(n − k + 2P)/S⌋ + 1`` outputs.
:func:`kernel_sizes` inverts that by trying every candidate, so the floor is never
lost; :func:`window_coverage` says which entries the windows read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from cnnmath._validation import as_int


def output_size(n: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Return the number of window positions along one axis, ``⌊(n − k + 2P)/S⌋ + 1``.

    Args:
        n: Input size along the axis (without padding), at least 1.
        kernel: Window size ``k``, at least 1.
        stride: Step ``S`` between windows, at least 1.
        padding: Zeros ``P`` added on each side, at least 0.

    Returns:
        The output size along the axis.

    Raises:
        TypeError: If an argument is not an integer.
        ValueError: If an argument is out of range, or the window is larger than the
            padded input (``k > n + 2P``), so no window fits.
    """
    n = as_int(n, "input size", minimum=1)
    kernel = as_int(kernel, "kernel size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    if kernel > n + 2 * padding:
        raise ValueError(
            f"a kernel of size {kernel} does not fit in an input of size {n} with padding {padding} (padded size {n + 2 * padding})"
        )
    return (n - kernel + 2 * padding) // stride + 1


@overload
def kernel_sizes(
    n_in: int, n_out: int, stride: int = 1, padding: None = None, *, max_kernel: int | None = None
) -> tuple[tuple[int, int], ...]: ...


@overload
def kernel_sizes(n_in: int, n_out: int, stride: int = 1, padding: int = ..., *, max_kernel: int | None = None) -> tuple[int, ...]: ...


def kernel_sizes(
    n_in: int,
    n_out: int,
    stride: int = 1,
    padding: int | None = None,
    *,
    max_kernel: int | None = None,
) -> tuple[int, ...] | tuple[tuple[int, int], ...]:
    """Find every kernel size (and padding) that maps ``n_in`` entries to ``n_out``.

    Every candidate is tried with :func:`output_size`; nothing is solved by algebra,
    so several kernels can come back where the floor in the formula allows them
    (question 4: 205 → 66 with stride 3 and no padding allows ``k ∈ {8, 9, 10}``).

    Args:
        n_in: Input size along the axis, without padding.
        n_out: Output size along the axis.
        stride: The stride.
        padding: The padding on each side; ``None`` to search over paddings too.
        max_kernel: Largest kernel tried; by default ``n_in + 2P`` when ``padding`` is
            given and ``n_in`` when it is not.

    Returns:
        With ``padding`` given, the kernel sizes in increasing order. With
        ``padding=None``, every ``(kernel, padding)`` pair with ``kernel ≤ max_kernel``
        and ``padding < kernel`` (larger padding would make the corner windows read
        nothing but padding), ordered by padding, then kernel.

    Raises:
        ValueError: If an argument is out of range.
    """
    n_in = as_int(n_in, "input size", minimum=1)
    n_out = as_int(n_out, "output size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    if max_kernel is not None:
        max_kernel = as_int(max_kernel, "max_kernel", minimum=1)
    if padding is not None:
        padding = as_int(padding, "padding", minimum=0)
        limit = n_in + 2 * padding
        if max_kernel is not None:
            limit = min(limit, max_kernel)
        return tuple(kernel for kernel in range(1, limit + 1) if output_size(n_in, kernel, stride, padding) == n_out)
    limit = n_in if max_kernel is None else max_kernel
    return tuple(
        (kernel, pad)
        for pad in range(limit)
        for kernel in range(pad + 1, min(limit, n_in + 2 * pad) + 1)
        if output_size(n_in, kernel, stride, pad) == n_out
    )


@dataclass(frozen=True)
class WindowCoverage:
    """Which entries of a padded axis the windows of a convolution read.

    Indices are positions on the padded axis, ``0 … n + 2P − 1``; the input proper
    occupies ``P … P + n − 1``.

    Attributes:
        n: Input size, without padding.
        kernel: Window size.
        stride: Step between windows.
        padding: Zeros added on each side.
        starts: First index of each window, in order.
        counts: For every padded index, how many windows read it.
    """

    n: int
    kernel: int
    stride: int
    padding: int
    starts: tuple[int, ...]
    counts: tuple[int, ...]

    @property
    def padded_size(self) -> int:
        """Length of the padded axis, ``n + 2P``."""
        return self.n + 2 * self.padding

    @property
    def covered(self) -> tuple[int, ...]:
        """Padded indices read by at least one window."""
        return tuple(index for index, count in enumerate(self.counts) if count)

    @property
    def untouched(self) -> tuple[int, ...]:
        """Padded indices no window reads (padding or input alike)."""
        return tuple(index for index, count in enumerate(self.counts) if not count)

    @property
    def untouched_input(self) -> tuple[int, ...]:
        """Input entries no window reads, as indices into the unpadded input."""
        return tuple(index - self.padding for index in self.untouched if self.padding <= index < self.padding + self.n)

    def is_padding(self, index: int) -> bool:
        """Return whether padded index ``index`` is a padding entry rather than input."""
        return not self.padding <= index < self.padding + self.n


def window_coverage(n: int, kernel: int, stride: int = 1, padding: int = 0) -> WindowCoverage:
    """Say where the windows start and which padded entries they read.

    Args:
        n: Input size, without padding.
        kernel: Window size.
        stride: Step between windows.
        padding: Zeros added on each side.

    Returns:
        The coverage; e.g. ``window_coverage(16, 3, 3, 2)`` (CONV3-20(3,2) on a
        16-wide input) starts windows at 0, 3, …, 15 and never reads padded indices
        18 and 19.

    Raises:
        ValueError: As :func:`output_size`.
    """
    positions = output_size(n, kernel, stride, padding)
    starts = tuple(stride * position for position in range(positions))
    counts = [0] * (n + 2 * padding)
    for start in starts:
        for index in range(start, start + kernel):
            counts[index] += 1
    return WindowCoverage(n, kernel, stride, padding, starts, tuple(counts))
