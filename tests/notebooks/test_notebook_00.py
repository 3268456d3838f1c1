"""Notebook 00 (the primer) in the quick profile: its rows, its figures and what its prose claims."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bearingkit import paths
from bearingkit.papers import primer

#: The whole module shares one run (about half a minute on 2 CPU cores); the limit covers a slow machine.
pytestmark = [pytest.mark.notebook, pytest.mark.timeout(420)]

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
def run(run_notebook):
    """One quick-profile run of the notebook for the whole module (it reads the real CWRU files)."""
    mirror = os.environ.get("BEARINGKIT_DATA_MIRROR", "")
    assert mirror and Path(mirror).is_dir(), (
        "notebook 00 reads the real CWRU files: set BEARINGKIT_DATA_MIRROR to a mirror such as ../shared/data"
    )
    return run_notebook(NOTEBOOK)


@pytest.fixture(scope="module")
def meta(run):
    return run.results["meta"]


@pytest.fixture(scope="module")
def details(run):
    return run.results["details"]


@pytest.fixture(scope="module")
def rows(run):
    return {row["quantity"]: row for row in run.results["rows"]}


def test_ran_the_quick_profile(meta, details):
    assert (meta["profile"], meta["seed"]) == ("quick", 0)
    assert details["settings"] == dict(primer.PROFILES["quick"])
    assert 0 < meta["runtime_s"] < 300


def test_every_figure_is_written_and_shown_once(run, meta):
    assert tuple(meta["figures"]) == FIGURES
    assert run.images == len(meta["figures"])
    assert run.error_outputs == 0
    for name in FIGURES:
        for suffix in ("png", "svg"):
            path = paths.FIGURES_DIR / NOTEBOOK / f"{name}.{suffix}"
            assert path.is_file() and path.stat().st_size > 5_000, path


def test_rows_name_their_sources_and_kinds(run):
    by_paper = {}
    for row in run.results["rows"]:
        by_paper.setdefault(row["paper"], []).append(row)
        assert (paths.REFERENCE_DIR / f"{row['paper']}.json").is_file(), row["paper"]
    assert set(by_paper) == {"cwru_bearing_data_center", "mfpt_fault_data", "mafaulda", "smith_randall2015"}
    kinds = {row["data_kind"] for row in by_paper["mafaulda"]}
    assert kinds == {"real", "simulated"}          # published multiples, and the simulated rig's line
    assert all(row["status"] != "not run" for row in run.results["rows"])


def test_published_defect_multiples_are_reproduced(rows, details):
    multiples = [row for row in rows.values() if row["unit"] == "x shaft"]
    assert len(multiples) == 14                     # CWRU DE 4, CWRU FE 4, MFPT 2, MAFAULDA 4
    assert {row["status"] for row in multiples} == {"reproduced"}
    cwru = details["kinematics"]["cwru_de"]
    assert cwru["bsf_2x"]["published"] == pytest.approx(4.7135)  # the 2 x BSF convention
    for defect, check in cwru.items():
        assert abs(check["rel_difference"]) < primer.MULTIPLE_REL_TOLERANCE, defect


@pytest.mark.parametrize(("number", "line"), [("130", "BPFO"), ("105", "BPFI")])
def test_race_fault_lines_are_found_at_the_published_multiples(rows, details, number, line):
    label = {"130": "outer", "105": "inner"}[number]
    for name in (line, f"2x{line}", f"3x{line}"):
        row = rows[f"{name} line, squared-envelope spectrum of {number}.mat ({label})"]
        assert row["status"] == "reproduced", name
        assert details["envelope_peaks"][number]["lines"][name]["ratio"] > 20, name


def test_the_ball_record_shows_no_dominant_defect_line(rows, details):
    assert rows["2xBSF line, squared-envelope spectrum of 118.mat (ball)"]["status"] == "differs"
    ball = details["envelope_peaks"]["118"]["lines"]
    assert ball["2xBSF"]["ratio"] < ball["BPFO"]["ratio"]      # the honest finding of Sect. 2.3
    normal = details["envelope_peaks"]["97"]["lines"]
    assert max(normal[name]["ratio"] for name in ("FTF", "BPFO", "BPFI", "2xBSF")) < 5


def test_97mat_is_decided_48khz_from_its_content(rows, details):
    row = rows["sampling rate of 97.mat (normal, 0 HP), decided from its shaft harmonics"]
    assert (row["paper_value"], row["ours_mean"], row["status"]) == (48_000, 48_000, "reproduced")
    rate = details["sampling_rate_97"]
    found = {evidence["fs"]: evidence["harmonics_found"] for evidence in rate["evidence"]}
    assert found[48_000] == 3 > found[12_000]
    assert rate["duration_s_at"]["12000"] == pytest.approx(4 * rate["duration_s_at"]["48000"])


def test_a_wrong_rate_makes_normal_separable_by_one_feature(details):
    trap = details["sampling_rate_97"]["rate_trap"]
    wrong = trap["read at 12 kHz (wrong)"]["balanced_accuracy"]
    right = trap["resampled 48 -> 12 kHz (right)"]["balanced_accuracy"]
    assert wrong > 0.95
    assert wrong - right > 0.3
    assert details["sampling_rate_97"]["wrong_stump_calls_resampled_normal"] < 0.5


def test_simulated_spectra_show_their_defect_lines(rows, details):
    simulated = details["simulated"]
    cases = ("polito/outer", "polito/inner", "axial/outer", "axial/inner", "mafaulda/outer/underhang_radial")
    for case in cases:
        assert abs(simulated[case]["rel_error"]) < 0.01, case
        assert simulated[case]["ratio"] > 10, case
    mafaulda = [row for row in rows.values() if row["data_kind"] == "simulated"]
    assert [row["status"] for row in mafaulda] == ["reproduced"]


def test_split_accuracies_order_from_leaky_to_honest(details):
    splits = details["splits"]
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
