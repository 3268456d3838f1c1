"""Cut recordings into fixed-length windows that remember where they came from.

Every window keeps its recording id, data set, label, load, fault size, operating condition and first sample,
so that grouped, contiguous-block and cross-condition splits (:mod:`bearingkit.evaluation.splits`) are one
call away. :func:`segment` cuts windows one hop apart; :func:`spread_windows` spreads a given number of them
evenly over each record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bearingkit.errors import ParameterError
from bearingkit.recording import Recording

__all__ = ["GROUP_COLUMNS", "Segments", "concat_segments", "evenly_spaced", "segment", "spread_starts",
           "spread_windows"]

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


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _one_rate_one_layout(recordings: Recording | Iterable[Recording],
                         allow_mixed_fs: bool) -> list[Recording]:
    """The recordings as a list, refused when empty, at several rates (unless allowed) or channel layouts."""
    items = [recordings] if isinstance(recordings, Recording) else list(recordings)
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
    return items


def _windows_at(recording: Recording, starts: np.ndarray, length: int) -> np.ndarray:
    """The windows ``signal[..., s:s + length]`` of each start ``s``, shape ``(n, [channel,] length)``."""
    view = np.lib.stride_tricks.sliding_window_view(recording.signal, length, axis=-1)[..., starts, :]
    return np.moveaxis(view, -2, 0) if recording.signal.ndim == 2 else view


def _cut(items: Sequence[Recording], starts: Sequence[np.ndarray], length: int) -> Segments:
    """The windows of ``length`` samples at ``starts[i]`` of ``items[i]``, with their provenance rows."""
    meta = [{"record": rec.extra.get("record", rec.source), "dataset": rec.dataset, "label": rec.label,
             "load": rec.load, "fault_size": rec.fault_size, "condition": rec.extra.get("condition"),
             "fs": rec.fs, "rpm": rec.rpm} for rec in items]
    counts = [len(first) for first in starts]
    groups = pd.DataFrame(meta).loc[np.repeat(np.arange(len(meta)), counts)].reset_index(drop=True)
    groups["start"] = np.concatenate(starts).astype(int)
    groups["stop"] = groups["start"] + length
    groups = groups[list(GROUP_COLUMNS)]
    X = np.concatenate([_windows_at(rec, first, length) for rec, first in zip(items, starts, strict=True)])
    return Segments(np.ascontiguousarray(X), groups["label"].to_numpy(dtype=object), groups)


def _too_short(recording: Recording, length: int) -> ParameterError:
    return ParameterError(f"{recording.source}: {recording.n_samples} samples is shorter than one window of "
                          f"{length}; use a shorter window or drop this recording")


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

    See Also
    --------
    spread_windows : a given number of windows spread evenly over each recording.
    """
    length = _positive_int(length, "length")
    hop = length if hop is None else _positive_int(hop, "hop")
    items = _one_rate_one_layout(recordings, allow_mixed_fs)
    for rec in items:
        if rec.n_samples < length:
            raise _too_short(rec, length)
    return _cut(items, [np.arange(0, rec.n_samples - length + 1, hop) for rec in items], length)


def evenly_spaced(n_available: int, n: int | None) -> np.ndarray:
    """Indices of ``n`` of ``n_available`` items spread evenly, the first and the last included.

    Index ``i`` of ``n`` is ``round(i * (n_available - 1) / (n - 1))``, the nearest integer to an even spacing
    (``np.round``: halves to even). The indices are distinct and increasing; all ``n_available`` items are
    taken when ``n`` is None or not smaller.

    Parameters
    ----------
    n_available : int > 0
        Number of items to choose from.
    n : int > 0 or None
        Number of items wanted.

    Returns
    -------
    np.ndarray of int [shape=(min(n, n_available),)]

    Examples
    --------
    >>> evenly_spaced(10, 4)
    array([0, 3, 6, 9])
    >>> evenly_spaced(3, None)
    array([0, 1, 2])
    """
    n_available = _positive_int(n_available, "n_available")
    if n is None or (not isinstance(n, bool) and isinstance(n, int | np.integer) and n >= n_available):
        return np.arange(n_available)
    n = _positive_int(n, "n")
    return np.linspace(0, n_available - 1, n).round().astype(int)


def spread_starts(n_samples: int, *, n: int, length: int, allow_overlap: bool = False) -> np.ndarray:
    """First samples of ``n`` windows of ``length`` spread evenly from the first to the last possible sample.

    The starts are :func:`evenly_spaced` over the ``n_samples - length + 1`` possible ones: the first window
    starts at sample 0, the last ends at the last sample, and the gaps between consecutive starts differ by
    at most one sample. Without ``allow_overlap`` no two windows share a sample, so at most
    ``n_samples // length`` windows are placed (fewer than ``n`` when ``n`` do not fit); with it, exactly
    ``n`` windows are placed, overlapping where the record is too short to hold them side by side.

    Parameters
    ----------
    n_samples : int > 0
        Samples in the record.
    n : int > 0
        Windows wanted.
    length : int > 0
        Samples per window.
    allow_overlap : bool
        Place exactly ``n`` windows even if they overlap.

    Returns
    -------
    np.ndarray of int [shape=(n,) or (min(n, n_samples // length),)]
        Increasing starts.

    Raises
    ------
    ParameterError
        A non-positive count or length, a record shorter than one window, or (with ``allow_overlap``) more
        windows than there are distinct starts (``n > n_samples - length + 1``).

    Examples
    --------
    >>> spread_starts(10_000, n=4, length=1_000)
    array([   0, 3000, 6000, 9000])
    >>> spread_starts(2_500, n=4, length=1_000)  # two fit side by side
    array([   0, 1500])
    >>> spread_starts(2_500, n=4, length=1_000, allow_overlap=True)
    array([   0,  500, 1000, 1500])
    """
    n_samples, n, length = (_positive_int(v, name) for v, name in
                            ((n_samples, "n_samples"), (n, "n"), (length, "length")))
    if n_samples < length:
        raise ParameterError(f"a record of {n_samples} samples holds no window of {length}")
    n_starts = n_samples - length + 1
    if not allow_overlap:
        n = min(n, n_samples // length)
    elif n > n_starts:
        raise ParameterError(f"{n} windows of {length} samples need {n} distinct starts; a record of "
                             f"{n_samples} samples has {n_starts}")
    return evenly_spaced(n_starts, n)


def spread_windows(recordings: Recording | Iterable[Recording], *, n: int, length: int,
                   allow_overlap: bool = False, allow_mixed_fs: bool = False) -> Segments:
    """``n`` windows of ``length`` samples spread evenly over each recording (:func:`spread_starts`).

    The first window of a recording starts at its first sample and the last ends at its last sample, so the
    windows cover the whole record whatever its length. Without ``allow_overlap`` the windows do not overlap
    and a record too short for ``n`` of them gives as many as fit; with it, every record gives exactly ``n``
    (the paper-style protocol of many overlapping windows per record, which only a split by contiguous blocks,
    :func:`bearingkit.evaluation.splits.contiguous_block_split`, keeps free of shared samples).

    Parameters
    ----------
    recordings : Recording or iterable of Recording
        All 1-D, or all 2-D with the same number of channels.
    n : int > 0
        Windows per recording.
    length : int > 0
        Samples per window.
    allow_overlap : bool
        Exactly ``n`` windows per recording, overlapping where they must.
    allow_mixed_fs : bool
        Accept recordings at different sampling rates (see :func:`segment`).

    Returns
    -------
    Segments
        Windows in recording order, then time order.

    Raises
    ------
    ParameterError
        As :func:`segment` and :func:`spread_starts`; messages name the recording.

    Examples
    --------
    >>> rec = Recording(np.arange(10_000.0), fs=1_000.0, label="normal", dataset="cwru", source="demo")
    >>> windows = spread_windows(rec, n=4, length=1_000)
    >>> windows.groups["start"].tolist(), windows.X[:, 0].tolist()
    ([0, 3000, 6000, 9000], [0.0, 3000.0, 6000.0, 9000.0])
    """
    length = _positive_int(length, "length")
    items = _one_rate_one_layout(recordings, allow_mixed_fs)
    starts = []
    for rec in items:
        if rec.n_samples < length:
            raise _too_short(rec, length)
        try:
            starts.append(spread_starts(rec.n_samples, n=n, length=length, allow_overlap=allow_overlap))
        except ParameterError as error:
            raise ParameterError(f"{rec.source}: {error}") from error
    return _cut(items, starts, length)


def concat_segments(parts: Sequence[Segments]) -> Segments:
    """One :class:`Segments` from several with the same window shape (e.g. two data sets)."""
    if not parts:
        raise ParameterError("no Segments to concatenate")
    shapes = {p.X.shape[1:] for p in parts}
    if len(shapes) > 1:
        raise ParameterError(f"cannot concatenate windows of different shapes {sorted(shapes)}")
    return Segments(np.concatenate([p.X for p in parts]), np.concatenate([p.y for p in parts]),
                    pd.concat([p.groups for p in parts], ignore_index=True))
