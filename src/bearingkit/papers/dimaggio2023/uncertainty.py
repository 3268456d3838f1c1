"""How much a proportion counted on a few chunks can move: the binomial standard error of an accuracy,
precision or recall, and the tolerance a row of ours is judged by against the paper's value."""

from __future__ import annotations

import math

from bearingkit.errors import ParameterError

__all__ = ["binomial_standard_error", "binomial_tolerance"]


def binomial_standard_error(p_pct: float, n: int) -> float:
    """Standard error (percentage points) of a proportion ``p_pct`` measured on ``n`` independent chunks.

    ``100 sqrt(p (1 - p) / n)``: the spread of an accuracy, precision or recall from the size of the set it is
    counted on alone (the chunks are treated as independent trials, which chunks of one recording are not:
    a lower bound). 48 test chunks at 75 % give 6.25 points.

    Examples
    --------
    >>> round(binomial_standard_error(75.0, 48), 2)
    6.25
    """
    if n < 1 or not 0 <= p_pct <= 100:
        raise ParameterError(f"need n >= 1 and 0 <= p_pct <= 100, got n={n!r}, p_pct={p_pct!r}")
    p = p_pct / 100
    return 100 * math.sqrt(p * (1 - p) / n)


def binomial_tolerance(paper_pct: float, n_ours: int, *, n_paper: int | None = None, z: float = 2.0) -> float:
    """Tolerance (percentage points) for comparing our proportion on ``n_ours`` chunks with the paper's.

    ``z`` standard errors of the difference of two independent binomial proportions, both at the paper's
    value: ``z 100 sqrt(p (1 - p) (1 / n_ours + 1 / n_paper))`` (about a 95 % interval for ``z = 2``). It is
    fixed before our value is known (it uses the paper's ``p``, never ours) and grows as our test set
    shrinks. At ``p`` = 0 or 100 % the formula gives 0; a floor of one chunk, ``100 / n_ours``, stays.

    Parameters
    ----------
    paper_pct : float in [0, 100]
        The paper's value.
    n_ours : int >= 1
        Chunks our value is counted on (the test set; a class's test chunks for precision and recall).
    n_paper : int >= 1, optional
        Chunks the paper's value is counted on (Table 6: 216 test chunks, 72 per class); None: ours only.
    z : float > 0

    Examples
    --------
    >>> round(binomial_tolerance(91.2, 48, n_paper=216), 1)
    9.0
    >>> binomial_tolerance(100.0, 48, n_paper=216)
    2.0833333333333335
    """
    if z <= 0:
        raise ParameterError(f"z must be positive, got {z!r}")
    se = binomial_standard_error(paper_pct, n_ours)
    if n_paper is not None:
        se = math.hypot(se, binomial_standard_error(paper_pct, n_paper))
    return max(z * se, 100 / n_ours)
