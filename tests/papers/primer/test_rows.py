"""The primer's rows compute their status from the stated tolerances; the details gather every stage."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.primer import (
    bands,
    detection,
    envelope,
    exercises,
    geometry,
    method,
    rate,
    rows,
    settings,
    traps,
)
from bearingkit.papers.primer.simulated import mafaulda_separation
from bearingkit.papers.primer.text import level_reading_text
from bearingkit.physics.kinematics import BEARINGS
from bearingkit.report.results import to_jsonable


def test_multiple_rows_catch_a_wrong_geometry():
    checks = geometry.published_multiples()
    found = rows.multiple_rows(checks)
    assert len(found) == sum(len(check) for check in checks.values())
    assert {r["status"] for r in found} == {"reproduced"}
    assert {r["paper"] for r in found} == {source for source, _ in rows.MULTIPLE_SOURCES.values()}
    eight_balls = dataclasses.replace(BEARINGS["cwru_de"], n_elements=8)
    wrong = rows.multiple_rows(geometry.published_multiples({"cwru_de": eight_balls}))
    statuses = {r["quantity"].split()[0]: r["status"] for r in wrong}
    assert statuses["bpfo"] == statuses["bpfi"] == "differs"
    assert statuses["ftf"] == "reproduced"          # the cage rate does not depend on the ball count


def test_envelope_line_rows_compare_with_the_published_multiple_within_the_stated_tolerance():
    rpm = 1797.0
    bpfo = BEARINGS["cwru_de"].published["bpfo"] * rpm / 60
    offsets = {"BPFO": 0.003, "2xBPFO": -0.003, "3xBPFO": 2 * rows.LINE_REL_TOLERANCE}
    found = pd.DataFrame({"found_hz": [k * bpfo * (1 + offsets[name])
                                       for k, name in enumerate(offsets, start=1)]}, index=list(offsets))
    table = rows.envelope_line_rows({"outer": found, "normal": found.iloc[:0]}, {"outer": rpm, "normal": rpm})
    assert [r["status"] for r in table] == ["reproduced", "reproduced", "differs"]
    assert [r["paper_value"] for r in table] == pytest.approx([bpfo, 2 * bpfo, 3 * bpfo])
    assert all(r["unit"] == "Hz" and r["data_kind"] == "real" and "130.mat" in r["quantity"] for r in table)


def test_envelope_line_rows_say_why_an_edge_maximum_differs():
    rpm = 1797.0
    bsf = BEARINGS["cwru_de"].published["bsf_2x"] * rpm / 60
    names = ["2xBSF", "2x(2xBSF)", "3x(2xBSF)"]
    found = pd.DataFrame({"found_hz": [k * bsf * 1.017 for k in (1, 2, 3)], "at_edge": [True] * 3},
                         index=names)
    table = rows.envelope_line_rows({"ball": found}, {"ball": rpm})
    assert [r["status"] for r in table] == ["differs"] * 3
    assert all("outer half" in r["reason"] for r in table)


def test_sampling_rate_and_simulated_rows_compute_their_status():
    assert rows.sampling_rate_row(48_000.0)["status"] == "reproduced"
    assert rows.sampling_rate_row(12_000.0)["status"] == "differs"
    speed = 60 * 36.864
    bpfo = BEARINGS["mafaulda"].published["bpfo"] * speed / 60
    row = rows.simulated_line_row(bpfo * 1.002, speed_rpm=speed, channel="underhang_radial")
    assert (row["data_kind"], row["status"]) == ("simulated", "reproduced")
    assert rows.simulated_line_row(bpfo * 1.03, speed_rpm=speed, channel="x")["status"] == "differs"


@pytest.fixture(scope="module")
def stages(synthetic_view, simulated, small_split_study, short_settings, sk_study):
    """Every stage of the notebook on small inputs, in the notebook's order."""
    view, band = synthetic_view, (2_000.0, 4_000.0)
    params = settings.check_parameters(records=dict(view.numbers), band=band, kurtogram_level0="envelope",
                                       window=2048, hop=2048, classifier="random_forest", sim_slip=0.015,
                                       sim_snr_db=-10.0, sim_resonance_hz=3_000.0, seed=0)
    rig = method.teaching_rig(slip=0.015, resonance_hz=3_000.0)
    spectra = envelope.envelope_spectra(view, dict.fromkeys(view.records, band))
    tables = envelope.peak_tables(spectra, view.lines)
    grading = envelope.grading_study(view, spectra, band=band, seed=0,
                                     settings=dataclasses.replace(short_settings, noise_trials=2))
    shift = envelope.line_shift(tables, view)
    t = np.arange(4 * 48_000) / 48_000
    x = sum(np.cos(2 * np.pi * k * 1796.0 / 60 * t) / k for k in (1, 2, 3))
    x = x + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    raw = rate.Recording(x, fs=48_000.0, label="normal", dataset="cwru", source="97", rpm=1796.0, load=0.0,
                         extra={"number": 97})
    held = traps.held_out_size(small_split_study, fs=12_000.0, band=band, sizes=(0.007, 0.021))
    return {
        "parameters": params, "settings": short_settings, "checks": geometry.published_multiples(),
        "view": view,
        "steps": method.method_steps(rig, speed_rpm=997.0, load=(124.8, 0.0), snr_db=-10.0, duration=1.0),
        "detection": detection.detection_study(view.records["normal"], dict(view.records)),
        "kurtograms": bands.kurtogram_study(view.signals(), fs=12_000.0, nlevel=4, level0="envelope"),
        "spectral_kurtosis": sk_study,
        "near_120": envelope.line_near(spectra, view), "grading": grading, "tables": tables, "shift": shift,
        "band_width": bands.band_width_study(view.records["inner"].signal, fs=12_000.0, centre_hz=3_000.0,
                                             widths=(400.0, 1_600.0),
                                             lines={"BPFI": view.lines["inner"].bpfi}),
        "rate": rate.rate_evidence(raw, n_harmonics=2),
        "trap": rate.rate_trap(view.faulty(), raw, window=1024),
        "simulated": simulated, "separation": mafaulda_separation(simulated),
        "splits": small_split_study, "held_out": held,
        "overlap": traps.overlap_control(small_split_study, fs=12_000.0, window=2048, hop=2048, n_stretches=5,
                                         seed=0),
        "answers": {"E4": exercises.thrust_answer(), "E5": exercises.mafaulda_answer(simulated)},
    }


def test_results_rows_and_their_table(stages):
    found = rows.results_rows(stages["checks"], stages["tables"], stages["view"], decided_fs=48_000.0,
                              simulated=stages["simulated"])
    assert len(found) == 14 + 3 * 3 + 2                 # multiples, 3 lines of 3 records, rate, simulated
    table = rows.rows_table(found)
    assert list(table.columns)[-1] == "difference"
    assert table["difference"].tolist() == pytest.approx((table["ours_mean"] - table["paper_value"]).tolist())


def test_results_details_gather_every_stage_and_are_json(stages, mirror):
    details = rows.results_details(**stages)
    assert set(details) == {"settings", "parameters", "method_steps", "kinematics", "cwru_band_hz",
                            "kurtogram_level0", "peak_ratio_noise", "envelope_peaks", "line_shift",
                            "shaft_hz",
                            "line_near_120", "line_near_120_is_4fr", "condition", "stft_sk", "band_width",
                            "sampling_rate_97", "simulated", "mafaulda_separation", "splits", "exercises"}
    assert details["settings"]["sim_duration"] == 1.0 and details["cwru_band_hz"] == [2_000.0, 4_000.0]
    assert set(details["envelope_peaks"]) == {"97", "105", "118", "130"}
    assert details["envelope_peaks"]["130"]["lines"]["BPFO"]["grade"] == "Y"
    assert details["splits"]["level_test"]["reading"] == level_reading_text(stages["held_out"])
    assert details["sampling_rate_97"]["duration_s_at"] == {"12000": 16.0, "48000": 4.0}
    json.dumps(to_jsonable(details), allow_nan=False)
