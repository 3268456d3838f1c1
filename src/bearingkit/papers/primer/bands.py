"""Sect. 2.3 of the primer: which band to demodulate, and how wide it must be.

The fast kurtogram (Antoni 2007 [1]_) scores a tree of bands by their spectral kurtosis; its level 0 has two
conventions (:func:`bearingkit.dsp.kurtogram.level0_scores`), and its best band becomes a demodulation
band (:func:`bearingkit.dsp.kurtogram.kurtogram_band`). Spectral kurtosis is simplest on the STFT (Antoni
2006 [2]_), where the frame length trades impulsiveness against resolution, and an AR residual removes the
predictable part first (:func:`stft_sk_study`). A band must be wider than the modulations it must carry
(Randall & Antoni 2011 [3]_; :func:`band_width_sweep`).

References
----------
.. [1] Antoni, J. (2007). Fast computation of the kurtogram for the detection of transient faults. *Mech.
   Syst. Signal Process.* 21(1), 108-124.
.. [2] Antoni, J. (2006). The spectral kurtosis: a useful tool for characterising non-stationary signals.
   *Mech. Syst. Signal Process.* 20(2), 282-307.
.. [3] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.dsp.condition import condition_indicators
from bearingkit.dsp.kurtogram import (
    TERNARY_STEP,
    Kurtogram,
    band_kurtosis,
    fast_kurtogram,
    kurtogram_band,
    level0_scores,
    stft_spectral_kurtosis,
)
from bearingkit.dsp.lines import line_table
from bearingkit.dsp.spectral import envelope, envelope_spectrum
from bearingkit.dsp.whitening import ar_residual

__all__ = [
    "LEVEL_2_4",
    "BandWidth",
    "KurtogramStudy",
    "SpectralKurtosis",
    "band_width_study",
    "band_width_sweep",
    "demodulation_bands",
    "envelope_by_kurtogram",
    "half_depth_widths",
    "inner_race_lines",
    "kurtogram_study",
    "stft_sk_study",
]

#: The kurtogram level whose three bands are ``fs / 6`` wide (0-2, 2-4, 4-6 kHz at 12 kHz).
LEVEL_2_4 = 1 + TERNARY_STEP


@dataclass(frozen=True)
class KurtogramStudy:
    """The fast kurtogram of every record, both level-0 scores, and the band each one chooses."""

    kurtograms: Mapping[str, Kurtogram]
    level0: pd.DataFrame
    band_choice: pd.DataFrame
    level0_score: str


def kurtogram_study(signals: Mapping[str, np.ndarray], *, fs: float, nlevel: int, level0: str,
                    freq_2_4: float = 3_000.0) -> KurtogramStudy:
    """Kurtograms of ``signals`` (level 0 scored ``level0``), :func:`level0_scores`, and each best band.

    ``band_choice`` holds, per signal, the best level, band and kurtosis, and the kurtosis of the
    level-:data:`LEVEL_2_4` band that contains ``freq_2_4`` (:func:`band_kurtosis`).
    """
    kurtograms = {key: fast_kurtogram(x, fs=fs, nlevel=nlevel, level0=level0) for key, x in signals.items()}
    scores = pd.concat({key: level0_scores(x, fs=fs, nlevel=nlevel) for key, x in signals.items()},
                       names=["label"])
    band_choice = pd.DataFrame([
        {"label": key, "best_level": kg.best_level, "best_band_hz": (kg.best_fc - kg.best_bandwidth / 2,
                                                                     kg.best_fc + kg.best_bandwidth / 2),
         "best_kurtosis": kg.best_kurtosis,
         "kurtosis_2_4kHz": band_kurtosis(kg, level=LEVEL_2_4, freq=freq_2_4)}
        for key, kg in kurtograms.items()]).set_index("label")
    return KurtogramStudy(kurtograms=MappingProxyType(kurtograms), level0=scores, band_choice=band_choice,
                          level0_score=level0)


def demodulation_bands(band: tuple[float, float] | str, kurtograms: Mapping[str, Kurtogram]
                       ) -> dict[str, tuple[float, float]]:
    """Each record's demodulation band: the fixed ``band``, or its kurtogram's (:func:`kurtogram_band`)."""
    return {label: kurtogram_band(kg) if band == "kurtogram" else band for label, kg in kurtograms.items()}


def envelope_by_kurtogram(x, *, fs: float, nlevel: int) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Squared-envelope spectrum of ``x`` in the most impulsive kurtogram band (:func:`kurtogram_band`).

    Returns
    -------
    freqs, amplitude : np.ndarray
    band : tuple of float
        The demodulation band ``(low, high)`` in Hz.
    """
    band = kurtogram_band(fast_kurtogram(x, fs=fs, nlevel=nlevel))
    freqs, amplitude = envelope_spectrum(x, fs=fs, band=band, squared=True)
    return freqs, amplitude, band


@dataclass(frozen=True)
class SpectralKurtosis:
    """:func:`stft_sk_study`: the table, the curves ``(key, version, frame) -> (freqs, sk)``, its settings."""

    table: pd.DataFrame
    curves: Mapping[tuple[str, str, int], tuple[np.ndarray, np.ndarray]]
    frames: tuple[int, ...]
    ar_order: int
    fs: float

    def largest(self, key: str, version: str = "raw") -> list[float]:
        """The largest SK of signal ``key`` at every frame length, shortest frame first."""
        return [float(self.table.loc[(key, version, frame), "max_sk"]) for frame in self.frames]

    def kurtosis(self) -> pd.Series:
        """The kurtosis of every whole signal, raw and AR residual."""
        return self.table["kurtosis"].groupby(["signal", "version"]).first()


def stft_sk_study(signals: Mapping[str, np.ndarray], *, fs: float, frames: Sequence[int], ar_order: int
                  ) -> SpectralKurtosis:
    """Spectral kurtosis from the STFT of each signal and of its AR residual, at several frame lengths.

    :func:`bearingkit.dsp.kurtogram.stft_spectral_kurtosis` of each signal, before and after
    :func:`bearingkit.dsp.whitening.ar_residual` (order ``ar_order``), for every frame length of ``frames``.
    Its ``table`` is indexed by (signal key, ``"raw"`` or ``"AR residual"``, frame length): ``max_sk``,
    ``at_hz`` (where the maximum lies) and ``kurtosis`` (of the whole signal, 3 for Gaussian).
    """
    rows, curves = [], {}
    for key, x in signals.items():
        versions = (("raw", np.asarray(x, dtype=float)), ("AR residual", ar_residual(x, order=ar_order)))
        for version, y in versions:
            kurt = condition_indicators(y)["kurtosis"]
            for frame in frames:
                freqs, sk = stft_spectral_kurtosis(y, fs=fs, nperseg=int(frame))
                curves[(key, version, int(frame))] = (freqs, sk)
                rows.append({"signal": key, "version": version, "frame": int(frame),
                             "max_sk": float(sk.max()), "at_hz": float(freqs[np.argmax(sk)]),
                             "kurtosis": kurt})
    return SpectralKurtosis(table=pd.DataFrame(rows).set_index(["signal", "version", "frame"]),
                            curves=MappingProxyType(curves), frames=tuple(int(f) for f in frames),
                            ar_order=ar_order, fs=fs)


def inner_race_lines(bpfi_hz: float, shaft_hz: float) -> dict[str, float]:
    """BPFI, its sideband BPFI + 2 f_r and its 2nd and 3rd harmonics: the lines of the band-width sweep."""
    return {"BPFI": bpfi_hz, "BPFI+2fr": bpfi_hz + 2 * shaft_hz, "2xBPFI": 2 * bpfi_hz, "3xBPFI": 3 * bpfi_hz}


def band_width_sweep(signal, *, fs: float, centre_hz: float, widths: Sequence[float],
                     lines: Mapping[str, float], tol: float = 0.02) -> pd.DataFrame:
    """Modulation depth of each named line when the signal is demodulated in bands of several widths.

    The squared envelope of a band of width ``B`` holds the differences between the frequencies inside the
    band, so its spectrum reaches up to about ``B``: a modulation (a defect line, its harmonics, its
    sidebands) shows only if the band is wider than its frequency (Randall & Antoni 2011). The depth of
    a line is its amplitude in the squared-envelope spectrum (:func:`bearingkit.dsp.lines.line_table`, within
    ``tol``) over the squared envelope's mean: scale-free, and 0 for a line the band cannot carry. (The peak
    ratio is a poor measure here: a narrow Butterworth band still leaks the strong impacts through its
    skirts, floor and line alike.)

    Returns
    -------
    pd.DataFrame
        Indexed by band width (Hz), one column per line of ``lines``: its modulation depth.
    """
    rows = {}
    for width in widths:
        band = (centre_hz - width / 2, centre_hz + width / 2)
        mean = float(np.mean(envelope(signal, fs=fs, band=band, squared=True)))
        freqs, amplitude = envelope_spectrum(signal, fs=fs, band=band, squared=True)
        table = line_table(freqs, amplitude, lines, tol=tol)
        rows[float(width)] = {name: float(table.loc[name, "amplitude"]) / mean for name in lines}
    return pd.DataFrame(rows).T.rename_axis("band width (Hz)")


@dataclass(frozen=True)
class BandWidth:
    """:func:`band_width_sweep` of some lines, and the narrowest width where each reaches half its depth."""

    depth: pd.DataFrame
    lines_hz: Mapping[str, float]

    @property
    def half_width(self) -> dict[str, float]:
        """:func:`half_depth_widths` of :attr:`depth`."""
        return half_depth_widths(self.depth)


def band_width_study(signal, *, fs: float, centre_hz: float, widths: Sequence[float],
                     lines: Mapping[str, float]) -> BandWidth:
    """:func:`band_width_sweep` of ``lines`` in bands of ``widths`` centred on ``centre_hz``."""
    return BandWidth(depth=band_width_sweep(signal, fs=fs, centre_hz=centre_hz, widths=widths, lines=lines),
                     lines_hz=MappingProxyType(dict(lines)))


def half_depth_widths(depth: pd.DataFrame) -> dict[str, float]:
    """The narrowest band width at which each line of :func:`band_width_sweep` reaches half its largest depth.

    Examples
    --------
    >>> depth = pd.DataFrame({"a": [0.0, 0.4, 1.0], "b": [0.6, 1.0, 0.9]}, index=[100.0, 200.0, 400.0])
    >>> half_depth_widths(depth)
    {'a': 400.0, 'b': 100.0}
    """
    return {name: next(w for w in depth.index if depth.loc[w, name] >= 0.5 * depth[name].max())
            for name in depth}
