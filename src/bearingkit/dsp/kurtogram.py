"""Antoni's fast kurtogram: spectral kurtosis over a 1/3-binary tree of frequency bands.

A localised bearing defect excites a structural resonance at every impact, so the signal filtered around
that resonance is impulsive, and its kurtosis is high, while a band holding only Gaussian noise or
harmonics has a kurtosis near zero. The kurtogram maps the kurtosis of the complex envelope of the signal
filtered in every band of a dyadic-plus-ternary tree, and its maximum picks the band in which to
demodulate the signal for envelope analysis [#]_.

The tree (quasi-analytic filters, decimation, levels 0, 1, 1.6, 2, 2.6, ...):

- a low-pass FIR prototype of order 16 (17 taps), Hamming window, cut-off 0.4 times the Nyquist rate
  (MATLAB ``fir1(16, .4)``, SciPy ``firwin(17, .4)``), is modulated to two quasi-analytic filters,
  ``h0(n) = h(n) exp(j pi n / 4)`` (the band from 0 to ``fs / 4``) and ``h1(n) = h(n) exp(j 3 pi n / 4)``
  (from ``fs / 4`` to ``fs / 2``; Antoni's code builds it as the time-reversed, sign-alternated ``h0``,
  which has the same magnitude response). Filtering by each and keeping every second
  sample splits a band in two; the high branch is multiplied by ``(-1)**n`` so that both halves again
  occupy ``[0, 1/2]`` of their new rate with frequencies in increasing order, and the split repeats on
  them: level ``k`` holds ``2**k`` bands of width ``fs / 2**(k + 1)``;
- an order-24 prototype with cut-off ``0.4 * 2/3``, modulated to the centres 1/12, 3/12 and 5/12, splits
  each level-``k - 1`` band in three after decimation by 3: level ``k + log2(3) - 1`` (1.585, 2.585, ...)
  holds ``3 * 2**(k - 1)`` bands of width ``fs / (3 * 2**k)``;
- level 0 is the raw signal, the whole band from 0 to ``fs / 2``.

Each band's statistic is the kurtosis of its complex envelope ``c``,
``K = mean(|c - mean c|**4) / mean(|c - mean c|**2)**2 - 2``, 0 for circular complex Gaussian noise,
clipped below at 0 as in Antoni's code. Level 0 has two scores (``level0=`` of :func:`fast_kurtogram`):

- ``"real"`` (Antoni's code, the default): the real signal's kurtosis minus 3;
- ``"envelope"`` (like for like): ``K`` above of the analytic signal ``x + j H[x]``, the complex envelope
  of the whole band, on the same scale as every other level.

For the same impulsiveness the real kurtosis reads about 1.5 times the envelope's (a tone burst filling a
fraction ``d`` of the time: ``1.5 / d - 3`` against ``1 / d - 2``), so with ``"real"`` a strongly impulsive
raw signal, such as a CWRU fault record, can make level 0 the best "band" although a narrower band is more
impulsive on the envelope's scale; ``"envelope"`` compares the levels on one scale.

Unlike Antoni's code, which filters with ``filter`` and drops the first samples of each band, every
filtering here keeps only the samples the filter fully overlaps (a "valid" convolution), so no start-up
transient enters any band.

References
----------
.. [#] Antoni, J. (2007). Fast computation of the kurtogram for the detection of transient faults.
       Mechanical Systems and Signal Processing 21(1), 108-124. doi:10.1016/j.ymssp.2005.12.002
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import firwin, hilbert

from bearingkit.dsp.spectral import default_band, stft
from bearingkit.errors import ParameterError

__all__ = ["Kurtogram", "LEVEL0_SCORES", "TERNARY_STEP", "band_kurtosis", "bandpass_envelope_at_best",
           "fast_kurtogram", "kurtogram_band", "level0_scores", "level_bandwidth", "max_level",
           "stft_spectral_kurtosis"]

#: The level-0 scores :func:`fast_kurtogram` knows: Antoni's real kurtosis - 3, or the analytic signal's
#: envelope kurtosis - 2 like every other level.
LEVEL0_SCORES = ("real", "envelope")

#: Level step of the ternary splits: ``log2(3) - 1``, so that level ``k + TERNARY_STEP`` has bands of
#: width ``fs / 2**(k + TERNARY_STEP + 1)``, like a dyadic level.
TERNARY_STEP = np.log2(3) - 1

_TAPS = 17
_CUTOFF = 0.4
_BINARY = tuple(
    firwin(_TAPS, _CUTOFF) * np.exp(1j * np.pi * centre * np.arange(_TAPS)) for centre in (0.25, 0.75)
)
_TERNARY_TAPS = 25
_TERNARY = tuple(
    firwin(_TERNARY_TAPS, _CUTOFF * 2 / 3) * np.exp(2j * np.pi * centre * np.arange(_TERNARY_TAPS))
    for centre in (1 / 12, 3 / 12, 5 / 12)
)


@dataclass(frozen=True)
class Kurtogram:
    """Result of :func:`fast_kurtogram`.

    Attributes
    ----------
    kurtosis : np.ndarray [shape=(2 * nlevel, 3 * 2**nlevel)]
        Spectral kurtosis; row ``i`` is level ``levels[i]``, each band's value repeated over the columns it
        covers, so the array can be shown as an image over ``freqs``.
    levels : np.ndarray [shape=(2 * nlevel,)]
        Level of each row: ``0, 1, 1.585, 2, 2.585, ..., nlevel``.
    freqs : np.ndarray [shape=(3 * 2**nlevel,)]
        Centre frequency of each column in Hz, spanning ``[0, fs / 2]``.
    fs : float
        Sampling rate in Hz.
    best_level : float
        Level of the most impulsive band.
    best_band : int
        Index of that band within its level, from low to high frequency.
    best_fc : float
        Centre frequency of that band in Hz.
    best_bandwidth : float
        Width of that band in Hz.
    best_kurtosis : float
        Its spectral kurtosis, ``kurtosis.max()``.
    level0 : str
        How level 0 was scored, one of :data:`LEVEL0_SCORES`.
    """

    kurtosis: np.ndarray
    levels: np.ndarray
    freqs: np.ndarray
    fs: float
    best_level: float
    best_band: int
    best_fc: float
    best_bandwidth: float
    best_kurtosis: float
    level0: str = "real"


def max_level(n_samples: int) -> int:
    """Deepest level Antoni's code accepts for a signal of ``n_samples``: ``floor(log2(n_samples)) - 7``."""
    return int(np.floor(np.log2(n_samples))) - 7


def fast_kurtogram(x: np.ndarray, *, fs: float, nlevel: int | None = None, level0: str = "real") -> Kurtogram:
    """Fast kurtogram of ``x`` (Antoni 2007): spectral kurtosis on the 1/3-binary filter-bank tree.

    Parameters
    ----------
    x : np.ndarray [shape=(n_samples,)]
        A real, finite, non-constant signal; its mean is removed.
    fs : float > 0
        Sampling rate in Hz.
    nlevel : int >= 1 or None
        Deepest dyadic level; the finest bands are ``fs / 2**(nlevel + 1)`` wide. At most
        :func:`max_level` (``log2(n_samples) - 7``, Antoni's limit: 6 levels need 8,192 samples), which is
        also the default.
    level0 : {"real", "envelope"}
        The level-0 score: ``"real"``, Antoni's real kurtosis - 3 (his code's convention); ``"envelope"``, the
        kurtosis - 2 of the analytic signal, the like-for-like score of the other levels (see the module
        notes: the real kurtosis reads about 1.5 times higher for the same impulsiveness).

    Returns
    -------
    kurtogram : Kurtogram
        The map, its axes, and the best band (level, centre frequency, bandwidth, kurtosis).

    See Also
    --------
    bandpass_envelope_at_best : the envelope of ``x`` in the best band.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal(12_000)
    >>> kg = fast_kurtogram(x, fs=12_000, nlevel=6)
    >>> kg.kurtosis.shape, kg.levels[:4].round(1).tolist()
    ((12, 192), [0.0, 1.0, 1.6, 2.0])
    """
    x, fs, nlevel = _checked(x, fs=fs, nlevel=nlevel)
    if level0 not in LEVEL0_SCORES:
        raise ParameterError(f"level0={level0!r}: use one of {LEVEL0_SCORES}")
    level0_score = _real_kurtosis(x) if level0 == "real" else _envelope_kurtosis(hilbert(x)[None, :])[0]
    rows = [np.array([level0_score])]
    levels = [0.0]
    nodes = x.astype(np.complex128)[None, :]
    for k in range(1, nlevel + 1):
        thirds = _split_ternary(nodes) if k < nlevel else None
        nodes = _split_binary(nodes)
        rows.append(_envelope_kurtosis(nodes))
        levels.append(float(k))
        if thirds is not None:
            rows.append(_envelope_kurtosis(thirds))
            levels.append(k + TERNARY_STEP)
    n_columns = 3 * 2**nlevel
    kurtosis = np.vstack([np.repeat(np.maximum(row, 0.0), n_columns // row.size) for row in rows])
    best_row = int(np.argmax([row.max() for row in rows]))
    best_band = int(np.argmax(rows[best_row]))
    bandwidth = fs / 2 / rows[best_row].size
    return Kurtogram(
        kurtosis=kurtosis,
        levels=np.array(levels),
        freqs=(np.arange(n_columns) + 0.5) * fs / 2 / n_columns,
        fs=fs,
        best_level=levels[best_row],
        best_band=best_band,
        best_fc=(best_band + 0.5) * bandwidth,
        best_bandwidth=bandwidth,
        best_kurtosis=float(kurtosis[best_row].max()),
        level0=level0,
    )


def bandpass_envelope_at_best(x: np.ndarray, *, kurtogram: Kurtogram) -> tuple[np.ndarray, float]:
    """Envelope of ``x`` in the kurtogram's most impulsive band, through the same filters and decimations.

    Parameters
    ----------
    x : np.ndarray [shape=(n_samples,)]
        The signal the kurtogram was computed on (or another one at the same rate).
    kurtogram : Kurtogram
        From :func:`fast_kurtogram`.

    Returns
    -------
    envelope : np.ndarray [shape=(n_decimated,)]
        ``|c|``, the modulus of the band's complex signal, ready for an envelope spectrum (at level 0, the
        whole band: the modulus of the analytic signal).
    fs_envelope : float
        Its sampling rate in Hz: ``fs`` divided by the decimation (``2 * best_bandwidth``).
    """
    level = kurtogram.best_level
    depth = int(np.floor(level + 1e-9))
    ternary = level - depth > 1e-6
    x, fs, _ = _checked(x, fs=kurtogram.fs, nlevel=max(depth, 1))
    if depth == 0:
        return np.abs(hilbert(x)), fs
    path = kurtogram.best_band // 3 if ternary else kurtogram.best_band
    dyadic_depth = depth - 1 if ternary else depth
    node = x.astype(np.complex128)[None, :]
    for shift in range(dyadic_depth - 1, -1, -1):
        node = _binary_child(node, (path >> shift) & 1)
    if ternary:
        node = _decimating_filter(node, _TERNARY[kurtogram.best_band % 3], 3)
    return np.abs(node[0]), 2 * kurtogram.best_bandwidth


def _checked(x: np.ndarray, *, fs: float, nlevel: int | None) -> tuple[np.ndarray, float, int]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ParameterError(f"the kurtogram takes one 1-D signal, got shape {x.shape}")
    fs = float(fs)
    if not np.isfinite(fs) or fs <= 0:
        raise ParameterError(f"fs={fs!r} must be a positive, finite sampling rate in Hz")
    deepest = max_level(max(x.size, 1))
    nlevel = max(deepest, 1) if nlevel is None else nlevel
    if not isinstance(nlevel, int | np.integer) or nlevel < 1:
        raise ParameterError(f"nlevel={nlevel!r} must be a positive integer")
    if nlevel > deepest:
        fewer = f" or nlevel <= {deepest}" if deepest >= 1 else ""
        raise ParameterError(
            f"nlevel={nlevel} needs at least 2**(nlevel + 7) = {2 ** (nlevel + 7)} samples, the signal has "
            f"{x.size}: use a longer signal{fewer}"
        )
    if not np.isfinite(x).all():
        bad = np.flatnonzero(~np.isfinite(x))
        raise ParameterError(f"the signal holds NaN or infinity at {bad.size} samples, from index {bad[0]}")
    if np.ptp(x) == 0:
        raise ParameterError("the signal is constant: its kurtosis is undefined")
    return x - x.mean(), fs, int(nlevel)


def _decimating_filter(nodes: np.ndarray, h: np.ndarray, q: int) -> np.ndarray:
    """Every ``q``-th sample of the valid convolution of each row of ``nodes`` with ``h``."""
    return sliding_window_view(nodes, h.size, axis=-1)[:, ::q] @ h[::-1]


def _binary_child(nodes: np.ndarray, branch: int) -> np.ndarray:
    """Lower (``branch=0``) or upper (1) half band of each node, shifted to ``[0, 1/2]`` of the new rate."""
    child = _decimating_filter(nodes, _BINARY[branch], 2)
    if branch:
        child[:, 1::2] *= -1
    return child


def _split_binary(nodes: np.ndarray) -> np.ndarray:
    """Both halves of each node, in frequency order: node ``b`` -> rows ``2b``, ``2b + 1``."""
    low, high = _binary_child(nodes, 0), _binary_child(nodes, 1)
    return np.stack([low, high], axis=1).reshape(-1, low.shape[-1])


def _split_ternary(nodes: np.ndarray) -> np.ndarray:
    """The three thirds of each node, in frequency order: node ``b`` -> rows ``3b`` to ``3b + 2``."""
    thirds = [_decimating_filter(nodes, h, 3) for h in _TERNARY]
    return np.stack(thirds, axis=1).reshape(-1, thirds[0].shape[-1])


def _envelope_kurtosis(c: np.ndarray) -> np.ndarray:
    """Kurtosis of each row's complex envelope, minus 2 (its value for circular complex Gaussian noise)."""
    power = np.abs(c - c.mean(axis=1, keepdims=True)) ** 2
    mean_power = power.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = (power**2).mean(axis=1) / mean_power**2 - 2
    return np.where(mean_power > 0, k, 0.0)


def _real_kurtosis(x: np.ndarray) -> float:
    """Excess kurtosis of a real, zero-mean signal."""
    return float(np.mean(x**4) / np.mean(x**2) ** 2 - 3)


def stft_spectral_kurtosis(x: np.ndarray, *, fs: float, nperseg: int, hop: int | None = None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """Spectral kurtosis from the short-time Fourier transform (Antoni 2006): one value per frequency.

    ``SK(f) = <|X(t, f)|**4> / <|X(t, f)|**2>**2 - 2``, the average over the STFT frames ``t`` [#sk]_. It is 0
    at every frequency for stationary Gaussian noise, -1 for a steady tone, and large where a few frames
    carry most of the energy: the bands that bearing impacts ring. It is *not* clipped at 0 (unlike the
    kurtogram). The frame length sets a trade-off: a frame much longer than the gap between impacts holds
    several of them and looks stationary (SK falls towards 0), a frame much shorter than an impact's ring-down
    spreads the impact over a wide band (fine time, coarse frequency: SK is high but the band is blurred).
    The fast kurtogram (:func:`fast_kurtogram`) scans that trade-off over a tree of band widths.

    Parameters
    ----------
    x : np.ndarray [shape=(n,)]
        One real signal.
    fs : float > 0
        Sampling rate, Hz.
    nperseg : int >= 2
        STFT frame length (Hann window), samples; the frequency resolution is ``fs / nperseg``.
    hop : int, optional
        Frame step; ``nperseg // 4`` (75 % overlap) when omitted.

    Returns
    -------
    freqs : np.ndarray [shape=(nperseg // 2 - 1,)]
        Hz, without DC and Nyquist (real-valued bins, where SK of Gaussian noise is 1, not 0).
    sk : np.ndarray [shape=(nperseg // 2 - 1,)]
        Spectral kurtosis at each frequency (0 where a bin holds no power).

    References
    ----------
    .. [#sk] Antoni, J. (2006). The spectral kurtosis: a useful tool for characterising non-stationary
       signals. Mechanical Systems and Signal Processing 20(2), 282-307. doi:10.1016/j.ymssp.2004.09.001

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f, sk = stft_spectral_kurtosis(rng.standard_normal(2**16), fs=1_000.0, nperseg=64)
    >>> bool(np.all(np.abs(sk) < 0.2))   # Gaussian noise: SK about 0 at every frequency
    True
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ParameterError(f"stft_spectral_kurtosis takes one 1-D signal, got shape {x.shape}")
    hop = max(int(nperseg) // 4, 1) if hop is None else hop
    freqs, _, z = stft(x - x.mean(), fs=fs, nperseg=nperseg, hop=hop)
    if z.shape[-1] < 2:
        raise ParameterError(f"nperseg={nperseg} leaves fewer than 2 STFT frames in {x.size} samples")
    power = np.abs(z[1:-1]) ** 2       # DC and Nyquist are real bins: SK = 1 there for Gaussian noise
    mean_power = power.mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sk = (power**2).mean(axis=-1) / mean_power**2 - 2
    return freqs[1:-1], np.where(mean_power > 1e-30 * max(mean_power.max(), 1e-300), sk, 0.0)


def kurtogram_band(kurtogram: Kurtogram, *, min_low: float | None = None) -> tuple[float, float]:
    """The demodulation band ``(low, high)`` in Hz of the fast kurtogram's most impulsive band.

    At level 0 (the raw signal is the most impulsive "band") the whole band cannot be band-passed, so
    :func:`bearingkit.dsp.spectral.default_band` is returned. Otherwise the band's edges, with ``low`` raised
    to ``min_low`` (default ``fs / 64``, which keeps shaft harmonics out of a band that starts at 0 Hz) and
    ``high`` lowered to 0.49 ``fs`` (a band-pass edge must lie below Nyquist).

    Examples
    --------
    >>> t = np.arange(2**14) / 12_000
    >>> impacts = np.zeros(t.size)
    >>> impacts[::324] = 1.0                     # 37 impacts a second, each ringing a 3.3 kHz resonance
    >>> ring = np.exp(-300 * t[:200]) * np.sin(2 * np.pi * 3_300 * t[:200])
    >>> x = np.convolve(impacts, ring)[:t.size] + 0.3 * np.random.default_rng(0).standard_normal(t.size)
    >>> low, high = kurtogram_band(fast_kurtogram(x, fs=12_000, nlevel=4))
    >>> bool(low <= 3_300 <= high)
    True
    """
    fs = kurtogram.fs
    if kurtogram.best_level == 0:
        return default_band(fs)
    min_low = fs / 64 if min_low is None else float(min_low)
    low = max(kurtogram.best_fc - kurtogram.best_bandwidth / 2, min_low)
    high = min(kurtogram.best_fc + kurtogram.best_bandwidth / 2, 0.49 * fs)
    if not low < high:
        raise ParameterError(f"the kurtogram's best band ends at {high:g} Hz, below min_low={min_low:g} Hz; "
                             "lower min_low or limit nlevel")
    return float(low), float(high)


def band_kurtosis(kurtogram: Kurtogram, *, level: float, freq: float) -> float:
    """Spectral kurtosis of the band at ``level`` of the kurtogram that contains ``freq`` (Hz).

    ``level`` is one of ``kurtogram.levels`` (1 + :data:`TERNARY_STEP` = 1.585 for the three bands of width
    ``fs / 6``), matched to within 1e-6.

    Raises
    ------
    ParameterError
        A level the kurtogram does not hold, or a frequency outside ``[0, fs / 2]``.
    """
    rows = np.flatnonzero(np.abs(kurtogram.levels - level) < 1e-6)
    if rows.size == 0:
        raise ParameterError(f"level {level!r} is not in the kurtogram; its levels are "
                             f"{np.round(kurtogram.levels, 3).tolist()}")
    if not 0 <= freq <= kurtogram.fs / 2:
        raise ParameterError(f"freq={freq!r} Hz lies outside [0, {kurtogram.fs / 2:g}] Hz")
    width = kurtogram.fs / 2 / kurtogram.freqs.size
    column = min(int(freq // width), kurtogram.freqs.size - 1)
    return float(kurtogram.kurtosis[rows[0], column])


def level_bandwidth(level: float, *, fs: float) -> float:
    """Width in Hz of the bands at kurtogram ``level``: ``fs / 2**(level + 1)`` (the tree above).

    Examples
    --------
    >>> level_bandwidth(0, fs=12_000), level_bandwidth(3, fs=12_000)
    (6000.0, 750.0)
    """
    return float(fs / 2 ** (level + 1))


def level0_scores(signal, *, fs: float, nlevel: int) -> pd.DataFrame:
    """The fast kurtogram of ``signal`` under both level-0 scores of :func:`fast_kurtogram` (``level0=``).

    Returns
    -------
    pd.DataFrame
        Indexed by score (``"real"``: Antoni's real kurtosis - 3; ``"envelope"``: the analytic signal's
        envelope kurtosis - 2, like every other level): ``level0`` (the level-0 value), ``best_level``,
        ``best_low_hz``, ``best_high_hz`` and ``best_kurtosis``.
    """
    rows = []
    for score in ("real", "envelope"):
        kg = fast_kurtogram(signal, fs=fs, nlevel=nlevel, level0=score)
        rows.append({"score": score, "level0": float(kg.kurtosis[0, 0]), "best_level": kg.best_level,
                     "best_low_hz": kg.best_fc - kg.best_bandwidth / 2,
                     "best_high_hz": kg.best_fc + kg.best_bandwidth / 2, "best_kurtosis": kg.best_kurtosis})
    return pd.DataFrame(rows).set_index("score")
