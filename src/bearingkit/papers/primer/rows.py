"""The primer's results: the rows a published source also gives, and the details the tests read.

The rows (:mod:`bearingkit.report.results`): the published defect multiples against our kinematics
(:func:`multiple_rows`), each fault record's own envelope line against the published multiple at the
record's speed (:func:`envelope_line_rows`), Smith & Randall's (2015) [1]_ 48 kHz for 97.mat against the rate
decided from its content (:func:`sampling_rate_row`), and the simulated MAFAULDA-like rig's BPFO line against
MAFAULDA's published multiple (:func:`simulated_line_row`), with the tolerances stated once below (that
of the envelope lines takes into account the 1-2 % slip of real elements, Randall & Antoni 2011 [2]_).
:func:`results_details` gathers the numbers behind every table and sentence of the notebook.

References
----------
.. [1] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
.. [2] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import pandas as pd

from bearingkit.dsp.lines import grade_lines, harmonic_lines
from bearingkit.papers.primer import claims
from bearingkit.papers.primer.bands import BandWidth, KurtogramStudy, SpectralKurtosis
from bearingkit.papers.primer.data import CWRU_RECORDS, OWN_LINE, CwruView
from bearingkit.papers.primer.detection import Detection
from bearingkit.papers.primer.envelope import FAMILY_KEY, Grading, LineShift
from bearingkit.papers.primer.method import MethodSteps
from bearingkit.papers.primer.rate import RateEvidence, RateTrap
from bearingkit.papers.primer.settings import Parameters, Settings
from bearingkit.papers.primer.simulated import SimulatedStudy
from bearingkit.papers.primer.text import level_reading_text
from bearingkit.papers.primer.traps import HeldOutSize, OverlapControl, SplitStudy
from bearingkit.physics.kinematics import BEARINGS
from bearingkit.report import reference, results

__all__ = [
    "LINE_REL_TOLERANCE",
    "MULTIPLE_REL_TOLERANCE",
    "MULTIPLE_SOURCES",
    "SAMPLING_RATE_TOLERANCE_HZ",
    "envelope_line_rows",
    "multiple_rows",
    "results_details",
    "results_rows",
    "rows_table",
    "sampling_rate_row",
    "simulated_line_row",
]

#: Relative tolerance of a defect multiple computed from the geometry against the published one. The sources
#: print multiples to 4-5 significant digits and the geometry to 4 (0.3126 in, 1.537 in): rounding alone moves
#: a multiple by a few 1e-4 of its value, and 1e-3 leaves room for that and for nothing else (a wrong ball
#: count or contact angle moves it by percents).
MULTIPLE_REL_TOLERANCE = 1e-3
#: Relative tolerance of a measured envelope line against the published multiple times the record's shaft
#: rate. Real elements slip 1-2 % (Randall & Antoni 2011), the lines are searched within +-2 % of their
#: place, and the record's rpm is measured: a line within 1 % (half the search window) is the defect line,
#: one further off may be a neighbouring line that the window happens to hold.
LINE_REL_TOLERANCE = 0.01
#: A sampling rate is decided among candidate rates: the decision is right or wrong, nothing in between.
SAMPLING_RATE_TOLERANCE_HZ = 0.0

#: Where each bearing's published multiples come from: ``(data/reference key, item)``; the multiples are typed
#: once, in :data:`bearingkit.physics.kinematics.BEARINGS` (``published``).
MULTIPLE_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "cwru_de": ("cwru_bearing_data_center", "Bearing Information page"),
    "cwru_fe": ("cwru_bearing_data_center", "Bearing Information page"),
    "mfpt": ("mfpt_fault_data", "data set documentation"),
    "mafaulda": ("mafaulda", "data set page"),
})


def multiple_rows(checks: Mapping[str, pd.DataFrame]) -> list[dict]:
    """One results row per published defect multiple of
    :func:`bearingkit.papers.primer.geometry.published_multiples` (unit: x shaft speed).

    Tolerance: :data:`MULTIPLE_REL_TOLERANCE` of the published value.
    """
    rows = []
    for key, check in checks.items():
        source, item = MULTIPLE_SOURCES[key]
        bearing = BEARINGS[key]
        for defect, line in check.iterrows():
            rows.append(results.row(
                paper=source, item=item, quantity=f"{defect} multiple of shaft speed, {bearing.designation}",
                dataset=bearing.rig, data_kind="real", split=results.PAPER_SPLIT, paper_value=line["paper"],
                ours=line["ours"], tolerance=MULTIPLE_REL_TOLERANCE * abs(line["paper"]), unit="x shaft"))
    return rows


def envelope_line_rows(tables: Mapping[str, pd.DataFrame], rpm: Mapping[str, float], *,
                       numbers: Mapping[str, int] = CWRU_RECORDS, harmonics: Iterable[int] = (1, 2, 3)
                       ) -> list[dict]:
    """Results rows: each fault record's own defect line (and harmonics) found against the published one.

    The published value is the CWRU data centre's multiple (:data:`BEARINGS` ``["cwru_de"].published``) times
    the harmonic and the record's shaft rate ``rpm / 60``; ours, the line
    :func:`bearingkit.papers.primer.envelope.peak_tables` found. Tolerance: :data:`LINE_REL_TOLERANCE` of the
    published value.

    Parameters
    ----------
    tables : mapping of label to pd.DataFrame
        :func:`bearingkit.papers.primer.envelope.peak_tables`; only the labels of
        :data:`bearingkit.papers.primer.data.OWN_LINE` give rows.
    rpm : mapping of label to float
        Each record's speed.
    """
    published = BEARINGS["cwru_de"].published
    source, item = MULTIPLE_SOURCES["cwru_de"]
    harmonics = tuple(harmonics)
    rows = []
    for label, table in tables.items():
        if label not in OWN_LINE:
            continue
        family = OWN_LINE[label]
        for name, k in zip(harmonic_lines({family: 1.0}, harmonics=harmonics), harmonics, strict=True):
            expected = k * published[FAMILY_KEY[family]] * rpm[label] / 60
            edge = bool(table.loc[name, "at_edge"]) if "at_edge" in table.columns else False
            rows.append(results.row(
                paper=source, item=item, quantity=f"{name} line, squared-envelope spectrum of "
                                                  f"{numbers[label]}.mat ({label})",
                dataset="CWRU", data_kind="real", split=results.PAPER_SPLIT, paper_value=expected,
                ours=table.loc[name, "found_hz"], tolerance=LINE_REL_TOLERANCE * expected, unit="Hz",
                reason=("the maximum of the search window lies in its outer half: no line at the expected "
                        "place") if edge else ""))
    return rows


def simulated_line_row(found_hz: float, *, speed_rpm: float, channel: str) -> dict:
    """Results row: the simulated MAFAULDA-like rig's BPFO line against MAFAULDA's published multiple.

    The simulator builds its impacts from the geometry, so this row checks the simulator's envelope line
    against the published 2.998 x shaft speed (tolerance :data:`LINE_REL_TOLERANCE`).
    """
    source, item = MULTIPLE_SOURCES["mafaulda"]
    expected = BEARINGS["mafaulda"].published["bpfo"] * speed_rpm / 60
    quantity = (f"BPFO line, squared-envelope spectrum, {channel} channel, outer-race fault, "
                f"{speed_rpm / 60:.1f} Hz")
    return results.row(paper=source, item=item, quantity=quantity, dataset="MAFAULDA-like rig",
                       data_kind="simulated", split=results.PAPER_SPLIT, paper_value=expected, ours=found_hz,
                       tolerance=LINE_REL_TOLERANCE * expected, unit="Hz")


def sampling_rate_row(decided_fs: float) -> dict:
    """Results row: 97.mat's rate decided from its own spectrum against Smith & Randall's (2015) 48 kHz."""
    return results.row(paper="smith_randall2015", item=reference.published("smith_randall2015", "item_97mat"),
                       quantity="sampling rate of 97.mat (normal, 0 HP), decided from its shaft harmonics",
                       dataset="CWRU", data_kind="real", split=results.PAPER_SPLIT,
                       paper_value=reference.published("smith_randall2015", "fs_97mat_hz"), ours=decided_fs,
                       tolerance=SAMPLING_RATE_TOLERANCE_HZ, unit="Hz")


def results_rows(checks: Mapping[str, pd.DataFrame], tables: Mapping[str, pd.DataFrame], view: CwruView, *,
                 decided_fs: float, simulated: SimulatedStudy, channel: str = "underhang_radial"
                 ) -> list[dict]:
    """Every row of the primer: multiples, the fault records' own lines, 97.mat's rate, the simulated line."""
    found = simulated.checks[f"mafaulda/outer/{channel}"]["found_hz"]
    return [*multiple_rows(checks),
            *envelope_line_rows(tables, {label: r.rpm for label, r in view.records.items()},
                                numbers=view.numbers),
            sampling_rate_row(decided_fs),
            simulated_line_row(found, speed_rpm=simulated.mafaulda_speed_rpm, channel=channel)]


def rows_table(rows: Sequence[Mapping]) -> pd.DataFrame:
    """The rows as a table: source, quantity, unit, published value, ours, tolerance, status, difference."""
    table = pd.DataFrame(rows)
    return (table[["paper", "quantity", "unit", "paper_value", "ours_mean", "tolerance", "status"]]
            .assign(difference=table["ours_mean"] - table["paper_value"]))


def _peaks_for_results(table: pd.DataFrame, thresholds: Mapping[str, float]) -> dict:
    grades = grade_lines(table, thresholds)
    return {line: {"expected_hz": row["expected_hz"], "found_hz": row["found_hz"],
                   "rel_error": row["rel_error"], "ratio": row["ratio"], "at_edge": bool(row["at_edge"]),
                   "grade": grades[line]}
            for line, row in table.iterrows()}


def results_details(*, parameters: Parameters, settings: Settings, steps: MethodSteps,
                    checks: Mapping[str, pd.DataFrame], view: CwruView, detection: Detection,
                    kurtograms: KurtogramStudy, spectral_kurtosis: SpectralKurtosis, near_120: pd.DataFrame,
                    band_width: BandWidth, grading: Grading, tables: Mapping[str, pd.DataFrame],
                    shift: LineShift, rate: RateEvidence, trap: RateTrap, simulated: SimulatedStudy,
                    separation: pd.DataFrame, splits: SplitStudy, overlap: OverlapControl,
                    held_out: HeldOutSize, answers: Mapping[str, dict]) -> dict:
    """The numbers behind every table and sentence of the notebook, for the results file's ``details``."""
    numbers = view.numbers
    rec = rate.recording
    return {
        "settings": dataclasses.asdict(settings),
        "parameters": parameters.as_dict(),
        "method_steps": steps.summary(),
        "kinematics": {key: {defect: {"published": row["paper"], "ours": row["ours"],
                                      "rel_difference": row["rel_difference"]}
                             for defect, row in check.iterrows()}
                       for key, check in checks.items()},
        "cwru_band_hz": parameters.band if parameters.band == "kurtogram" else list(parameters.band),
        "kurtogram_level0": {str(numbers[label]): kurtograms.level0.loc[label].to_dict(orient="index")
                             for label in numbers},
        "peak_ratio_noise": grading.noise_summary(),
        "envelope_peaks": {str(numbers[label]): {"label": label, "rpm": view.records[label].rpm,
                                                 "lines": _peaks_for_results(table, grading.thresholds)}
                           for label, table in tables.items()},
        "line_shift": shift.summary(),
        "shaft_hz": {str(numbers[label]): {"measured": view.shaft_hz[label],
                                           "header": view.records[label].rpm / 60} for label in numbers},
        "line_near_120": {str(numbers[label]): row.to_dict() for label, row in near_120.iterrows()},
        "line_near_120_is_4fr": claims.line_is_shaft_harmonic(near_120, harmonic_column="bins from 4 f_r",
                                                              mains_column="bins from 120 Hz"),
        "condition": {"table": detection.table.reset_index(names="key").to_dict(orient="records"),
                      "healthy_baseline": detection.baseline.to_dict(), "flagged": detection.flagged()},
        "stft_sk": {"frames": list(spectral_kurtosis.frames), "ar_order": spectral_kurtosis.ar_order,
                    "falls_with_frame": claims.sk_falls_with_frame(
                        {label: spectral_kurtosis.largest(label) for label in ("outer", "inner")}),
                    "table": spectral_kurtosis.table.reset_index().to_dict(orient="records")},
        "band_width": {"depth": {str(w): row.to_dict() for w, row in band_width.depth.iterrows()},
                       "half_width_hz": band_width.half_width, "lines_hz": dict(band_width.lines_hz),
                       "follows_rule": claims.band_follows_rule(band_width.half_width, band_width.lines_hz)},
        "sampling_rate_97": {
            "decided_fs": rate.decided_fs, "rpm": rec.rpm,
            "evidence": rate.evidence.to_dict(orient="records"),
            "harmonic_family": rate.family_counts.reset_index().to_dict(orient="records"),
            "duration_s_at": {f"{fs:g}": rec.n_samples / fs for fs in rate.shaft_peaks},
            "rate_trap": trap.table().to_dict(orient="index"),
            "wrong_stump_calls_resampled_normal": trap.wrong_stump_calls_resampled_normal,
        },
        "simulated": dict(simulated.checks),
        "mafaulda_separation": separation.to_dict(orient="index"),
        "splits": {
            "records": len(splits.numbers), "windows": len(splits.windows), "window": parameters.window,
            "hop": parameters.hop, "classifier": splits.classifier, "n_features": splits.X.shape[1],
            "seconds": splits.seconds, "records_per_class": dict(splits.records_per_class),
            "mean_accuracy": splits.mean_accuracy(), "folds": splits.scores.to_dict(orient="records"),
            "overlap_1nn": overlap.table.to_dict(orient="index"),
            "contiguous_record_guess": overlap.record_guess,
            "level_test": {"raw": held_out.level_test["raw windows"].to_dict(),
                           "unit_rms": held_out.level_test["unit-RMS windows"].to_dict(),
                           "reading": level_reading_text(held_out)},
            "outer_race_records": held_out.outer_race.reset_index().to_dict(orient="records"),
            "worst_held_out_size": {
                "fault_size": held_out.held_out, "accuracy": held_out.accuracy,
                "confusion": held_out.confusion.to_dict(orient="index"),
                "per_record": held_out.per_record.reset_index().to_dict(orient="records")},
        },
        "exercises": dict(answers),
    }
