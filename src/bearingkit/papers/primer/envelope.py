"""Sect. 2.4-2.5 of the primer: envelope spectra of the CWRU records, their lines, and how tall is tall.

Every line searched is named from the physics before the spectrum is looked at (:func:`expected_lines`): the
defect families at the record's speed, the shaft rate, the inner race's shaft-rate sidebands and the ball's
cage-rate sidebands. :func:`peak_tables` finds each in the squared-envelope spectrum, and
:func:`grading_study` sets the peak-ratio thresholds from noise: Gaussian records of the same length through
the same pipeline, and the healthy record's own spectrum, whichever is stricter. Cepstral pre-whitening
(Smith & Randall 2015 [1]_) needs no band (:func:`prewhitened_lines`); each record's lines divided by its
*measured* shaft rate say whether slip or the contact angle moved them (:func:`line_shift`; Randall & Antoni
2011 [2]_).

References
----------
.. [1] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
.. [2] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.dsp.lines import (
    GRADE_FALSE_ALARMS,
    false_alarm_rate,
    grade_lines,
    harmonic_lines,
    line_table,
    noise_peak_ratios,
    ratio_threshold,
    spectrum_peak_ratios,
)
from bearingkit.dsp.spectral import cepstral_prewhitening, default_band, envelope_spectrum
from bearingkit.errors import ParameterError
from bearingkit.papers.primer.data import OWN_LINE, CwruView
from bearingkit.papers.primer.settings import Settings
from bearingkit.physics.kinematics import BEARINGS, DefectFrequencies

__all__ = [
    "FAMILY_KEY",
    "Grading",
    "LineShift",
    "Prewhitened",
    "defect_families",
    "envelope_spectra",
    "expected_lines",
    "graded_peaks",
    "grading_study",
    "line_near",
    "line_shift",
    "measured_multiple",
    "peak_tables",
    "prewhitened_lines",
    "search_band",
    "threshold_column",
]

#: The field of :class:`bearingkit.physics.kinematics.DefectFrequencies` behind each family's name.
FAMILY_KEY: Mapping[str, str] = MappingProxyType({"FTF": "ftf", "BPFO": "bpfo", "BPFI": "bpfi",
                                                  "2xBSF": "bsf_2x"})


def defect_families(freqs: DefectFrequencies, *, harmonics: Iterable[int] = (1, 2, 3)) -> dict[str, dict]:
    """The named defect lines of one record: FTF, and BPFO, BPFI and 2 x BSF with their ``harmonics`` (Hz).

    Examples
    --------
    >>> from bearingkit.physics.kinematics import defect_frequencies
    >>> families = defect_families(defect_frequencies(BEARINGS["cwru_de"], rpm=1797), harmonics=(1, 2))
    >>> {name: [round(hz, 1) for hz in lines.values()] for name, lines in families.items()}
    {'FTF': [11.9], 'BPFO': [107.4, 214.7], 'BPFI': [162.2, 324.4], '2xBSF': [141.2, 282.3]}
    """
    harmonics = tuple(harmonics)
    return {"FTF": {"FTF": freqs.ftf},
            **{family: harmonic_lines({family: getattr(freqs, FAMILY_KEY[family])}, harmonics=harmonics)
               for family in ("BPFO", "BPFI", "2xBSF")}}


def expected_lines(label: str, freqs: DefectFrequencies) -> dict[str, float]:
    """The lines searched in the envelope spectrum of one CWRU record (Sect. 2.5 of the primer), in Hz.

    Every record: the fundamental of each family of :func:`defect_families`. A fault record adds the 2nd and
    3rd harmonics of its own family (:data:`bearingkit.papers.primer.data.OWN_LINE`); the inner race adds the
    shaft rate and the sidebands BPFI -+ f_r and BPFI -+ 2 f_r of its load-zone modulation; the ball adds the
    shaft rate and the sidebands 2 x BSF -+ FTF of the cage's modulation (the ball travels with the cage
    through the load zone). All are named from the physics before the spectrum is looked at, none from its
    tallest peaks.

    Raises
    ------
    ParameterError
        A label other than ``normal``, ``inner``, ``ball`` or ``outer``.
    """
    if label not in ("normal", *OWN_LINE):
        raise ParameterError(f"unknown record label {label!r}; use 'normal', 'inner', 'ball' or 'outer'")
    fundamentals = defect_families(freqs, harmonics=(1,)).values()
    lines = {name: hz for family in fundamentals for name, hz in family.items()}
    if label in OWN_LINE:
        own = OWN_LINE[label]
        lines.update({k: v for k, v in defect_families(freqs)[own].items() if k != own})
    if label == "inner":
        lines.update({"shaft": freqs.shaft, "BPFI-fr": freqs.bpfi - freqs.shaft,
                      "BPFI+fr": freqs.bpfi + freqs.shaft, "BPFI-2fr": freqs.bpfi - 2 * freqs.shaft,
                      "BPFI+2fr": freqs.bpfi + 2 * freqs.shaft})
    if label == "ball":
        lines.update({"shaft": freqs.shaft, "2xBSF-FTF": freqs.bsf_2x - freqs.ftf,
                      "2xBSF+FTF": freqs.bsf_2x + freqs.ftf})
    return lines


def peak_tables(spectra: Mapping[str, tuple[np.ndarray, np.ndarray]], freqs: Mapping[str, DefectFrequencies],
                *, tol: float = 0.02) -> dict[str, pd.DataFrame]:
    """:func:`bearingkit.dsp.lines.line_table` of every record's :func:`expected_lines`, keyed by label.

    Parameters
    ----------
    spectra : mapping of label to ``(freqs, amplitude)``
        Envelope spectra of the records.
    freqs : mapping of label to DefectFrequencies
        Each record's defect frequencies at its own speed.
    tol : float
        Search half-width relative to each line (slip moves lines 1-2 %).
    """
    return {label: line_table(f, a, expected_lines(label, freqs[label]), tol=tol)
            for label, (f, a) in spectra.items()}


def search_band(band: tuple[float, float] | str, *, fs: float) -> tuple[float, float]:
    """The fixed band of the ``band`` parameter, or :func:`bearingkit.dsp.spectral.default_band` for
    ``"kurtogram"`` (the band of the noise records, the blind records and the outer-race records)."""
    return band if band != "kurtogram" else default_band(fs)


def envelope_spectra(view: CwruView, bands: Mapping[str, tuple[float, float]]
                     ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The squared-envelope spectrum of every record of ``view`` in its band."""
    return {label: envelope_spectrum(r.signal, fs=view.fs, band=bands[label], squared=True)
            for label, r in view.records.items()}


def line_near(spectra: Mapping[str, tuple[np.ndarray, np.ndarray]], view: CwruView, *,
              target_hz: float = 120.0, harmonic: int = 4, tol: float = 0.005) -> pd.DataFrame:
    """The line near ``target_hz`` in every spectrum, against the shaft harmonic ``harmonic`` and the target.

    Returns
    -------
    pd.DataFrame
        Indexed by label: ``found_hz``, ``ratio``, ``<harmonic> f_r (Hz)`` (at the measured shaft rate),
        ``bin (Hz)`` (1 / the record's duration), ``bins from <harmonic> f_r`` and ``bins from <target> Hz``.
    """
    name = f"near {target_hz:g} Hz"
    column = f"{harmonic} f_r (Hz)"
    table = pd.DataFrame({
        label: {**line_table(f, a, {name: target_hz}, tol=tol).iloc[0][["found_hz", "ratio"]],
                column: harmonic * view.shaft_hz[label], "bin (Hz)": 1 / view.records[label].duration}
        for label, (f, a) in spectra.items()}).T.astype(float)
    table[f"bins from {harmonic} f_r"] = (table["found_hz"] - table[column]) / table["bin (Hz)"]
    table[f"bins from {target_hz:g} Hz"] = (table["found_hz"] - target_hz) / table["bin (Hz)"]
    return table


@dataclass(frozen=True)
class Grading:
    """The nulls of the peak ratio (Gaussian noise, the healthy record), their thresholds and the grades'."""

    noise_ratios: np.ndarray
    healthy_ratios: np.ndarray
    null_table: pd.DataFrame
    thresholds: Mapping[str, float]
    n_samples: int
    noise_trials: int
    noise_targets: tuple[float, float, int]
    tol: float

    def bins_searched(self, hz: float, *, fs: float) -> int:
        """How many bins a ``+-tol`` search window holds at ``hz`` in a record of :attr:`n_samples`."""
        return int(2 * self.tol * hz * self.n_samples / fs) + 1

    def noise_summary(self) -> dict:
        """The Gaussian null in numbers, for the results file."""
        return {"n_searches": int(self.noise_ratios.size), "thresholds": dict(self.thresholds),
                "false_alarm_at_10": false_alarm_rate(self.noise_ratios, 10.0),
                "max": float(self.noise_ratios.max()), "median": float(np.median(self.noise_ratios))}


def threshold_column(grade: str) -> str:
    """The column of :attr:`Grading.null_table` that holds the threshold of ``grade``."""
    return f"{grade}: {GRADE_FALSE_ALARMS[grade]:.0%} false alarms"


def grading_study(view: CwruView, spectra: Mapping[str, tuple[np.ndarray, np.ndarray]], *,
                  band: tuple[float, float], settings: Settings, seed: int) -> Grading:
    """The peak-ratio thresholds of every grade of :data:`bearingkit.dsp.lines.GRADE_FALSE_ALARMS`.

    Gaussian noise records of the fault records' median length go through the squared-envelope spectrum of
    ``band`` and the same search at targets spread over the searched range
    (:func:`bearingkit.dsp.lines.noise_peak_ratios`); the healthy record's own spectrum is searched at many
    places where no defect line is due (:func:`bearingkit.dsp.lines.spectrum_peak_ratios`). Each grade's
    threshold is the stricter of the two nulls'.
    """
    n_samples = int(np.median([r.n_samples for label, r in view.records.items() if label != "normal"]))
    low, high, n = settings.noise_targets
    noise = noise_peak_ratios(n_samples=n_samples, fs=view.fs, band=band,
                              targets=np.linspace(low, high, int(n)), tol=settings.line_tol,
                              floor_tol=settings.floor_tol, n_trials=settings.noise_trials, seed=seed)
    low, high, n = settings.healthy_targets
    healthy = spectrum_peak_ratios(*spectra["normal"], targets=np.geomspace(low, high, int(n)),
                                   tol=settings.line_tol, floor_tol=settings.floor_tol)
    nulls = {"Gaussian noise": noise, f"healthy {view.numbers['normal']}.mat": healthy}
    null_table = pd.DataFrame({name: {"searches": r.size, "median": np.median(r),
                                      **{threshold_column(grade): ratio_threshold(r, false_alarm=p)
                                         for grade, p in GRADE_FALSE_ALARMS.items()},
                                      "max": r.max(), "false alarms at 10": false_alarm_rate(r, 10.0)}
                               for name, r in nulls.items()}).T
    thresholds = {grade: max(ratio_threshold(r, false_alarm=p) for r in nulls.values())
                  for grade, p in GRADE_FALSE_ALARMS.items()}
    return Grading(noise_ratios=noise, healthy_ratios=healthy, null_table=null_table,
                   thresholds=MappingProxyType(thresholds), n_samples=n_samples,
                   noise_trials=settings.noise_trials, noise_targets=settings.noise_targets,
                   tol=settings.line_tol)


def graded_peaks(tables: Mapping[str, pd.DataFrame], thresholds: Mapping[str, float]) -> pd.DataFrame:
    """Every record's line table in one, indexed by (record, line), with each line's grade."""
    peaks = pd.concat(tables, names=["record"])
    return peaks.assign(grade=grade_lines(peaks, thresholds))


@dataclass(frozen=True)
class Prewhitened:
    """Peak ratios after cepstral pre-whitening beside those of the band-passed squared envelope."""

    ratios: Mapping[str, pd.Series]
    at_edge: Mapping[str, pd.Series]
    table: pd.DataFrame


def prewhitened_lines(view: CwruView, tables: Mapping[str, pd.DataFrame], *, band: tuple[float, float]
                      ) -> Prewhitened:
    """The race, ball, shaft and near-120-Hz lines of every record after cepstral pre-whitening.

    :func:`bearingkit.dsp.spectral.cepstral_prewhitening` sets the spectrum's magnitude to one and keeps its
    phase; the squared envelope of ``band`` is then searched (Smith & Randall 2015). The table sets the
    ratios beside those of :func:`peak_tables` (``band-passed``).
    """
    ratios, edges = {}, {}
    for label, r in view.records.items():
        f, a = envelope_spectrum(cepstral_prewhitening(r.signal, fs=view.fs), fs=view.fs, band=band,
                                 squared=True)
        lines = view.lines[label]
        table = line_table(f, a, {"BPFO": lines.bpfo, "BPFI": lines.bpfi, "2xBSF": lines.bsf_2x,
                                  "shaft": lines.shaft, "near 120 Hz": 120.0})
        ratios[label], edges[label] = table["ratio"], table["at_edge"]
    band_passed = pd.DataFrame({label: tables[label]["ratio"] for label in view.records})
    table = pd.concat({"band-passed": band_passed.reindex(["BPFO", "BPFI", "2xBSF", "shaft"]),
                       "pre-whitened": pd.DataFrame(ratios)}, names=["method", "line"])
    return Prewhitened(ratios=MappingProxyType(ratios), at_edge=MappingProxyType(edges), table=table)


@dataclass(frozen=True)
class LineShift:
    """BPFO and BPFI as measured multiples of the shaft rate, beside the published ones.

    ``measured`` divides each line by its record's measured shaft rate, ``header`` by the header's rpm / 60;
    ``shift`` is ``measured / published - 1``.
    """

    measured: Mapping[str, float]
    header: Mapping[str, float]
    published: Mapping[str, float]
    shift: Mapping[str, float]

    def summary(self) -> dict:
        """The three mappings, for the results file."""
        return {"measured_multiples": dict(self.measured), "header_multiples": dict(self.header),
                "relative_shift": dict(self.shift)}


def measured_multiple(table: pd.DataFrame, family: str, shaft_hz: float, *,
                      harmonics: Iterable[int] = (1, 2, 3)) -> float:
    """A line family's multiple of ``shaft_hz``: each harmonic found, over its number, averaged."""
    harmonics = tuple(harmonics)
    names = harmonic_lines({family: 1.0}, harmonics=harmonics)
    return float(np.mean([table.loc[name, "found_hz"] / (k * shaft_hz)
                          for k, name in zip(harmonics, names, strict=True)]))


#: The record whose own line gives each race multiple, and the line's family.
_RACE_LINES: Mapping[str, tuple[str, str]] = MappingProxyType({"bpfo": ("outer", "BPFO"),
                                                               "bpfi": ("inner", "BPFI")})


def line_shift(tables: Mapping[str, pd.DataFrame], view: CwruView) -> LineShift:
    """BPFO in the outer-race record and BPFI in the inner-race record, as measured multiples of the shaft."""
    published = BEARINGS["cwru_de"].published
    measured = {key: measured_multiple(tables[label], family, view.shaft_hz[label])
                for key, (label, family) in _RACE_LINES.items()}
    header = {key: measured_multiple(tables[label], family, view.lines[label].shaft)
              for key, (label, family) in _RACE_LINES.items()}
    shift = {key: measured[key] / published[key] - 1 for key in measured}
    return LineShift(measured=MappingProxyType(measured), header=MappingProxyType(header),
                     published=MappingProxyType({key: published[key] for key in measured}),
                     shift=MappingProxyType(shift))
