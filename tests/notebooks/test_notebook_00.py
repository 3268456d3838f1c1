"""Notebook 00 (the primer) in the quick profile: its results say what the prose claims."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bearingkit import paths

pytestmark = pytest.mark.notebook

NOTEBOOK = "00_primer_bearing_diagnostics"
FIGURES = (
    "fig01_cwru_time_traces",
    "fig02_cwru_kurtograms",
    "fig03_cwru_envelope_spectra",
    "fig04_97mat_sampling_rate",
    "fig05_97mat_rate_trap",
    "fig06_simulated_vs_real",
    "fig07_mafaulda_six_axes_simulated",
    "fig08_split_accuracies",
)


@pytest.fixture(scope="module")
def results(run_notebook):
    """One quick-profile run of the notebook for the whole module (it reads the real CWRU files)."""
    mirror = os.environ.get("BEARINGKIT_DATA_MIRROR", "")
    assert mirror and Path(mirror).is_dir(), (
        "notebook 00 reads the real CWRU files: set BEARINGKIT_DATA_MIRROR to a mirror such as ../shared/data"
    )
    return run_notebook(NOTEBOOK).results["details"]


def test_ran_the_quick_profile(results):
    assert results["profile"] == "quick"
    assert results["seed"] == 0


def test_cwru_drive_end_multiples_match_the_published_ones(results):
    cwru = results["kinematics"]["cwru_de"]
    assert set(cwru) == {"ftf", "bpfo", "bpfi", "bsf_2x"}
    for defect, row in cwru.items():
        assert abs(row["ours"] / row["published"] - 1) < 1e-3, defect
    assert cwru["bsf_2x"]["published"] == pytest.approx(4.7135)  # the 2 x BSF convention


@pytest.mark.parametrize(("number", "line"), [("130", "BPFO"), ("105", "BPFI")])
def test_outer_and_inner_race_lines_are_found_near_their_kinematic_values(results, number, line):
    lines = results["envelope_peaks"][number]["lines"]
    for name in (line, f"2x{line}", f"3x{line}"):
        assert abs(lines[name]["rel_error"]) < 0.01, name
        assert lines[name]["ratio"] > 20, name
    assert abs(lines[line]["found_hz"] / lines[line]["expected_hz"] - 1) < 0.01


def test_ball_and_normal_records_show_no_dominant_defect_line(results):
    ball = results["envelope_peaks"]["118"]["lines"]
    assert ball["2xBSF"]["ratio"] < ball["BPFO"]["ratio"]      # the honest finding of Sect. 2.3
    normal = results["envelope_peaks"]["97"]["lines"]
    assert max(normal[name]["ratio"] for name in ("FTF", "BPFO", "BPFI", "2xBSF")) < 5


def test_97mat_is_decided_48khz_from_its_content(results):
    rate = results["sampling_rate_97"]
    assert rate["decided_fs"] == 48_000
    found = {row["fs"]: row["harmonics_found"] for row in rate["evidence"]}
    assert found[48_000] == 3 > found[12_000]
    assert rate["duration_s_at"]["12000"] == pytest.approx(4 * rate["duration_s_at"]["48000"])


def test_a_wrong_rate_makes_normal_separable_by_one_feature(results):
    trap = results["sampling_rate_97"]["rate_trap"]
    wrong = trap["read at 12 kHz (wrong)"]["balanced_accuracy"]
    right = trap["resampled 48 -> 12 kHz (right)"]["balanced_accuracy"]
    assert wrong > 0.95
    assert wrong - right > 0.3
    assert results["sampling_rate_97"]["wrong_stump_calls_resampled_normal"] < 0.5


def test_simulated_spectra_show_their_defect_lines(results):
    simulated = results["simulated"]
    cases = ("polito/outer", "polito/inner", "axial/outer", "axial/inner", "mafaulda/outer/underhang_radial")
    for case in cases:
        assert abs(simulated[case]["rel_error"]) < 0.01, case
        assert simulated[case]["ratio"] > 10, case


def test_split_accuracies_order_from_leaky_to_honest(results):
    splits = results["splits"]
    location = splits["mean_accuracy"]["location"]
    assert set(location) == {"random", "contiguous", "load", "fault_size"}
    assert location["random"] > 0.95
    assert location["random"] > location["fault_size"] + 0.2
    assert location["load"] > location["fault_size"] + 0.2
    assert min(f["accuracy"] for f in splits["folds"]
               if f["task"] == "location" and f["scheme"] == "fault_size") < 0.6
    shares = {f["scheme"]: f["shares_samples"] for f in splits["folds"]}
    assert shares == {"random": True, "contiguous": False, "load": False, "fault_size": False}
    assert "fault_size" not in splits["mean_accuracy"]["location x size"]


def test_every_figure_is_written(results):
    assert tuple(results["figures"]) == FIGURES
    for name in FIGURES:
        for suffix in ("png", "svg"):
            path = paths.FIGURES_DIR / NOTEBOOK / f"{name}.{suffix}"
            assert path.is_file() and path.stat().st_size > 5_000, path
