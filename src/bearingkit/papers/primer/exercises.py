"""Sect. 7 of the primer: the exercises' answers, computed from the data.

1. A blind diagnosis of six unlabelled CWRU records by the tallest graded defect line (:func:`blind_test`).
2. Contact angle or slip, from the measured BPFO and BPFI (:func:`contact_angle_answer`).
3. Where 97.mat's lines fall when it is read at 12 kHz (:func:`misread_lines`).
4. Why BPFO and BPFI coincide on a thrust bearing (:func:`thrust_answer`).
5. How far MAFAULDA's BPFO lies from a shaft harmonic, and the record length that would separate them
   (:func:`mafaulda_answer`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.dsp.lines import grade_lines, harmonic_separation, line_table
from bearingkit.dsp.spectral import envelope_spectrum, peak_near, spectrum_db
from bearingkit.papers.primer.data import CwruView
from bearingkit.papers.primer.envelope import LineShift
from bearingkit.papers.primer.simulated import SimulatedStudy
from bearingkit.physics.kinematics import (
    BEARINGS,
    BearingGeometry,
    defect_frequencies,
    defect_multiples,
    effective_geometry,
)
from bearingkit.recording import Recording

__all__ = [
    "BlindTest",
    "MisreadLines",
    "blind_diagnosis",
    "blind_test",
    "contact_angle_answer",
    "mafaulda_answer",
    "misread_lines",
    "thrust_answer",
]


def blind_diagnosis(signal, *, fs: float, rpm: float, band: tuple[float, float],
                    thresholds: Mapping[str, float], tol: float = 0.02) -> pd.DataFrame:
    """Grade each fault family's line in the squared-envelope spectrum of one unlabelled CWRU DE record.

    BPFO, BPFI and 2 x BSF at the record's speed are searched (:func:`bearingkit.dsp.lines.line_table`) and
    graded by their peak ratio (:func:`bearingkit.dsp.lines.grade_ratio`). The decision rule: the diagnosis
    is the family whose line has the largest peak ratio among the lines not ``at_edge`` of their window (none
    when all three are); a grade plays no part in it, so the chosen family's grade says how far its line
    stands above noise, not whether the diagnosis is right.

    Returns
    -------
    pd.DataFrame
        Indexed by family (``outer``, ``inner``, ``ball``): ``line``, ``found_hz``, ``ratio``, ``at_edge``,
        ``grade`` and ``diagnosis`` (True on the family chosen).
    """
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=rpm)
    freqs, amplitude = envelope_spectrum(signal, fs=fs, band=band, squared=True)
    table = line_table(freqs, amplitude, {"BPFO": lines.bpfo, "BPFI": lines.bpfi, "2xBSF": lines.bsf_2x},
                       tol=tol)
    table = table.assign(family=["outer", "inner", "ball"]).reset_index().set_index("family")
    table["grade"] = grade_lines(table, thresholds)
    eligible = table["ratio"].where(~table["at_edge"])
    table["diagnosis"] = (eligible == eligible.max()) & eligible.notna()
    return table[["line", "found_hz", "ratio", "at_edge", "grade", "diagnosis"]]


@dataclass(frozen=True)
class BlindTest:
    """Exercise 1: every blind record's graded lines (``diagnoses``) and its diagnosis against the truth."""

    diagnoses: pd.DataFrame
    verdict: pd.DataFrame
    band: tuple[float, float]
    thresholds: Mapping[str, float]

    @property
    def wrong(self) -> pd.DataFrame:
        """The rows of :attr:`verdict` whose diagnosis is not the truth."""
        return self.verdict[~self.verdict["right"]]

    def answer(self) -> dict:
        """The answer in numbers, for the results file."""
        names = list(self.verdict.index)
        return {"band_hz": list(self.band), "thresholds": dict(self.thresholds),
                "wrong_grades": self.wrong["grade"].tolist(),
                "records": self.verdict.reset_index().to_dict(orient="records"),
                "ratios": {name: self.diagnoses.loc[name, "ratio"].to_dict() for name in names},
                "at_edge": {name: self.diagnoses.loc[name, "at_edge"].to_dict() for name in names},
                "right": int(self.verdict["right"].sum())}


def _chosen(table: pd.DataFrame) -> tuple[str | None, str]:
    """The family a blind diagnosis names (None when every line is at its window's edge), and its grade."""
    picked = table.index[table["diagnosis"].to_numpy()]
    return (picked[0], table.loc[picked[0], "grade"]) if len(picked) else (None, "N")


def blind_test(records: Mapping[str, Recording], *, band: tuple[float, float], thresholds: Mapping[str, float]
               ) -> BlindTest:
    """:func:`blind_diagnosis` of every record, and whether each diagnosis names the record's true fault."""
    diagnoses = pd.concat({name: blind_diagnosis(rec.signal, fs=rec.fs, rpm=rec.rpm, band=band,
                                                 thresholds=thresholds)
                           for name, rec in records.items()}, names=["record"])
    rows = []
    for name, rec in records.items():
        diagnosis, grade = _chosen(diagnoses.loc[name])
        rows.append({"record": name, "file": f"{rec.extra['number']}.mat", "diagnosis": diagnosis,
                     "grade": grade, "truth": rec.label, "size_in": rec.fault_size})
    verdict = pd.DataFrame(rows).set_index("record")
    verdict["right"] = verdict["diagnosis"] == verdict["truth"]
    return BlindTest(diagnoses=diagnoses, verdict=verdict, band=tuple(band),
                     thresholds=MappingProxyType(dict(thresholds)))


def contact_angle_answer(shift: LineShift, view: CwruView, *,
                         bearing: BearingGeometry = BEARINGS["cwru_de"]) -> dict:
    """Exercise 2: :func:`bearingkit.physics.kinematics.effective_geometry` of the measured race multiples.

    Read from the lines divided by the measured shaft rates and by the headers' rpm; ``gamma_published`` is
    the same ``gamma`` from the published multiples.
    """
    ratio = bearing.ball_diameter / bearing.pitch_diameter
    fit = {name: effective_geometry(m["bpfo"], m["bpfi"], shaft_hz=1.0, n_elements=bearing.n_elements,
                                    ball_over_pitch=ratio)
           for name, m in (("measured", shift.measured), ("header", shift.header))}
    bpfo, bpfi = bearing.published["bpfo"], bearing.published["bpfi"]
    numbers = {label: str(view.numbers[label]) for label in ("outer", "inner")}
    return {"measured_multiples": dict(shift.measured), "header_multiples": dict(shift.header),
            "gamma": fit["measured"]["gamma"],
            "gamma_published": (bpfi - bpfo) / (bpfi + bpfo),
            "contact_angle_deg": fit["measured"]["contact_angle_deg"],
            "slip_at_nominal_angle": fit["measured"]["slip_at_nominal_angle"],
            "sum_ratio": fit["measured"]["sum_ratio"], "sum_ratio_header": fit["header"]["sum_ratio"],
            "ball_over_pitch": ratio,
            "shaft_hz": {numbers[label]: view.shaft_hz[label] for label in numbers},
            "rpm_header": {numbers[label]: view.records[label].rpm for label in numbers}}


@dataclass(frozen=True)
class MisreadLines:
    """Exercise 3: where the true lines of a file land when it is read at a wrong rate, and what is found."""

    table: pd.DataFrame
    bin_hz: float
    decided_fs: float
    read_fs: float

    def answer(self) -> dict:
        """The answer in numbers, for the results file."""
        return {"bin_hz": self.bin_hz, "lines": self.table.reset_index().to_dict(orient="records")}


def misread_lines(recording: Recording, *, decided_fs: float, read_fs: float = 12_000.0,
                  mains_hz: tuple[float, ...] = (60.0, 120.0, 240.0, 360.0)) -> MisreadLines:
    """The shaft line, its 2nd harmonic and the mains lines of ``recording`` read at ``read_fs``.

    Each true line at ``hz`` is predicted at ``hz * read_fs / decided_fs`` and searched within two bins of
    the misread spectrum (:func:`bearingkit.dsp.spectral.spectrum_db`); ``offset_bins`` is how far the line
    found lies from the prediction.
    """
    shaft = recording.rpm / 60
    true_lines = {"shaft": shaft, "2 x shaft": 2 * shaft, **{f"{hz:g} Hz mains": hz for hz in mains_hz}}
    freqs, level = spectrum_db(recording.signal, fs=read_fs, pad=8)
    bin_hz = read_fs / recording.n_samples
    rows = []
    for name, hz in true_lines.items():
        predicted = hz * read_fs / decided_fs
        peak = peak_near(freqs, 10 ** (level / 20), target=predicted, tol=2 * bin_hz / predicted)
        rows.append({"line": name, "true_hz": hz, "predicted_hz": predicted, "found_hz": peak.frequency,
                     "level_db": 20 * np.log10(peak.amplitude)})
    table = pd.DataFrame(rows).set_index("line")
    table["offset_bins"] = (table["found_hz"] - table["predicted_hz"]) / bin_hz
    return MisreadLines(table=table, bin_hz=bin_hz, decided_fs=decided_fs, read_fs=read_fs)


def thrust_answer(bearing: BearingGeometry = BEARINGS["axial"]) -> dict:
    """Exercise 4: ``gamma`` and the race multiples of a thrust bearing (90 degree contact: BPFO = BPFI)."""
    multiples = defect_multiples(bearing)
    gamma = bearing.ball_diameter / bearing.pitch_diameter * np.cos(np.radians(bearing.contact_angle_deg))
    return {"contact_angle_deg": bearing.contact_angle_deg, "gamma": float(gamma), "bpfo_x": multiples.bpfo,
            "bpfi_x": multiples.bpfi, "n_elements": bearing.n_elements}


def mafaulda_answer(study: SimulatedStudy, *, resolvable_bins: float = 2.0,
                    published: Mapping[str, float] = BEARINGS["mafaulda"].published) -> dict:
    """Exercise 5: MAFAULDA's BPFO against the 3rd shaft harmonic, and the record length for two bins.

    :func:`bearingkit.dsp.lines.harmonic_separation` of the published BPFO at the study's MAFAULDA speed on
    records of MAFAULDA's length, and ``duration_for_two_bins_s``: the length at which the gap spans
    ``resolvable_bins``.
    """
    shaft, duration_s = study.mafaulda_speed_rpm / 60, study.mafaulda_duration_s
    separation = harmonic_separation(published["bpfo"], shaft_hz=shaft, duration_s=duration_s,
                                     resolvable_bins=resolvable_bins)
    return {**separation, "multiple": published["bpfo"], "shaft_hz": shaft, "duration_s": duration_s,
            "duration_for_two_bins_s": resolvable_bins / separation["gap_hz"]}
