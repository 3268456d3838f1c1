"""Cut recordings into fixed-length windows that remember where they came from.

Every window keeps its recording id, data set, label, load, fault size, operating condition and first sample,
so that grouped, contiguous-block and cross-condition splits (:mod:`bearingkit.evaluation.splits`) are one
call away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bearingkit.errors import ParameterError
from bearingkit.recording import Recording

GROUP_COLUMNS = ("record", "dataset", "label", "load", "fault_size", "condition", "start", "stop", "fs",
                 "rpm")


@dataclass(frozen=True)
class Segments:
    """Windows cut from recordings, with one row of provenance per window.

    Parameters
    ----------
    X : np.ndarray [shape=(n, length) or (n, channel, length)]
        The windows.
    y : np.ndarray [shape=(n,)]
        Health-state label of each window (:data:`bearingkit.recording.LABELS`).
    groups : pd.DataFrame
        One row per window, columns :data:`GROUP_COLUMNS`: ``record`` (recording id: ``extra["record"]`` or
        the recording's ``source``), ``dataset``, ``label``, ``load``, ``fault_size``, ``condition``,
        ``start`` and ``stop`` (sample span ``[start, stop)`` within the recording), ``fs``, ``rpm``.
    """

    X: np.ndarray
    y: np.ndarray
    groups: pd.DataFrame

    def __post_init__(self):
        if not (len(self.X) == len(self.y) == len(self.groups)):
            raise ParameterError(f"X, y and groups must have one entry per window; got {len(self.X)}, "
                                 f"{len(self.y)}, {len(self.groups)}")

    def __len__(self) -> int:
        return len(self.y)

    @property
    def length(self) -> int:
        """Samples per window."""
        return int(self.X.shape[-1])

    @property
    def fs(self) -> float | None:
        """The common sampling rate, or None when the windows mix rates."""
        rates = self.groups["fs"].unique()
        return float(rates[0]) if len(rates) == 1 else None

    def subset(self, index) -> Segments:
        """The windows selected by an integer index array or a boolean mask."""
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return Segments(self.X[index], self.y[index], self.groups.iloc[index].reset_index(drop=True))


def _windows(recording: Recording, length: int, hop: int) -> tuple[np.ndarray, np.ndarray]:
    n_samples = recording.n_samples
    if n_samples < length:
        raise ParameterError(f"{recording.source}: {n_samples} samples is shorter than one window of "
                             f"{length}; use a shorter window or drop this recording")
    starts = np.arange(0, n_samples - length + 1, hop)
    view = np.lib.stride_tricks.sliding_window_view(recording.signal, length, axis=-1)[..., ::hop, :]
    windows = np.moveaxis(view, -2, 0) if recording.signal.ndim == 2 else view
    return np.ascontiguousarray(windows), starts


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise ParameterError(f"{name} must be a positive integer number of samples, got {value!r}")
    return int(value)


def segment(recordings: Recording | Iterable[Recording], *, length: int, hop: int | None = None,
            allow_mixed_fs: bool = False) -> Segments:
    """Cut every recording into windows of ``length`` samples, ``hop`` samples apart.

    Parameters
    ----------
    recordings : Recording or iterable of Recording
        All 1-D, or all 2-D with the same number of channels.
    length : int > 0
        Samples per window.
    hop : int > 0, optional
        Step between window starts; default ``length`` (no overlap). ``hop < length`` overlaps windows: split
        them with :func:`bearingkit.evaluation.splits.contiguous_block_split`, which drops the windows that
        straddle the train/test boundary.
    allow_mixed_fs : bool
        Accept recordings at different sampling rates (windows of equal length then cover different
        durations: CWRU's 48 kHz normal files beside 12 kHz fault files is the classic trap). Default: refuse.

    Returns
    -------
    Segments
        Windows in recording order, then time order; a recording shorter than ``length`` is an error, and
        the samples after the last full window are dropped.

    Raises
    ------
    ParameterError
        Invalid ``length``/``hop``, no recordings, a recording shorter than one window, mixed sampling rates
        (unless allowed) or mixed channel counts.
    """
    items = [recordings] if isinstance(recordings, Recording) else list(recordings)
    length = _positive_int(length, "length")
    hop = length if hop is None else _positive_int(hop, "hop")
    if not items:
        raise ParameterError("no recordings to segment")
    rates = sorted({r.fs for r in items})
    if len(rates) > 1 and not allow_mixed_fs:
        raise ParameterError(f"recordings are sampled at different rates {rates}: resample them to one rate "
                             f"first (or pass allow_mixed_fs=True if windows of different durations are "
                             f"intended)")
    shapes = {r.signal.shape[:-1] for r in items}
    if len(shapes) > 1:
        raise ParameterError(f"recordings mix channel layouts {sorted(shapes)}; select the same channels "
                             f"in each")
    blocks, starts, meta = [], [], []
    for rec in items:
        windows, first = _windows(rec, length, hop)
        blocks.append(windows)
        starts.append(first)
        meta.append({"record": rec.extra.get("record", rec.source), "dataset": rec.dataset,
                     "label": rec.label, "load": rec.load, "fault_size": rec.fault_size,
                     "condition": rec.extra.get("condition"), "fs": rec.fs, "rpm": rec.rpm})
    counts = [len(first) for first in starts]
    groups = pd.DataFrame(meta).loc[np.repeat(np.arange(len(meta)), counts)].reset_index(drop=True)
    groups["start"] = np.concatenate(starts)
    groups["stop"] = groups["start"] + length
    groups = groups[list(GROUP_COLUMNS)]
    return Segments(np.concatenate(blocks), groups["label"].to_numpy(dtype=object), groups)


def concat_segments(parts: Sequence[Segments]) -> Segments:
    """One :class:`Segments` from several with the same window shape (e.g. two data sets)."""
    if not parts:
        raise ParameterError("no Segments to concatenate")
    shapes = {p.X.shape[1:] for p in parts}
    if len(shapes) > 1:
        raise ParameterError(f"cannot concatenate windows of different shapes {sorted(shapes)}")
    return Segments(np.concatenate([p.X for p in parts]), np.concatenate([p.y for p in parts]),
                    pd.concat([p.groups for p in parts], ignore_index=True))
