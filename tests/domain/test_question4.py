"""Question 4: the layer 205×205×10 → 66×66×96 with stride 3, for each possible kernel."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from cnnmath.notation import walk
from cnnmath.output_size import kernel_sizes


@pytest.mark.parametrize("kernel", [8, 9, 10])
def test_each_candidate_kernel_gives_66_in_pytorch(kernel) -> None:
    x = torch.empty(1, 10, 205, 205, device="meta")
    weight = torch.empty(96, 10, kernel, kernel, device="meta")
    assert tuple(F.conv2d(x, weight, stride=3).shape) == (1, 96, 66, 66)


def test_the_candidates_are_what_kernel_sizes_finds() -> None:
    assert kernel_sizes(205, 66, 3, 0) == (8, 9, 10)


@pytest.mark.parametrize("kernel", [8, 9, 10])
def test_parameters_and_multiplications_by_hand_and_by_pytorch(kernel) -> None:
    row = walk((205, 205, 10), [f"CONV{kernel}-96(3,0)"]).rows[0]
    assert row.output_shape == (66, 66, 96)
    assert row.parameters == 96 * (kernel * kernel * 10) + 96  # one bias per kernel
    assert row.multiplications == 66 * 66 * 96 * kernel * kernel * 10
    assert row.multiplication_formula == f"66×66×96×{kernel}×{kernel}×10"

    weight = torch.empty(96, 10, kernel, kernel)
    bias = torch.empty(96)
    assert row.parameters == weight.numel() + bias.numel()
    with FlopCounterMode(display=False) as counter:
        F.conv2d(torch.empty(1, 10, 205, 205, device="meta"), weight.to("meta"), stride=3)
    # PyTorch counts a multiply-accumulate as 2 FLOPs.
    assert counter.get_total_flops() == 2 * row.multiplications


def test_the_write_ups_numbers_are_those_of_k_10() -> None:
    row = walk((205, 205, 10), ["CONV10-96(3,0)"]).rows[0]
    assert (row.parameters, row.multiplications) == (96_096, 418_176_000)
