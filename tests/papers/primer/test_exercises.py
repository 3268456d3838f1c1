"""Sect. 7: the exercises' answers on inputs with known answers."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pytest

from bearingkit.papers.primer import exercises
from bearingkit.papers.primer.envelope import LineShift
from bearingkit.physics.kinematics import BEARINGS, defect_frequencies
from bearingkit.recording import Recording


def _inner_fault(seed: int = 0, *, number: int = 105, label: str = "inner") -> Recording:
    fs, rpm = 12_000.0, 1797.0
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=rpm)
    t = np.arange(int(10 * fs)) / fs
    x = (1 + 0.8 * np.cos(2 * np.pi * lines.bpfi * t)) * np.sin(2 * np.pi * 3_000 * t)
    x += 0.5 * np.random.default_rng(seed).standard_normal(t.size)
    return Recording(x, fs=fs, label=label, dataset="cwru", source=str(number), rpm=rpm, fault_size=0.007,
                     extra={"number": number})


def test_blind_diagnosis_names_the_modulated_family():
    rec = _inner_fault()
    table = exercises.blind_diagnosis(rec.signal, fs=rec.fs, rpm=rec.rpm, band=(2_000, 4_000),
                                      thresholds={"Y": 4.0, "P": 3.0})
    assert table.index[table["diagnosis"]].tolist() == ["inner"]
    assert table.loc["inner", "grade"] == "Y"
    assert not table.loc["inner", "at_edge"]


def test_blind_test_checks_each_diagnosis_against_the_truth():
    records = {"A": _inner_fault(0), "B": _inner_fault(1, number=118, label="ball")}
    test = exercises.blind_test(records, band=(2_000.0, 4_000.0), thresholds={"Y": 4.0, "P": 3.0})
    assert test.verdict["diagnosis"].tolist() == ["inner", "inner"]
    assert test.verdict["right"].tolist() == [True, False]
    assert list(test.wrong.index) == ["B"]
    answer = test.answer()
    assert answer["right"] == 1 and answer["wrong_grades"] == ["Y"]
    assert answer["band_hz"] == [2_000.0, 4_000.0]
    assert set(answer["ratios"]["A"]) == {"outer", "inner", "ball"}


def test_contact_angle_answer_reads_gamma_from_the_measured_multiples(synthetic_view):
    bearing = BEARINGS["cwru_de"]
    published = bearing.published
    measured = MappingProxyType({"bpfo": published["bpfo"] * 1.003, "bpfi": published["bpfi"] * 0.998})
    shift = LineShift(measured=measured, header=measured, published=published,
                      shift={key: measured[key] / published[key] - 1 for key in measured})
    answer = exercises.contact_angle_answer(shift, synthetic_view)
    gamma = (measured["bpfi"] - measured["bpfo"]) / (measured["bpfi"] + measured["bpfo"])
    assert answer["gamma"] == pytest.approx(gamma) and answer["gamma"] < answer["gamma_published"]
    assert answer["slip_at_nominal_angle"] < 0 < answer["contact_angle_deg"]
    shaft = synthetic_view.shaft_hz
    assert answer["shaft_hz"] == {"130": shaft["outer"], "105": shaft["inner"]}
    assert answer["ball_over_pitch"] == pytest.approx(bearing.ball_diameter / bearing.pitch_diameter)


def test_misread_lines_land_where_the_rate_ratio_puts_them():
    fs, rpm = 48_000.0, 1_796.0
    t = np.arange(int(5 * fs)) / fs
    x = np.cos(2 * np.pi * rpm / 60 * t) + np.cos(2 * np.pi * 2 * rpm / 60 * t) + sum(
        np.cos(2 * np.pi * hz * t) for hz in (60.0, 120.0, 240.0, 360.0))
    rec = Recording(x, fs=fs, label="normal", dataset="cwru", source="x", rpm=rpm)
    misread = exercises.misread_lines(rec, decided_fs=fs, read_fs=12_000.0)
    assert list(misread.table.index) == ["shaft", "2 x shaft", "60 Hz mains", "120 Hz mains", "240 Hz mains",
                                         "360 Hz mains"]
    assert misread.table["predicted_hz"].tolist() == pytest.approx((misread.table["true_hz"] / 4).tolist())
    assert misread.table["offset_bins"].abs().max() <= 1.0
    assert misread.answer()["bin_hz"] == pytest.approx(12_000.0 / rec.n_samples)


def test_thrust_and_mafaulda_answers(simulated):
    thrust = exercises.thrust_answer()
    assert thrust["bpfo_x"] == pytest.approx(thrust["bpfi_x"]) == pytest.approx(thrust["n_elements"] / 2)
    assert abs(thrust["gamma"]) < 1e-12
    answer = exercises.mafaulda_answer(simulated)
    assert answer["harmonic"] == 3 and not answer["separable"]
    assert answer["duration_for_two_bins_s"] == pytest.approx(2 / answer["gap_hz"])
    assert answer["duration_for_two_bins_s"] > answer["duration_s"] == simulated.mafaulda_duration_s
