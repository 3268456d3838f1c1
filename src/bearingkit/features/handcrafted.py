"""The 46 hand-crafted features of Sedira & Felkaoui (2026), §3.2 and Table 5, for many segments at once.

Every function takes a batch of segments ``X`` of shape ``(n_segments, n_samples)`` (a 1-D array is one
segment) and returns one row per segment, so 1,000 segments are one call rather than 1,000.

=====================  ======  ===================================================================
group                  count   what
=====================  ======  ===================================================================
``time``               9       mean, variance, standard deviation, RMS, crest factor, skewness,
                               kurtosis, 4th and 5th raw moments (Eqs. 1-9)
``frequency``          5       dominant frequency, mean frequency, bandwidth, spectral energy,
                               spectral kurtosis of the one-sided power spectrum (Eqs. 10-16)
``time_frequency``     32      energies of the 32 terminal nodes of a db5, level-5 wavelet-packet
                               tree (Eq. 20), in frequency order by default
=====================  ======  ===================================================================

Errata in the paper [1]_, and what is implemented instead (each function's docstring repeats its own):

- Eq. 4 prints ``rms = sqrt(1/N sum x_i)`` without the square; implemented: ``sqrt(mean(x**2))``.
- Eqs. 6-7 omit the ``1/N`` and Eq. 6 divides by ``sigma**4``; implemented: the standard normalised
  moments ``mean((x - mu)**3) / sigma**3`` and ``mean((x - mu)**4) / sigma**4`` (Pearson's kurtosis,
  3 for a Gaussian, not the excess).
- Eq. 12 prints ``argmax(f_k)``; implemented: the frequency ``f_k`` at which ``S(f_k)`` is largest.
- Eq. 16 normalises a sum over the ``N_f`` spectral bins by the number of time samples ``N``;
  implemented: the mean over the ``N_f`` bins, i.e. the kurtosis of the PSD values.
- Table 5 lists "1, 2, ..., 10" statistical features, the text (§3.2.1, §3.3) nine, and the total of 46
  only adds up with nine: nine are implemented.

References
----------
.. [1] Sedira, M. & Felkaoui, A. (2026). A hybrid HMM-RBFNN system using relevant and non-redundant
       features for bearing fault classification. Comptes Rendus. Mécanique. doi:10.5802/crmeca.350,
       §3.2, Eqs. 1-20, Table 5.
"""

from __future__ import annotations

import numpy as np
import pywt

from bearingkit.errors import ParameterError

__all__ = ["FEATURE_GROUPS", "FEATURE_NAMES", "FREQUENCY_FEATURES", "LEVEL", "TIME_FEATURES", "WAVELET",
           "WAVELET_FEATURES", "extract_features", "frequency_features", "min_samples", "time_features",
           "wavelet_packet_energies"]

TIME_FEATURES: tuple[str, ...] = (
    "mean", "variance", "std", "rms", "crest_factor", "skewness", "kurtosis", "m4", "m5",
)
FREQUENCY_FEATURES: tuple[str, ...] = (
    "dominant_frequency", "mean_frequency", "bandwidth", "spectral_energy", "spectral_kurtosis",
)
#: ``wpe_kk``: energy of the k-th level-5 packet in the requested order; in frequency order (the default)
#: packet k covers nominally ``[k, k + 1] * fs / 64``.
WAVELET_FEATURES: tuple[str, ...] = tuple(f"wpe_{k:02d}" for k in range(32))
#: The 46 column names of :func:`extract_features`, in column order.
FEATURE_NAMES: tuple[str, ...] = TIME_FEATURES + FREQUENCY_FEATURES + WAVELET_FEATURES
#: Column names by domain, as in Table 5 of the paper.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "time": TIME_FEATURES,
    "frequency": FREQUENCY_FEATURES,
    "time_frequency": WAVELET_FEATURES,
}

#: The paper's wavelet packet: Daubechies 5, five levels (§3.2, "Time-frequency features").
WAVELET = "db5"
LEVEL = 5
_ORDERS = ("freq", "natural")


def min_samples(*, wavelet: str = WAVELET, level: int = LEVEL) -> int:
    """Shortest segment for which ``pywt.dwt_max_level(n, filter_length) >= level``.

    Parameters
    ----------
    wavelet : str
        A discrete wavelet known to PyWavelets.
    level : int > 0
        Depth of the wavelet-packet tree.

    Returns
    -------
    n : int
        ``(filter_length - 1) * 2**level``: 288 samples for the paper's db5 (10 taps) at level 5.
    """
    if wavelet not in pywt.wavelist(kind="discrete"):
        raise ParameterError(f"wavelet={wavelet!r} is not in pywt.wavelist(kind='discrete')")
    return (pywt.Wavelet(wavelet).dec_len - 1) * 2**level


def time_features(X: np.ndarray) -> np.ndarray:
    """Nine time-domain statistics of each segment (Eqs. 1-9).

    With ``mu`` the mean and ``sigma`` the population standard deviation of a segment ``x`` of ``N``
    samples: mean ``mu`` (Eq. 1), variance ``sigma**2`` (Eq. 2), standard deviation (Eq. 3),
    ``rms = sqrt(mean(x**2))`` (Eq. 4), crest factor ``max|x| / rms`` (Eq. 5),
    skewness ``mean((x - mu)**3) / sigma**3`` (Eq. 6), kurtosis ``mean((x - mu)**4) / sigma**4`` (Eq. 7),
    and the raw (not central) moments ``m4 = mean(x**4)``, ``m5 = mean(x**5)`` (Eqs. 8-9).

    Errata: Eq. 4 omits the square; Eqs. 6-7 omit the ``1/N`` and Eq. 6 divides by ``sigma**4``. The
    standard normalised moments are implemented; kurtosis is Pearson's (3 for a Gaussian), not the excess.

    Parameters
    ----------
    X : np.ndarray [shape=(n_segments, n_samples) or (n_samples,)]
        Real, finite, non-constant segments.

    Returns
    -------
    features : np.ndarray [shape=(n_segments, 9)]
        Columns in the order of :data:`TIME_FEATURES`.
    """
    X = _segments(X, min_length=2)
    mu = X.mean(axis=1)
    centred = X - mu[:, None]
    c2 = centred**2
    variance = c2.mean(axis=1)
    sigma = np.sqrt(variance)
    x2 = X**2
    rms = np.sqrt(x2.mean(axis=1))
    crest = np.abs(X).max(axis=1) / rms
    skewness = (c2 * centred).mean(axis=1) / sigma**3
    kurtosis = (c2**2).mean(axis=1) / variance**2
    x4 = x2**2
    m4 = x4.mean(axis=1)
    m5 = (x4 * X).mean(axis=1)
    return np.column_stack([mu, variance, sigma, rms, crest, skewness, kurtosis, m4, m5])


def frequency_features(X: np.ndarray, *, fs: float) -> np.ndarray:
    """Five features of the one-sided power spectrum of each segment (Eqs. 10-16).

    ``S(f_k) = |X(f_k)|**2`` (Eqs. 10-11) is the squared magnitude of the unnormalised DFT at the
    ``N_f = N // 2 + 1`` non-negative frequencies ``f_k = k fs / N`` (DC included, nothing doubled, no
    window, no detrending: the paper's equations as printed). Then

    - dominant frequency: the ``f_k`` at which ``S`` is largest (Eq. 12; printed as ``argmax(f_k)``);
    - mean frequency ``f_avg = sum f_k S_k / sum S_k`` (Eq. 13);
    - bandwidth ``sum (f_k - f_avg)**2 S_k / sum S_k`` (Eq. 14). This is the spectral *variance*, in Hz**2,
      returned as printed (not its square root), because Fisher scores and the PCA see it as the paper did;
    - spectral energy ``E = sum S_k`` (Eq. 15), in (signal unit)**2, growing as ``N**2``;
    - spectral kurtosis ``mean(((S_k - mu_f) / sigma_f)**4)`` over the ``N_f`` bins (Eq. 16, whose ``1/N``
      should be ``1/N_f``), ``mu_f`` and ``sigma_f`` the mean and population standard deviation of ``S``.

    Parameters
    ----------
    X : np.ndarray [shape=(n_segments, n_samples) or (n_samples,)]
        Real, finite, non-constant segments.
    fs : float > 0
        Sampling rate in Hz.

    Returns
    -------
    features : np.ndarray [shape=(n_segments, 5)]
        Columns in the order of :data:`FREQUENCY_FEATURES`; frequencies in Hz.
    """
    X = _segments(X, min_length=2)
    fs = _sample_rate(fs)
    S = np.abs(np.fft.rfft(X, axis=1)) ** 2
    f = np.fft.rfftfreq(X.shape[1], d=1.0 / fs)
    energy = S.sum(axis=1)
    dominant = f[np.argmax(S, axis=1)]
    mean_f = S @ f / energy
    bandwidth = np.sum(S * (f[None, :] - mean_f[:, None]) ** 2, axis=1) / energy
    mu_f = S.mean(axis=1, keepdims=True)
    sigma_f = S.std(axis=1, keepdims=True)
    kurt_f = np.mean(((S - mu_f) / sigma_f) ** 4, axis=1)
    return np.column_stack([dominant, mean_f, bandwidth, energy, kurt_f])


def wavelet_packet_energies(
    X: np.ndarray,
    *,
    order: str = "freq",
    wavelet: str = WAVELET,
    level: int = LEVEL,
    mode: str = "symmetric",
) -> np.ndarray:
    """Energy of every terminal node of a wavelet-packet tree (Eq. 20): 32 values for db5 at level 5.

    ``E_k = sum_j c_k[j]**2`` over the coefficients ``c_k`` of node ``k``. The tree is built for the whole
    batch at once, one ``pywt.dwt`` call per level on an array holding every node of that level, and gives
    the same coefficients as ``pywt.WaveletPacket(x, wavelet, mode=mode, maxlevel=level)`` segment by
    segment.

    Parameters
    ----------
    X : np.ndarray [shape=(n_segments, n_samples) or (n_samples,)]
        Real, finite, non-constant segments of at least :func:`min_samples` samples (288 for db5 at
        level 5).
    order : {"freq", "natural"}
        ``"freq"`` (default): nodes sorted by frequency band, as ``WaveletPacket.get_level(level,
        order="freq")``: node k covers nominally ``[k, k + 1] * fs / 2**(level + 1)``. ``"natural"``: the
        filter-bank order (``a...a, a...ad, ...``), in which the high-pass branch's mirrored spectrum
        scrambles the bands. The paper does not say; frequency order makes the columns a coarse spectrum.
    wavelet : str
        Wavelet name (the paper: ``"db5"``).
    level : int > 0
        Tree depth (the paper: 5, so ``2**5 = 32`` nodes).
    mode : str
        PyWavelets signal-extension mode at the segment edges. The default ``"symmetric"`` is PyWavelets'
        and MATLAB's default; its boundary coefficients make node lengths grow, so the energies do not add up
        exactly to ``sum(x**2)``. ``"periodization"`` conserves energy exactly.

    Returns
    -------
    energies : np.ndarray [shape=(n_segments, 2**level)]
    """
    if order not in _ORDERS:
        raise ParameterError(f"order={order!r} is not one of {_ORDERS}")
    if mode not in pywt.Modes.modes:
        raise ParameterError(f"mode={mode!r} is not a PyWavelets extension mode: {pywt.Modes.modes}")
    if not isinstance(level, int | np.integer) or level < 1:
        raise ParameterError(f"level={level!r} must be a positive integer")
    tree = f"a level-{level} {wavelet} wavelet-packet tree"
    X = _segments(X, min_length=min_samples(wavelet=wavelet, level=level), what=tree)
    nodes = X[None]
    for _ in range(level):
        approx, detail = pywt.dwt(nodes, wavelet, mode=mode, axis=-1)
        nodes = np.stack([approx, detail], axis=1).reshape(2 * approx.shape[0], *approx.shape[1:])
    energies = np.einsum("kij,kij->ik", nodes, nodes)
    if order == "freq":
        energies = energies[:, _gray_code(level)]
    return energies


def extract_features(
    X: np.ndarray, *, fs: float, expected_fs: float | None = None, order: str = "freq"
) -> np.ndarray:
    """All 46 features of Sedira & Felkaoui (2026), Table 5: 9 time, 5 frequency, 32 wavelet-packet.

    Parameters
    ----------
    X : np.ndarray [shape=(n_segments, n_samples) or (n_samples,)]
        Real, finite, non-constant segments of at least 288 samples (a level-5 db5 packet tree). A 1-D
        array is one segment.
    fs : float > 0
        Sampling rate of ``X`` in Hz.
    expected_fs : float > 0 or None
        The rate the caller's model was built for (the paper: 12 kHz). If given and ``fs`` differs, a
        :class:`~bearingkit.errors.ParameterError` asks for resampling instead of returning features whose
        frequencies and band energies mean something else.
    order : {"freq", "natural"}
        Order of the 32 wavelet-packet energies; see :func:`wavelet_packet_energies`.

    Returns
    -------
    features : np.ndarray [shape=(n_segments, 46)]
        Columns named by :data:`FEATURE_NAMES`, grouped as in :data:`FEATURE_GROUPS`.

    Raises
    ------
    ParameterError
        Input not 1-D or 2-D, NaN or infinity (the offending segment indices are listed), constant
        segments, segments shorter than 288 samples, non-positive ``fs``, or ``fs != expected_fs``.

    See Also
    --------
    time_features, frequency_features, wavelet_packet_energies

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((4, 2048))
    >>> extract_features(X, fs=12_000, expected_fs=12_000).shape
    (4, 46)
    """
    fs = _sample_rate(fs)
    if expected_fs is not None and not np.isclose(fs, _sample_rate(expected_fs)):
        raise ParameterError(
            f"segments are sampled at fs={fs:g} Hz but expected_fs={expected_fs:g} Hz: resample them to "
            f"{expected_fs:g} Hz first (frequency features and packet bands depend on the rate)"
        )
    X = _segments(X, min_length=min_samples(), what=f"a level-{LEVEL} {WAVELET} wavelet-packet tree")
    blocks = [time_features(X), frequency_features(X, fs=fs), wavelet_packet_energies(X, order=order)]
    return np.hstack(blocks)


def _gray_code(level: int) -> np.ndarray:
    """Natural-order index of the node in each frequency position: the Gray code ``k ^ (k >> 1)``."""
    k = np.arange(2**level)
    return k ^ (k >> 1)


def _sample_rate(fs: float) -> float:
    fs = float(fs)
    if not np.isfinite(fs) or fs <= 0:
        raise ParameterError(f"fs={fs!r} must be a positive, finite sampling rate in Hz")
    return fs


def _segments(X: np.ndarray, *, min_length: int, what: str = "these features") -> np.ndarray:
    """``X`` as a finite, non-constant float64 array of shape (n_segments, n_samples), or a clear error."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2:
        raise ParameterError(
            f"segments must be a 2-D array (n_segments, n_samples) or one 1-D segment, got shape {X.shape}"
        )
    if X.shape[1] < min_length:
        raise ParameterError(
            f"segments have {X.shape[1]} samples; {what} needs at least {min_length}: use longer windows"
        )
    bad = np.flatnonzero(~np.isfinite(X).all(axis=1))
    if bad.size:
        raise ParameterError(f"{bad.size} segment(s) hold NaN or infinity, at indices {_listed(bad)}")
    flat = np.flatnonzero(np.ptp(X, axis=1) == 0)
    if flat.size:
        raise ParameterError(
            f"{flat.size} segment(s) are constant (zero variance: skewness, kurtosis and crest factor are "
            f"undefined), at indices {_listed(flat)}: drop them (sensor drop-out?)"
        )
    return X


def _listed(indices: np.ndarray, *, limit: int = 10) -> str:
    shown = ", ".join(str(i) for i in indices[:limit])
    return f"[{shown}{', ...' if indices.size > limit else ''}]"
