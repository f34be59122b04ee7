"""PyTorch as an oracle for the domain tests, handed to them as the ``torch_oracle`` fixture.

Tests run with ``--import-mode=importlib``, so they cannot import this file; fixtures
are how its helpers reach them.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch


class TorchOracle:
    """What PyTorch computes for the operations cnnmath reimplements."""

    @staticmethod
    def tensor(array: object, *, requires_grad: bool = False) -> torch.Tensor:
        """Return a float64 tensor holding a copy of ``array``."""
        return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)

    @staticmethod
    def numpy(value: torch.Tensor) -> np.ndarray:
        """Return a tensor's values as a NumPy array."""
        return value.detach().numpy()

    @classmethod
    def conv_with_mode(
        cls,
        image: np.ndarray,
        kernel: np.ndarray,
        *,
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
        padding_mode: str = "zeros",
    ) -> np.ndarray:
        """Correlate one image with one kernel through ``nn.Conv2d(padding_mode=...)``."""
        layer = torch.nn.Conv2d(
            1,
            1,
            kernel.shape,  # type: ignore[arg-type]
            stride=stride,
            padding=padding,  # type: ignore[arg-type]
            padding_mode=padding_mode,
            bias=False,
            dtype=torch.float64,
        )
        with torch.no_grad():
            layer.weight.copy_(cls.tensor(kernel)[None, None])
            return cls.numpy(layer(cls.tensor(image)[None, None])[0, 0])


@pytest.fixture(scope="session")
def torch_oracle() -> type[TorchOracle]:
    """PyTorch's answers, as :class:`TorchOracle`."""
    return TorchOracle


@pytest.fixture
def rng() -> np.random.Generator:
    """A generator with a fixed seed, so every run draws the same numbers."""
    return np.random.default_rng(20221227)
