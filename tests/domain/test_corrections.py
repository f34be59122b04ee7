"""The corrections and common mistakes the question pages and errata state, held against PyTorch and closed forms.

Each wrong answer a "Common mistakes" box computes with cnnmath is computed here again by PyTorch's
own layers (or by hand), and each mathematical correction of the errata is checked where it can be.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch
from torch import nn

from cnnmath.correlation import checkerboard, mean_filter
from cnnmath.notation import walk
from cnnmath.tinynet import routing


def output_hw(layer: nn.Module, shape: tuple[int, int, int]) -> tuple[int, ...]:
    """A layer's output shape H×W×C for an H×W×C input, from PyTorch."""
    height, width, channels = shape
    out = layer(torch.zeros(1, channels, height, width))
    return (out.shape[2], out.shape[3], out.shape[1])


def test_q2_mistakes_no_padding_swapped_stride_and_padding_and_the_wrong_depth_match_pytorch() -> None:
    # P = 0 on CONV3-10: 30×30×10.
    assert walk((32, 32, 3), ["CONV3-10(1,0)"])[0].output_shape == output_hw(nn.Conv2d(3, 10, 3), (32, 32, 3)) == (30, 30, 10)
    # CONV3-20(3,2) read as stride 2, padding 3: 10×10×20.
    misread = walk((16, 16, 10), ["CONV3-20(2,3)"])[0]
    assert misread.output_shape == output_hw(nn.Conv2d(10, 20, 3, stride=2, padding=3), (16, 16, 10)) == (10, 10, 20)
    # Depth taken as the layer's 20 filters instead of its input's 10 channels: 3,620, not 1,820.
    assert sum(p.numel() for p in nn.Conv2d(20, 20, 3).parameters()) == 3620
    assert walk((16, 16, 10), ["CONV3-20(3,2)"])[0].parameters == sum(p.numel() for p in nn.Conv2d(10, 20, 3).parameters()) == 1820


def test_q4_mistake_65_for_66_gives_k_7_and_67_outputs_in_pytorch() -> None:
    k = 205 - 66 * 3  # (205 − k)/3 = 66, the + 1 forgotten
    assert k == 7
    assert output_hw(nn.Conv2d(1, 1, k, stride=3), (205, 205, 1))[:2] == (67, 67)


def test_q1_mistake_avg_pool_with_its_default_stride_turns_8x8_into_2x2() -> None:
    board = torch.tensor(checkerboard(8, 255), dtype=torch.float64)[None, None]
    assert nn.AvgPool2d(3)(board).shape[-2:] == (2, 2)


def test_q1_only_the_boards_deviation_from_its_mean_is_an_eigen_image_of_the_circular_filter() -> None:
    board = checkerboard(8, 255)
    mean = Fraction(int(board.sum()), board.size)
    filtered = mean_filter(board, 3, border="circular", exact=True)
    deviation = board - mean
    assert np.all(mean_filter(deviation, 3, border="circular", exact=True) == deviation * Fraction(1, 9))
    # The board itself is not: a black pixel (0) comes out grey, and the white ones keep 5/9, not 1/9.
    assert all(filtered[i, j] != 0 for i in range(8) for j in range(8) if board[i, j] == 0)
    ratios = {filtered[i, j] / board[i, j] for i in range(8) for j in range(8) if board[i, j]}
    assert ratios == {Fraction(5, 9)}
    assert mean_filter(np.full((8, 8), 5), 3, border="circular", exact=True)[0, 0] == 5  # response 1 at (0, 0)


def test_q3_at_a_tie_the_whole_delta_goes_to_one_candidate_so_the_weights_sum_to_one() -> None:
    for tied in ([1.0, 2.0, 2.0], [2.0, 2.0, 1.0], [1.0, 1.0, 1.0]):
        for policy in ("outer", "first", "last"):
            assert routing(np.array(tied), policy).sum(axis=1).tolist() == [1, 1]
    # A maximum of 0 passes nothing: the constant takes the whole weight.
    assert routing(np.array([0.0, -1.0, 0.0])).sum() == 0


def test_q3_padded_general_layer_reads_past_the_end_only_for_j_above_one() -> None:
    n, d, p = 6, 3, 1
    m = n + 2 * p - d + 1
    assert [j for j in range(1, d + 1) if m + j - 1 > n] == [2, 3]  # j = 1 reads x_6, which exists
