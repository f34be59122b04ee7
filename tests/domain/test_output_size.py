"""The output-size formula against counting windows, and its inverse by enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnmath.output_size import kernel_sizes, output_size, window_coverage


def count_window_positions(n: int, kernel: int, stride: int, padding: int) -> int:
    """Count the starts 0, S, 2S, … of windows that fit in the padded axis, one by one."""
    starts, start = 0, 0
    while start + kernel <= n + 2 * padding:
        starts += 1
        start += stride
    return starts


sizes = st.integers(1, 60)
strides = st.integers(1, 7)
paddings = st.integers(0, 6)


@given(n=sizes, kernel=st.integers(1, 70), stride=strides, padding=paddings)
def test_output_size_counts_the_window_positions(n, kernel, stride, padding) -> None:
    if kernel > n + 2 * padding:
        with pytest.raises(ValueError, match="does not fit"):
            output_size(n, kernel, stride, padding)
    else:
        assert output_size(n, kernel, stride, padding) == count_window_positions(n, kernel, stride, padding)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((0, 1, 1, 0), ValueError, "input size must be at least 1"),
        ((5, 0, 1, 0), ValueError, "kernel size must be at least 1"),
        ((5, 3, 0, 0), ValueError, "stride must be at least 1"),
        ((5, 3, 1, -1), ValueError, "padding must be at least 0"),
        (
            (5, 8, 1, 1),
            ValueError,
            "kernel of size 8 does not fit in an input of size 5 with padding 1",
        ),
        ((5.0, 3, 1, 0), TypeError, "input size must be an integer"),
        ((5, True, 1, 0), TypeError, "kernel size must be an integer"),
    ],
)
def test_output_size_says_what_is_wrong(arguments, error, message) -> None:
    with pytest.raises(error, match=message):
        output_size(*arguments)


def test_output_size_takes_numpy_integers() -> None:
    assert output_size(np.int64(16), np.int32(3), 3, 2) == 6


@settings(max_examples=150)
@given(n_in=sizes, n_out=st.integers(1, 40), stride=strides, padding=paddings)
def test_kernel_sizes_with_padding_are_exactly_the_kernels_that_give_n_out(n_in, n_out, stride, padding) -> None:
    found = kernel_sizes(n_in, n_out, stride, padding)
    expected = [kernel for kernel in range(1, n_in + 2 * padding + 1) if count_window_positions(n_in, kernel, stride, padding) == n_out]
    assert list(found) == expected  # sound, complete, increasing


@settings(max_examples=150)
@given(n_in=sizes, kernel=st.integers(1, 60), stride=strides, padding=paddings)
def test_kernel_sizes_find_the_kernel_that_made_an_output(n_in, kernel, stride, padding) -> None:
    assume(kernel <= n_in + 2 * padding)
    n_out = count_window_positions(n_in, kernel, stride, padding)
    found = kernel_sizes(n_in, n_out, stride, padding)
    assert kernel in found
    # The floor lets exactly the kernels within one stride share an output size.
    assert len(found) <= stride


@settings(max_examples=60)
@given(n_in=st.integers(1, 30), n_out=st.integers(1, 30), stride=strides)
def test_kernel_sizes_without_padding_search_pairs_with_padding_below_kernel(n_in, n_out, stride) -> None:
    found = kernel_sizes(n_in, n_out, stride)
    expected = {
        (kernel, padding)
        for kernel in range(1, n_in + 1)
        for padding in range(kernel)
        if kernel <= n_in + 2 * padding and count_window_positions(n_in, kernel, stride, padding) == n_out
    }
    assert set(found) == expected
    assert list(found) == sorted(found, key=lambda pair: (pair[1], pair[0]))


def test_kernel_sizes_respect_max_kernel() -> None:
    assert kernel_sizes(205, 66, 3, 0, max_kernel=9) == (8, 9)
    assert max(kernel for kernel, _ in kernel_sizes(205, 66, 3, max_kernel=20)) <= 20


def test_question_4_kernel_is_8_9_or_10_not_only_10() -> None:
    # The write-up drops the floor: (205 − k)/3 + 1 = 66 gives k = 10 alone.
    assert [k for k in range(1, 206) if (205 - k) / 3 + 1 == 66] == [10]
    # With the floor, ⌊(205 − k)/3⌋ = 65 holds for 205 − k ∈ {195, 196, 197}.
    assert kernel_sizes(205, 66, stride=3, padding=0) == (8, 9, 10)


@given(n=sizes, kernel=st.integers(1, 20), stride=strides, padding=paddings)
def test_window_coverage_counts_reads_of_each_padded_index(n, kernel, stride, padding) -> None:
    assume(kernel <= n + 2 * padding)
    coverage = window_coverage(n, kernel, stride, padding)
    reads = np.zeros(n + 2 * padding, dtype=int)
    start = 0
    while start + kernel <= n + 2 * padding:
        reads[start : start + kernel] += 1
        start += stride
    assert coverage.counts == tuple(reads)
    assert coverage.covered == tuple(np.flatnonzero(reads))
    assert coverage.untouched == tuple(np.flatnonzero(reads == 0))
    assert len(coverage.starts) == output_size(n, kernel, stride, padding)


def test_conv3_20_3_2_on_16_wide_input_never_reads_the_last_two_padding_columns() -> None:
    coverage = window_coverage(16, kernel=3, stride=3, padding=2)
    assert coverage.padded_size == 20
    assert coverage.starts == (0, 3, 6, 9, 12, 15)  # 6 windows: ⌊(16 − 3 + 4)/3⌋ + 1
    assert coverage.untouched == (18, 19)
    assert all(coverage.is_padding(index) for index in coverage.untouched)
    assert coverage.untouched_input == ()


@pytest.mark.parametrize(("kernel", "never_read"), [(8, (203, 204)), (9, (204,)), (10, ())])
def test_question_4_candidates_leave_the_last_columns_unread(kernel, never_read) -> None:
    # The 66th window starts at 3·65 = 195 and reads 195 … 194 + k; columns above are never read.
    assert tuple(range(195 + kernel, 205)) == never_read
    coverage = window_coverage(205, kernel, stride=3)
    assert coverage.starts[-1] == 195
    assert coverage.untouched_input == never_read
