"""The results rows of notebook 01: ours beside the paper's, comparable only on the paper's data by the
paper's method, with binomial tolerances and reasons."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.papers.dimaggio2023 import rows
from bearingkit.papers.dimaggio2023.settings import PAPER_METHOD
from bearingkit.papers.dimaggio2023.training import MethodResult
from bearingkit.papers.dimaggio2023.uncertainty import binomial_tolerance


def test_rows_carry_runs_and_not_run_reasons():
    head = MethodResult("YAMNet transfer", "paper", 100.0, 90.0, 80.0, 1.0, np.array([0, 1, 2, 2]),
                        np.array([0, 1, 2, 1]), sizes={"train": 16, "validation": 4, "test": 4})
    scratch = MethodResult("VGGish from scratch", "paper", 50.0, 33.3, 25.0, 1.0, np.array([0, 1, 2, 2]),
                           np.array([0, 0, 0, 0]), sizes={"train": 16, "validation": 4, "test": 4})
    kinds = {}
    for dataset, kind in (("PoliTo rig (SIMULATED)", "simulated"), ("CWRU", "real"), ("PoliTo rig", "real")):
        found = rows.result_rows([head, scratch], dataset=dataset, data_kind=kind, split="paper",
                                 not_run={"VGGish transfer": "weights unreachable (test)"})
        kinds[dataset] = {(r["item"], r["quantity"]): r for r in found}
        assert len(found) == len(PAPER_METHOD) * 9
    by = kinds["PoliTo rig (SIMULATED)"]
    yamnet = by["Table 7", "test accuracy, YAMNet transfer"]
    assert yamnet["ours_mean"] == 80.0 and yamnet["paper_value"] == 91.20
    assert yamnet["status"] == "not comparable" and "SIMULATED" in yamnet["reason"]
    assert yamnet["tolerance"] == pytest.approx(binomial_tolerance(91.2, 4, n_paper=216))
    assert by["Table 8", "recall, YAMNet transfer, OR"]["ours_mean"] == 50.0
    vggish = by["Table 7", "test accuracy, VGGish transfer"]
    assert vggish["status"] == "not run" and "unreachable" in vggish["reason"]
    random_vgg16 = by["Table 7", "test accuracy, VGG16 (random init)"]
    assert random_vgg16["paper_value"] is None and random_vgg16["status"] == "not run"
    assert random_vgg16["reason"] == "not run in this profile"
    cwru = kinds["CWRU"]["Table 7", "test accuracy, VGGish from scratch"]
    assert cwru["status"] == "not comparable" and "not the paper's PoliTo rig" in cwru["reason"]
    # only the paper's data by the paper's method would be compared; YAMNet's int8 file is another method
    own = kinds["PoliTo rig"]
    scratch_own = own["Table 7", "test accuracy, VGGish from scratch"]
    assert scratch_own["status"] == "reproduced"             # 25 vs 33.33 on 4 chunks: within 2 SE (47.6)
    assert scratch_own["tolerance"] == pytest.approx(47.6, abs=0.1)
    assert own["Table 7", "test accuracy, YAMNet transfer"]["status"] == "not comparable"


def test_comparability_names_every_reason():
    assert rows.comparability("VGGish from scratch", dataset="PoliTo rig", data_kind="real") == ""
    both = rows.comparability("YAMNet transfer", dataset="CWRU", data_kind="real")
    assert both.startswith("CWRU, not the paper's PoliTo rig") and "int8 TFLite" in both


def test_row_tolerance_is_none_without_a_paper_value_or_chunks():
    assert rows.row_tolerance(None, 48, 216) is None
    assert rows.row_tolerance(91.2, 0, 216) is None
    half = binomial_tolerance(91.2, 48, n_paper=216) / 2
    assert rows.row_tolerance(91.2, 48, 216, z=1.0) == pytest.approx(half)


def test_rows_of_one_data_set_follow_its_splits_in_order(runs):
    simulated = rows.rows_of(runs, dataset="simulated", not_run={})
    assert len(simulated) == 2 * len(PAPER_METHOD) * 9
    assert [r["split"] for r in simulated[::len(PAPER_METHOD) * 9]] == ["paper", "held-out speeds"]
    assert {r["dataset"] for r in simulated} == {"PoliTo rig (SIMULATED)"}
    cwru = rows.rows_of(runs, dataset="CWRU", not_run={})
    assert {(r["dataset"], r["data_kind"]) for r in cwru} == {("CWRU", "real")}


def test_status_counts_and_summary_say_why_nothing_is_judged(runs):
    found = rows.rows_of(runs, dataset="simulated", not_run={})
    counts = rows.status_counts(found)
    assert counts.loc["paper"].sum() == len(PAPER_METHOD) * 9
    summary = rows.rows_summary(found)
    assert summary.startswith(f"**Rows:** {len(found)} in all") and "None is *reproduced*" in summary
    judged = [*found, {**found[0], "status": "differs"}]
    assert "None is" not in rows.rows_summary(judged) and "1 differs" in rows.rows_summary(judged)
