"""Stage 1 (§2.1, §3.2.1): preprocessing candidates screened without training, by CSS.

A pool of candidates per branch is drawn by LHS (:func:`candidate_pool`), each scored by the Class
Separability Score of :mod:`bearingkit.features.separability` (Eq. 1). CSS is min-max normalised *over the
pool* (App. A.6): a candidate has no CSS on its own, so a sequential optimiser cannot score one candidate at a
time; the LHS draw is the pool. The budget axis is the number of segments (Table 1): successive halving
scores the pool on a few segments, keeps a third, and so on until the last rung sees every development
window (:func:`screen_by_halving`); its winner is frozen (Eq. 2). The whole pool is also scored on every
window (:func:`screen_pool`, Figs. 7a-7b). Scaling is not in the pool: on a band-passed signal (median near
zero) robust scaling fitted on the training folds is nearly a per-channel gain, and CSS on z-scored proxy
features is blind to a gain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bearingkit.dsp import spectral
from bearingkit.errors import ParameterError
from bearingkit.features import separability
from bearingkit.hpo import SearchSpace, categorical, real
from bearingkit.hpo.engines import latin_hypercube
from bearingkit.papers.lee2026.data import Dataset

__all__ = ["STFT_FRAMES_S", "Candidate", "candidate_pool", "energy_maps", "filtered", "halving_rungs",
           "screen_by_halving", "screen_pool", "stft_frames", "stratified_order"]

#: The STFT frames of the CNN branch's pool, in seconds: 64, 128 and 256 samples at CWRU's 12 kHz (bins of
#: 188, 94 and 47 Hz). Frames fixed in samples gave Paderborn's 64 kHz maps bins of 1,000, 500 and 250 Hz,
#: so one to three rows in a band chosen by CSS (ours; the paper names the frame, not its values).
STFT_FRAMES_S = (64 / 12_000, 128 / 12_000, 256 / 12_000)


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One preprocessing candidate theta_1: a band-pass band (Hz) and, for the CNN branch, the STFT frame."""

    band: tuple[float, float]
    nperseg: int | None = None

    @property
    def label(self) -> str:
        """The candidate as the notebook's tables show it, e.g. ``"2500-3500 Hz, STFT 64"``."""
        frame = f", STFT {self.nperseg}" if self.nperseg else ""
        return f"{self.band[0]:.0f}-{self.band[1]:.0f} Hz{frame}"

    @property
    def centre(self) -> float:
        """The band's centre (Hz), an axis of the pool's design space."""
        return (self.band[0] + self.band[1]) / 2

    @property
    def relative_width(self) -> float:
        """The band's width over its centre, the other axis of the pool's design space."""
        return (self.band[1] - self.band[0]) / self.centre


def stft_frames(*, fs: float, length: int) -> list[int]:
    """The STFT frames (samples) the CNN branch's pool draws from at rate ``fs``, for windows of ``length``.

    :data:`STFT_FRAMES_S` at ``fs``, those of at most half the window (at a hop of a quarter frame, at
    least 5 frames a map); the half window when none is that short.

    Examples
    --------
    >>> stft_frames(fs=12_000.0, length=1024), stft_frames(fs=64_000.0, length=2560)
    ([64, 128, 256], [341, 683])
    """
    frames = [round(seconds * fs) for seconds in STFT_FRAMES_S]
    return [f for f in frames if f <= length // 2] or [length // 2]


def candidate_pool(branch: str, *, n: int, fs: float, length: int, seed: int) -> list[Candidate]:
    """Stage 1's pool for one branch, drawn by LHS (§3.2.1).

    The band-pass centre is log-uniform from 200 Hz (a few harmonics of the defect frequencies) to 0.42 fs
    (the resonance bands the impacts excite), its width 20 % to 120 % of the centre; the CNN branch also
    draws the STFT frame among :func:`stft_frames`.
    """
    frames = stft_frames(fs=fs, length=length)
    dims = [real("centre", 200.0, 0.42 * fs, log=True), real("relative_width", 0.2, 1.2)]
    if branch == "cnn":
        dims.append(categorical("nperseg", frames))
    pool = []
    for p in latin_hypercube(SearchSpace(tuple(dims)), n, seed=seed):
        half = p["centre"] * p["relative_width"] / 2
        band = (max(p["centre"] - half, 20.0), min(p["centre"] + half, 0.48 * fs))
        pool.append(Candidate(band=(round(band[0], 1), round(band[1], 1)), nperseg=p.get("nperseg")))
    return pool


def filtered(X: np.ndarray, candidate: Candidate, *, fs: float) -> np.ndarray:
    """The GRU branch's g_RNN before scaling (Eq. 3): the candidate's zero-phase band-pass."""
    return spectral.bandpass(X, fs=fs, band=candidate.band).astype(np.float32)


def energy_maps(X: np.ndarray, candidate: Candidate, *, fs: float) -> np.ndarray:
    """The CNN branch's STFT energy maps (Eq. 7), in dB, cropped to the candidate's band.

    Returns ``(n, channel, freq, frame)`` float32.
    """
    freqs, _, power_db = spectral.spectrogram(X, fs=fs, nperseg=candidate.nperseg,
                                              hop=candidate.nperseg // 4, floor_db=-200.0)
    rows = (freqs >= candidate.band[0]) & (freqs <= candidate.band[1])
    if rows.sum() < 2:
        rows = np.abs(freqs - np.mean(candidate.band)) <= np.sort(np.abs(freqs - np.mean(candidate.band)))[1]
    return power_db[..., rows, :].astype(np.float32)


def screen_pool(data: Dataset, branch: str, pool: Sequence[Candidate]) -> pd.DataFrame:
    """Stage 1 for one branch: CSS of every candidate over every window of ``data`` (Eq. 1).

    A candidate whose preprocessing fails keeps NaN and its reason (``error``); the rest are ranked.
    """
    features, failures = {}, {}
    for i, candidate in enumerate(pool):
        try:
            out = filtered(data.X, candidate, fs=data.fs) if branch == "gru" else energy_maps(
                data.X, candidate, fs=data.fs).reshape(len(data.X), len(data.channels), -1)
            features[i] = (separability.proxy_statistics(out), data.y)
        except ParameterError as error:
            failures[i] = str(error)
    table = separability.screen(features)
    for i, reason in failures.items():
        table.loc[i, "error"] = reason
    table = table.sort_index()
    table.insert(0, "candidate", [pool[i].label for i in table.index])
    return table


def halving_rungs(n_candidates: int, *, eta: int) -> int:
    """Rungs of a successive halving that keeps ``ceil(n / eta)`` per rung until one is left (>= 1).

    Examples
    --------
    >>> halving_rungs(77, eta=3), halving_rungs(1, eta=3)
    (4, 1)
    """
    if eta < 2:
        raise ParameterError(f"the reduction factor eta must be >= 2, got {eta}")
    rungs, n = 0, n_candidates
    while n > 1:
        n, rungs = -(-n // eta), rungs + 1
    return max(rungs, 1)


def stratified_order(y: np.ndarray, *, seed: int) -> np.ndarray:
    """A permutation of the windows whose every prefix holds the classes in their overall proportions."""
    rng = np.random.default_rng(seed)
    key = np.empty(len(y))
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        key[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    return np.argsort(key, kind="stable")


def screen_by_halving(data: Dataset, branch: str, pool: Sequence[Candidate], *, eta: int, seed: int,
                      min_per_class: int = 4) -> pd.DataFrame:
    """Stage 1 with the number of segments as the BOHB budget (Table 1): successive halving over the pool.

    Rung r scores the surviving candidates by CSS (Eq. 1, min-max over the survivors, App. A.6) on a
    class-stratified subset of ``N * eta**(r - R + 1)`` segments (at least ``min_per_class`` per class, all
    ``N`` at the last rung R - 1); the best ``ceil(n / eta)`` go on. The paper names the budget axis, not
    the schedule: rungs, eta and the nested subsets are ours. Eq. 2's choice is the best candidate of the
    last rung.

    Returns
    -------
    pd.DataFrame
        One row per candidate and rung it reached: ``candidate`` (index into ``pool``), ``rung``,
        ``segments``, ``css``; the chosen candidate is ``table.attrs["chosen"]``.
    """
    order = stratified_order(data.y, seed=seed)
    n_rungs, survivors = halving_rungs(len(pool), eta=eta), list(range(len(pool)))
    smallest = min(len(order), min_per_class * len(np.unique(data.y)))
    rows = []
    for rung in range(n_rungs):
        share = eta ** (rung - n_rungs + 1)
        n_segments = len(order) if rung == n_rungs - 1 else max(smallest, int(np.ceil(len(order) * share)))
        table = screen_pool(data.subset(np.sort(order[:n_segments])), branch, [pool[i] for i in survivors])
        css = pd.Series(table["css"].to_numpy(), index=survivors)
        rows += [{"candidate": i, "rung": rung, "segments": n_segments, "css": float(css[i])}
                 for i in survivors]
        ranked = css.sort_values(ascending=False, na_position="last", kind="stable").index
        survivors = list(ranked[:max(-(-len(survivors) // eta), 1)])
    result = pd.DataFrame(rows)
    result.attrs["chosen"] = int(separability.best_candidate(css))
    return result
