"""The layer notation and the network walk, against hand arithmetic and PyTorch."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from cnnmath.notation import (
    ConvLayer,
    FullyConnectedLayer,
    PoolLayer,
    format_shape,
    parse_layer,
    walk,
)

QUESTION_2 = ["CONV3-10", "ReLU", "POOL-2", "CONV3-20(3,2)", "ReLU", "POOL-2", "FLATTEN", "FC-10"]


def question_2_in_pytorch() -> nn.Sequential:
    """Question 2's network, one PyTorch module per layer of the notation."""
    return nn.Sequential(
        nn.Conv2d(3, 10, 3, 1, 1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(10, 20, 3, 3, 2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(180, 10),
    )


def test_conv_without_stride_and_padding_means_stride_1_padding_1() -> None:
    assert parse_layer("CONV3-10") == ConvLayer("CONV3-10", kernel=3, filters=10, stride=1, padding=1)
    assert parse_layer("CONV3-20(3,2)") == ConvLayer("CONV3-20(3,2)", kernel=3, filters=20, stride=3, padding=2)
    assert parse_layer("conv5-8( 2, 0 )").padding == 0


def test_other_layers_parse() -> None:
    assert parse_layer("POOL-2") == PoolLayer("POOL-2", size=2)
    assert parse_layer("FC-10") == FullyConnectedLayer("FC-10", outputs=10)
    assert [parse_layer(word).kind for word in ("ReLU", "relu", "FLATTEN", "Input")] == [
        "relu",
        "relu",
        "flatten",
        "input",
    ]


@pytest.mark.parametrize(
    ("notation", "message"),
    [
        ("CONV3-20(3)", r"^CONV3-20\(3\): expected CONVk-N or CONVk-N\(S,P\)$"),
        ("CONV3", r"^CONV3: expected CONVk-N"),
        ("CONV0-10", r"^CONV0-10: kernel size must be at least 1, got 0$"),
        ("CONV3-10(0,1)", r"stride must be at least 1"),
        ("POOL2", r"^POOL2: expected POOL-n$"),
        ("FC-", r"^FC-: expected FC-N$"),
        ("FC-0", r"number of outputs must be at least 1"),
        ("SOFTMAX", r"^SOFTMAX: unknown layer; expected one of CONVk-N"),
    ],
)
def test_bad_notation_names_the_layer_and_the_problem(notation, message) -> None:
    with pytest.raises(ValueError, match=message):
        parse_layer(notation)


def test_question_2_rows_by_hand() -> None:
    rows = walk((32, 32, 3), ["Input", *QUESTION_2]).rows
    # CONV3-10: ⌊(32 − 3 + 2)/1⌋ + 1 = 32; 3·3·3 weights per filter, 10 filters, 10 biases.
    # POOL-2 halves; CONV3-20(3,2): ⌊(16 − 3 + 4)/3⌋ + 1 = 6; POOL-2: ⌊6/2⌋ = 3; 3·3·20 = 180.
    expected = [
        ("Input", (32, 32, 3), 0),
        ("CONV3-10", ((32 - 3 + 2) // 1 + 1, (32 - 3 + 2) // 1 + 1, 10), 3 * 3 * 3 * 10 + 10),
        ("ReLU", (32, 32, 10), 0),
        ("POOL-2", (32 // 2, 32 // 2, 10), 0),
        ("CONV3-20(3,2)", ((16 - 3 + 4) // 3 + 1, (16 - 3 + 4) // 3 + 1, 20), 3 * 3 * 10 * 20 + 20),
        ("ReLU", (6, 6, 20), 0),
        ("POOL-2", (6 // 2, 6 // 2, 20), 0),
        ("FLATTEN", (3 * 3 * 20,), 0),
        ("FC-10", (10,), 180 * 10 + 10),
    ]
    assert [(row.notation, row.output_shape, row.parameters) for row in rows] == expected
    assert [row.parameters for row in rows if row.parameters] == [280, 1820, 1810]
    assert [row.parameter_formula for row in rows if row.parameters] == [
        "3×3×3×10 + 10",
        "3×3×10×20 + 20",
        "180×10 + 10",
    ]
    assert [format_shape(row.output_shape) for row in rows][-4:] == [
        "6×6×20",
        "3×3×20",
        "180",
        "10",
    ]
    assert [row.position for row in rows] == list(range(1, 10))


def test_question_2_totals_and_multiplications_by_hand() -> None:
    network = walk((32, 32, 3), QUESTION_2)
    assert network.total_parameters == 280 + 1820 + 1810
    conv1 = 32 * 32 * 10 * 3 * 3 * 3  # H'·W'·N·k·k·D
    conv2 = 6 * 6 * 20 * 3 * 3 * 10
    fc = 180 * 10
    assert [row.multiplications for row in network] == [conv1, 0, 0, conv2, 0, 0, 0, fc]
    assert network.total_multiplications == conv1 + conv2 + fc
    assert network.output_shape == (10,)
    assert len(network) == 8 and network[0].kind == "conv"


def test_question_2_shapes_and_parameters_match_pytorch() -> None:
    model = question_2_in_pytorch()
    rows = walk((32, 32, 3), QUESTION_2).rows
    activation = torch.zeros(1, 3, 32, 32)
    for row, module in zip(rows, model, strict=True):
        activation = module(activation)
        shape = tuple(activation.shape[1:])
        hwc = shape[1:] + shape[:1] if len(shape) == 3 else shape  # (C, H, W) → (H, W, C)
        assert row.output_shape == hwc, row.notation
        assert row.parameters == sum(parameter.numel() for parameter in module.parameters()), row.notation


def test_question_2_multiplications_are_half_pytorchs_flop_count() -> None:
    # FlopCounterMode counts a multiply-accumulate as 2 FLOPs, for convolutions and
    # for the Linear layer's addmm alike; pooling and ReLU count 0.
    model = question_2_in_pytorch()
    network = walk((32, 32, 3), QUESTION_2)
    with FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, 3, 32, 32))
    assert counter.get_total_flops() == 2 * network.total_multiplications


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            ["CONV3-10", "FC-10"],
            r"^FC-10 \(layer 2\): expects a flat input, got 32×32×10; put FLATTEN before it$",
        ),
        (
            ["POOL-2", "POOL-32"],
            r"^POOL-32 \(layer 2\): a 32×32 window does not fit a 16×16×3 input$",
        ),
        (
            ["FLATTEN", "CONV3-10"],
            r"^CONV3-10 \(layer 2\): expects an H×W×C input, got the flat input 3072$",
        ),
        (["FLATTEN", "POOL-2"], r"^POOL-2 \(layer 2\): expects an H×W×C input"),
        (["CONV3-10", "Input"], r"^Input \(layer 2\): Input can only be the first layer$"),
        (["ReLU", "CONV3-20(3)"], r"^layer 2: CONV3-20\(3\): expected CONVk-N or CONVk-N\(S,P\)$"),
        (["CONV40-1(1,0)"], r"^CONV40-1\(1,0\) \(layer 1\): a kernel of size 40 does not fit"),
    ],
)
def test_layers_that_cannot_apply_are_named_with_their_position(layers, message) -> None:
    with pytest.raises(ValueError, match=message):
        walk((32, 32, 3), layers)


def test_walk_refuses_a_bad_input_shape() -> None:
    with pytest.raises(ValueError, match=r"\(H, W, C\) or \(N,\)"):
        walk((32, 32), ["ReLU"])


def test_flat_input_goes_straight_to_fully_connected_layers() -> None:
    network = walk((4,), ["FC-3", "ReLU", "FLATTEN", "FC-2"])
    assert [row.output_shape for row in network] == [(3,), (3,), (3,), (2,)]
    assert network.total_parameters == (4 * 3 + 3) + (3 * 2 + 2)


def test_walk_accepts_parsed_layers() -> None:
    assert walk((8, 8, 1), [parse_layer("POOL-2")]).output_shape == (4, 4, 1)
