"""The homework's layer notation, and a walk through a network's shapes and costs.

Notation (question 2):

- ``CONVk-N(S,P)``: N filters of size k×k×D (D the depth of the layer's input), stride
  S, zero padding P on each side; ``CONVk-N`` means S = P = 1.
- ``POOL-n``: n×n max pooling, stride n, no padding.
- ``ReLU``, ``FLATTEN`` (PyTorch's ``nn.Flatten``), ``FC-N`` (N outputs).
- ``Input``: optional first row that repeats the input shape, as the write-up's table does.

Shapes are written the question's way, ``(H, W, C)``, and ``(N,)`` once flat.
Keywords are read without regard to case and spaces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from cnnmath._validation import as_int
from cnnmath.output_size import output_size

Shape = tuple[int, ...]
LayerKind = Literal["input", "conv", "pool", "relu", "flatten", "fc"]

#: The notations :func:`parse_layer` understands, for error messages.
KNOWN_NOTATIONS = "CONVk-N, CONVk-N(S,P), POOL-n, ReLU, FLATTEN, FC-N, Input"


def format_shape(shape: Shape) -> str:
    """Write a shape the question's way, e.g. ``(6, 6, 20)`` → ``"6×6×20"``."""
    return "×".join(str(size) for size in shape)


@dataclass(frozen=True)
class Layer:
    """One layer written in the notation; subclasses know its arithmetic.

    Attributes:
        notation: The layer as it was written, e.g. ``"CONV3-20(3,2)"``.
    """

    notation: str
    kind: ClassVar[LayerKind]

    def output_shape(self, shape: Shape) -> Shape:
        """Return the shape this layer produces from an input of ``shape``."""
        return shape

    def parameters(self, shape: Shape) -> int:
        """Return the number of learnable parameters for an input of ``shape``."""
        return 0

    def multiplications(self, shape: Shape) -> int:
        """Return the multiplications computing the output takes (zeros count too)."""
        return 0

    def parameter_formula(self, shape: Shape) -> str:
        """Return :meth:`parameters` as the arithmetic that gives it, e.g. ``"3×3×3×10 + 10"``."""
        return "0"

    def multiplication_formula(self, shape: Shape) -> str:
        """Return :meth:`multiplications` as the arithmetic that gives it."""
        return "0"


@dataclass(frozen=True)
class InputLayer(Layer):
    """The ``Input`` row: passes the input shape through."""

    kind: ClassVar[LayerKind] = "input"


@dataclass(frozen=True)
class ReLULayer(Layer):
    """``ReLU``: elementwise, shape unchanged, no parameters."""

    kind: ClassVar[LayerKind] = "relu"


@dataclass(frozen=True, kw_only=True)
class ConvLayer(Layer):
    """``CONVk-N(S,P)``: N square kernels of side k over all input channels.

    Attributes:
        kernel: Kernel side k.
        filters: Number of kernels N (the output depth).
        stride: Stride S.
        padding: Zero padding P on each side.
    """

    kind: ClassVar[LayerKind] = "conv"
    kernel: int
    filters: int
    stride: int
    padding: int

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``(H', W', N)`` with ``H' = ⌊(H − k + 2P)/S⌋ + 1`` and likewise ``W'``."""
        height, width, _ = _image_shape(shape)
        return (
            output_size(height, self.kernel, self.stride, self.padding),
            output_size(width, self.kernel, self.stride, self.padding),
            self.filters,
        )

    def parameters(self, shape: Shape) -> int:
        """Return ``k·k·D·N + N``: the weights plus one bias per kernel."""
        depth = _image_shape(shape)[2]
        return self.kernel * self.kernel * depth * self.filters + self.filters

    def multiplications(self, shape: Shape) -> int:
        """Return ``H'·W'·N·k·k·D``: one k×k×D dot product per output entry."""
        out_h, out_w, _ = self.output_shape(shape)
        depth = _image_shape(shape)[2]
        return out_h * out_w * self.filters * self.kernel * self.kernel * depth

    def parameter_formula(self, shape: Shape) -> str:
        """Return ``"k×k×D×N + N"`` with the numbers in."""
        depth = _image_shape(shape)[2]
        k, n = self.kernel, self.filters
        return f"{k}×{k}×{depth}×{n} + {n}"

    def multiplication_formula(self, shape: Shape) -> str:
        """Return ``"H'×W'×N×k×k×D"`` with the numbers in."""
        out_h, out_w, _ = self.output_shape(shape)
        depth = _image_shape(shape)[2]
        k = self.kernel
        return f"{out_h}×{out_w}×{self.filters}×{k}×{k}×{depth}"


@dataclass(frozen=True, kw_only=True)
class PoolLayer(Layer):
    """``POOL-n``: n×n max pooling with stride n and no padding.

    Attributes:
        size: Window side and stride n.
    """

    kind: ClassVar[LayerKind] = "pool"
    size: int

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``(⌊H/n⌋, ⌊W/n⌋, C)``, as PyTorch's ``MaxPool2d(n)`` gives."""
        height, width, channels = _image_shape(shape)
        if self.size > height or self.size > width:
            raise ValueError(f"a {self.size}×{self.size} window does not fit a {format_shape(shape)} input")
        return (
            output_size(height, self.size, self.size),
            output_size(width, self.size, self.size),
            channels,
        )


@dataclass(frozen=True)
class FlattenLayer(Layer):
    """``FLATTEN``: one vector of all the entries (a flat input stays as it is)."""

    kind: ClassVar[LayerKind] = "flatten"

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``(H·W·C,)``."""
        return (math.prod(shape),)


@dataclass(frozen=True, kw_only=True)
class FullyConnectedLayer(Layer):
    """``FC-N``: a dense layer with N outputs on a flat input.

    Attributes:
        outputs: Number of outputs N.
    """

    kind: ClassVar[LayerKind] = "fc"
    outputs: int

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``(N,)``."""
        _flat_size(shape)
        return (self.outputs,)

    def parameters(self, shape: Shape) -> int:
        """Return ``in·N + N``: the weight matrix plus one bias per output."""
        return _flat_size(shape) * self.outputs + self.outputs

    def multiplications(self, shape: Shape) -> int:
        """Return ``in·N``."""
        return _flat_size(shape) * self.outputs

    def parameter_formula(self, shape: Shape) -> str:
        """Return ``"in×N + N"`` with the numbers in."""
        return f"{_flat_size(shape)}×{self.outputs} + {self.outputs}"

    def multiplication_formula(self, shape: Shape) -> str:
        """Return ``"in×N"`` with the numbers in."""
        return f"{_flat_size(shape)}×{self.outputs}"


_CONV = re.compile(r"CONV(\d+)-(\d+)(?:\((\d+),(\d+)\))?")
_POOL = re.compile(r"POOL-(\d+)")
_FC = re.compile(r"FC-(\d+)")
_WORDS: dict[str, type[Layer]] = {
    "INPUT": InputLayer,
    "RELU": ReLULayer,
    "FLATTEN": FlattenLayer,
}


def parse_layer(notation: str) -> Layer:
    """Read one layer written in the homework's notation.

    Args:
        notation: E.g. ``"CONV3-10"``, ``"CONV3-20(3,2)"``, ``"POOL-2"``, ``"ReLU"``,
            ``"FLATTEN"``, ``"FC-10"`` or ``"Input"``.

    Returns:
        The layer, keeping ``notation`` as written.

    Raises:
        ValueError: Naming the notation and what is wrong with it, e.g.
            ``"CONV3-20(3): expected CONVk-N or CONVk-N(S,P)"``.
    """
    if not isinstance(notation, str):
        raise TypeError(f"a layer is written as a string, got {notation!r}")
    text = re.sub(r"\s+", "", notation).upper()
    if text in _WORDS:
        return _WORDS[text](notation)
    if text.startswith("CONV"):
        match = _CONV.fullmatch(text)
        if match is None:
            raise ValueError(f"{notation}: expected CONVk-N or CONVk-N(S,P)")
        kernel, filters, stride, padding = match.groups()
        return ConvLayer(
            notation,
            kernel=_count(notation, "kernel size", kernel, minimum=1),
            filters=_count(notation, "number of filters", filters, minimum=1),
            stride=1 if stride is None else _count(notation, "stride", stride, minimum=1),
            padding=1 if padding is None else _count(notation, "padding", padding, minimum=0),
        )
    if text.startswith("POOL"):
        match = _POOL.fullmatch(text)
        if match is None:
            raise ValueError(f"{notation}: expected POOL-n")
        return PoolLayer(notation, size=_count(notation, "pool size", match.group(1), minimum=1))
    if text.startswith("FC"):
        match = _FC.fullmatch(text)
        if match is None:
            raise ValueError(f"{notation}: expected FC-N")
        return FullyConnectedLayer(notation, outputs=_count(notation, "number of outputs", match.group(1), minimum=1))
    raise ValueError(f"{notation}: unknown layer; expected one of {KNOWN_NOTATIONS}")


@dataclass(frozen=True)
class LayerRow:
    """One row of a network's table: what a layer does to the shape, and what it costs.

    Attributes:
        position: 1-based place of the layer in the list walked.
        notation: The layer as written.
        kind: ``"input"``, ``"conv"``, ``"pool"``, ``"relu"``, ``"flatten"`` or ``"fc"``.
        layer: The parsed layer.
        input_shape: Shape entering the layer.
        output_shape: Shape leaving it, ``(H, W, C)`` or ``(N,)``.
        parameters: Learnable parameters (conv ``k·k·D·N + N``, FC ``in·out + out``).
        multiplications: Multiplications to compute the output, multiplications by
            padded zeros included (conv ``H'·W'·N·k·k·D``, FC ``in·out``, others 0).
        parameter_formula: ``parameters`` as arithmetic, e.g. ``"3×3×3×10 + 10"``.
        multiplication_formula: ``multiplications`` as arithmetic.
    """

    position: int
    notation: str
    kind: LayerKind
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    parameters: int
    multiplications: int
    parameter_formula: str
    multiplication_formula: str


@dataclass(frozen=True)
class NetworkWalk:
    """The rows of a walk through a network, with totals; iterating yields the rows.

    Attributes:
        input_shape: The shape the walk started from.
        rows: One :class:`LayerRow` per layer, in order.
    """

    input_shape: Shape
    rows: tuple[LayerRow, ...]

    @property
    def output_shape(self) -> Shape:
        """The shape the last layer produces (the input shape if there are no layers)."""
        return self.rows[-1].output_shape if self.rows else self.input_shape

    @property
    def total_parameters(self) -> int:
        """Sum of the layers' learnable parameters."""
        return sum(row.parameters for row in self.rows)

    @property
    def total_multiplications(self) -> int:
        """Sum of the layers' multiplications."""
        return sum(row.multiplications for row in self.rows)

    def __iter__(self) -> Iterator[LayerRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> LayerRow:
        return self.rows[index]


def walk(input_shape: Sequence[int], layers: Sequence[str | Layer]) -> NetworkWalk:
    """Follow an input through a list of layers, recording shapes, parameters and costs.

    Args:
        input_shape: ``(H, W, C)`` in the question's order, or ``(N,)`` for a flat input.
        layers: Layers in the notation (strings) or already parsed.

    Returns:
        The walk: its rows, and the total parameters and multiplications.

    Raises:
        ValueError: If a layer is badly written or cannot apply to the shape it gets;
            the message names the layer and its position, e.g.
            ``"FC-10 (layer 3): expects a flat input, got 16×16×10; put FLATTEN before it"``.
    """
    shape = tuple(as_int(size, "input size", minimum=1) for size in input_shape)
    if len(shape) not in (1, 3):
        raise ValueError(f"input shape must be (H, W, C) or (N,), got {tuple(input_shape)}")
    start, rows = shape, []
    for position, item in enumerate(layers, start=1):
        try:
            layer = item if isinstance(item, Layer) else parse_layer(item)
        except ValueError as error:
            raise ValueError(f"layer {position}: {error}") from None
        if isinstance(layer, InputLayer) and position != 1:
            raise ValueError(f"{layer.notation} (layer {position}): Input can only be the first layer")
        try:
            rows.append(
                LayerRow(
                    position=position,
                    notation=layer.notation,
                    kind=layer.kind,
                    layer=layer,
                    input_shape=shape,
                    output_shape=layer.output_shape(shape),
                    parameters=layer.parameters(shape),
                    multiplications=layer.multiplications(shape),
                    parameter_formula=layer.parameter_formula(shape),
                    multiplication_formula=layer.multiplication_formula(shape),
                )
            )
        except ValueError as error:
            raise ValueError(f"{layer.notation} (layer {position}): {error}") from None
        shape = rows[-1].output_shape
    return NetworkWalk(start, tuple(rows))


def _image_shape(shape: Shape) -> tuple[int, int, int]:
    """Return ``shape`` as ``(H, W, C)``, or say that the layer needs one."""
    if len(shape) != 3:
        raise ValueError(f"expects an H×W×C input, got the flat input {format_shape(shape)}")
    height, width, channels = shape
    return height, width, channels


def _flat_size(shape: Shape) -> int:
    """Return the size of a flat ``shape``, or say that FLATTEN must come first."""
    if len(shape) != 1:
        raise ValueError(f"expects a flat input, got {format_shape(shape)}; put FLATTEN before it")
    return shape[0]


def _count(notation: str, what: str, digits: str, *, minimum: int) -> int:
    """Return a number read from the notation, or say it is out of range."""
    value = int(digits)
    if value < minimum:
        raise ValueError(f"{notation}: {what} must be at least {minimum}, got {value}")
    return value
