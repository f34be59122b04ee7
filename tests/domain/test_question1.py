"""Question 1: the checkerboard, its mean filter, and the exact fractions of the result."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import numpy as np
import pytest

from cnnmath.correlation import checkerboard, filter2d, mean_filter
from cnnmath.exact import to_fractions


def test_checkerboard_has_white_where_row_plus_column_is_even() -> None:
    board = checkerboard()
    assert board.shape == (8, 8)
    for i, j in product(range(8), range(8)):
        assert board[i, j] == (255 if (i + j) % 2 == 0 else 0)


def test_checkerboard_options() -> None:
    board = checkerboard(4, white=1, top_left_white=False, black=-1)
    assert board[0, 0] == -1 and board[0, 1] == 1 and board[1, 0] == 1 and board[3, 3] == -1


def same_colour_cells_in_a_3x3_window() -> int:
    """Count the offsets (a, b) of a 3×3 window whose cell has the centre's colour.

    On a checkerboard, cell (i + a, j + b) has the colour of (i, j) exactly when
    a + b is even: the centre and the four diagonal cells, 5 of 9. The other 4
    (the edge-adjacent cells) have the other colour.
    """
    return sum(1 for a, b in product((-1, 0, 1), repeat=2) if (a + b) % 2 == 0)


def test_question_1_interior_is_five_or_four_ninths_of_255() -> None:
    same = same_colour_cells_in_a_3x3_window()
    assert same == 5
    white_centred = Fraction(same * 255, 9)  # 5 white cells of 9
    black_centred = Fraction((9 - same) * 255, 9)  # 4 white cells of 9
    assert (white_centred, black_centred) == (Fraction(425, 3), Fraction(340, 3))

    board = checkerboard()
    result = mean_filter(board, 3, border="keep", exact=True)
    for i, j in product(range(1, 7), range(1, 7)):
        expected = white_centred if (i + j) % 2 == 0 else black_centred
        assert result[i, j] == expected and isinstance(result[i, j], Fraction)
    # "Pixels on the image border stay unchanged."
    for i, j in product(range(8), range(8)):
        if i in (0, 7) or j in (0, 7):
            assert result[i, j] == board[i, j]
    assert set(result.ravel()) == {0, 255, white_centred, black_centred}


def test_question_1_in_floating_point_is_close_to_the_fractions() -> None:
    exact = mean_filter(checkerboard(), exact=True)
    floating = mean_filter(checkerboard())
    assert floating.dtype == np.float64
    np.testing.assert_allclose(floating, exact.astype(float), rtol=1e-15)


def test_exact_filter_takes_fraction_kernels() -> None:
    kernel = np.full((3, 3), Fraction(1, 9), dtype=object)
    np.testing.assert_array_equal(filter2d(checkerboard(), kernel, exact=True), mean_filter(checkerboard(), exact=True))


def test_exact_filter_refuses_floats_that_have_no_exact_value() -> None:
    with pytest.raises(ValueError, match=r"float 0\.111.*Fraction\(1, 9\)"):
        filter2d(checkerboard(), np.full((3, 3), 1 / 9), exact=True)
    # Whole-number floats are exact, so they are accepted.
    assert to_fractions(np.array([255.0, 0.0]))[0] == 255


def test_filter_refuses_a_kernel_larger_than_the_image() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        filter2d(np.zeros((2, 2)), np.ones((3, 3)))


def test_filter_refuses_unknown_border() -> None:
    with pytest.raises(ValueError, match="unknown border 'same'"):
        filter2d(np.zeros((4, 4)), np.ones((3, 3)), "same")  # type: ignore[arg-type]
