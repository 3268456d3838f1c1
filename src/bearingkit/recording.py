"""The one container every loader and the simulator return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real

import numpy as np

from bearingkit.errors import ParameterError, UnknownNameError

__all__ = ["LABELS", "Recording"]

#: Health-state labels used across data sets.
LABELS = ("normal", "inner", "outer", "ball", "cage")


def _is_positive_rate(fs) -> bool:
    """True for a finite real number > 0 (``True`` and strings are not sampling rates)."""
    return not isinstance(fs, bool) and isinstance(fs, Real) and bool(np.isfinite(fs)) and fs > 0


@dataclass(frozen=True)
class Recording:
    """A vibration recording and what is known about it.

    Parameters
    ----------
    signal : np.ndarray [shape=(time,) or (channel, time)]
        Acceleration, float64, finite.
    fs : float > 0
        Sampling rate in Hz.
    label : str
        Health state, one of :data:`LABELS`.
    dataset : str
        ``"cwru"``, ``"paderborn"``, ``"mfpt"``, ``"mafaulda"`` or ``"simulated:<rig>"``.
    source : str
        File id in the registry (``"cwru/105.mat"``) or a description of the simulation.
    rpm : float or None
        Shaft speed in rev/min (as stored in the file where the file stores one).
    fault_size : float or None
        Defect size, in the unit of ``fault_size_unit`` (CWRU: inches; 0 for a healthy bearing).
    fault_size_unit : str
        ``"in"`` or ``"mm"`` or ``"g"`` (MAFAULDA's added mass).
    load : float or None
        Operating load, unit in ``load_unit`` (CWRU: motor HP).
    load_unit : str
    sensor : tuple of str
        One name per channel (``("DE",)``, ``("underhang_axial", ...)``).
    simulated : bool
        True for the output of :func:`bearingkit.physics.simulate.simulate`; notebooks label it everywhere.
    extra : Mapping
        Anything else worth keeping (condition code, file variables, ...).

    Raises
    ------
    ParameterError
        ``signal`` is not numbers, not 1-D or 2-D, has no sample, or holds NaN or infinity; ``fs`` is not a
        positive finite number (each message starts with ``source``).
    UnknownNameError
        ``label`` is not one of :data:`LABELS`.

    Examples
    --------
    >>> rec = Recording(np.zeros((2, 1200)), fs=12_000, label="inner", dataset="cwru", source="demo")
    >>> rec.n_samples, rec.duration, rec.fs
    (1200, 0.1, 12000.0)
    """

    signal: np.ndarray
    fs: float
    label: str
    dataset: str
    source: str
    rpm: float | None = None
    fault_size: float | None = None
    fault_size_unit: str = "in"
    load: float | None = None
    load_unit: str = ""
    sensor: tuple[str, ...] = ()
    simulated: bool = False
    extra: Mapping = field(default_factory=dict)

    def __post_init__(self):
        try:
            signal = np.asarray(self.signal, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"{self.source}: signal must hold numbers, got {type(self.signal).__name__} "
                                 f"({exc})") from exc
        if signal.ndim not in (1, 2) or signal.shape[-1] == 0:
            raise ParameterError(f"{self.source}: signal must be 1-D (time,) or 2-D (channel, time) with at "
                                 f"least one sample; got shape {signal.shape}")
        if not np.all(np.isfinite(signal)):
            n_bad = int(np.size(signal) - np.count_nonzero(np.isfinite(signal)))
            raise ParameterError(f"{self.source}: signal holds {n_bad} NaN or infinite values; remove or "
                                 "interpolate them before building the Recording")
        if not _is_positive_rate(self.fs):
            raise ParameterError(f"{self.source}: sampling rate fs must be a positive number in Hz, "
                                 f"got {self.fs!r}")
        if self.label not in LABELS:
            raise UnknownNameError(f"{self.source}: unknown label {self.label!r}; expected one of {LABELS}")
        object.__setattr__(self, "signal", signal)
        object.__setattr__(self, "fs", float(self.fs))

    @property
    def n_samples(self) -> int:
        """Number of samples per channel."""
        return int(self.signal.shape[-1])

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.n_samples / self.fs

    @property
    def shaft_hz(self) -> float | None:
        """Shaft rotation frequency in Hz, or None when the speed is unknown."""
        return None if self.rpm is None else self.rpm / 60.0

    def channel(self, index: int = 0) -> np.ndarray:
        """One channel as a 1-D array (the signal itself when it is 1-D)."""
        return self.signal if self.signal.ndim == 1 else self.signal[index]
