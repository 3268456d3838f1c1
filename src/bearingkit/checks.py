"""Validation and seeding shared by every layer: signals and sampling rates, seeds, run profiles.

Every public function of the package checks its input through these helpers, so a wrong sampling rate, a NaN,
a negative seed or an unknown profile raises :class:`~bearingkit.errors.ParameterError` with the same wording
wherever it is caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real
from types import MappingProxyType
from typing import TypeVar

import numpy as np

from bearingkit.errors import ParameterError, UnknownNameError

__all__ = ["PROFILE_NAMES", "check_seed", "check_signal", "child_seeds", "profile_settings"]

T = TypeVar("T")

#: The run profiles every notebook knows: ``quick`` finishes in CI on 2 CPU cores, ``full`` follows the paper.
PROFILE_NAMES = ("quick", "full")


def check_signal(x, *, fs: float, name: str = "x") -> np.ndarray:
    """Validate a signal and its sampling rate; return the signal as a float64 array.

    Parameters
    ----------
    x : array_like [shape=(..., time)]
        Samples along the last axis.
    fs : float > 0
        Sampling rate in Hz.
    name : str
        What to call ``x`` in error messages.

    Raises
    ------
    ParameterError
        If ``fs`` is not a positive finite number, ``x`` is empty, or ``x`` holds NaN or infinite values.
    """
    if isinstance(fs, bool) or not isinstance(fs, Real) or not (np.isfinite(fs) and fs > 0):
        raise ParameterError(f"sampling rate fs must be a positive number in Hz, got {fs!r}")
    x = np.asarray(x, dtype=float)
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ParameterError(f"{name} must hold at least one sample along its last axis, got shape {x.shape}")
    finite = np.isfinite(x)
    if not finite.all():
        raise ParameterError(f"{name} holds {x.size - int(finite.sum())} NaN or infinite values; "
                             "remove or interpolate them first")
    return x


def check_seed(seed) -> int:
    """A master seed as a plain ``int``.

    Raises
    ------
    ParameterError
        If ``seed`` is not a non-negative integer (``True`` and ``1.0`` are refused).

    Examples
    --------
    >>> check_seed(np.int64(3))
    3
    """
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def child_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent integer seeds spawned from the master ``seed`` (``numpy.random.SeedSequence.spawn``).

    The same master seed always gives the same children; children never repeat the master's stream.

    Examples
    --------
    >>> child_seeds(0, 2) == child_seeds(0, 2)
    True
    >>> len(set(child_seeds(0, 5)))
    5
    """
    seed = check_seed(seed)
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(int(n))]


def profile_settings(profile: str, profiles: Mapping[str, T]) -> T:
    """The settings of one run ``profile`` out of a notebook's ``profiles`` table.

    Every paper keeps a ``PROFILES`` table of frozen ``Settings`` and reads it through this function, so an
    unknown profile gets the same message in every notebook.

    Parameters
    ----------
    profile : str
        The profile papermill passed (``-p profile quick``).
    profiles : mapping
        Name -> settings; it must define every name of :data:`PROFILE_NAMES` (a paper may add others, such
        as notebook 02's ``medium``).

    Returns
    -------
    The table's entry, as it is when it is immutable (a frozen dataclass); a read-only copy when it is a
    mapping.

    Raises
    ------
    UnknownNameError
        For a profile not in ``profiles``; the message lists the valid ones.
    ParameterError
        When ``profiles`` lacks a name of :data:`PROFILE_NAMES`.

    Examples
    --------
    >>> dict(profile_settings("quick", {"quick": {"n_seeds": 2}, "full": {"n_seeds": 10}}))
    {'n_seeds': 2}
    """
    missing = [name for name in PROFILE_NAMES if name not in profiles]
    if missing:
        raise ParameterError(f"the profiles table lacks {missing}; it must define {PROFILE_NAMES}")
    if not isinstance(profile, str) or profile not in profiles:
        valid = ", ".join(map(repr, profiles))
        raise UnknownNameError(f"unknown profile {profile!r}; use one of {valid}, "
                               f"e.g. papermill -p profile quick")
    settings = profiles[profile]
    return MappingProxyType(dict(settings)) if isinstance(settings, Mapping) else settings
