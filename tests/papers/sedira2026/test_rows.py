"""The results rows of notebook 03: the paper's value beside ours per seed, with a computed status."""

import numpy as np
import pytest

from bearingkit.papers.sedira2026 import rows as table_rows
from bearingkit.papers.sedira2026.measures import table8_long
from bearingkit.papers.sedira2026.settings import CLASS_NAMES, HYBRID_VARIANTS, MODELS, TOLERANCE
from bearingkit.papers.sedira2026.signals import defect_frequencies_hz

PUBLISHED_T8 = {m: {"OR": [100.0, 80.0, 100.0, 84.0]} for m in MODELS}


def test_table8_rows_carry_every_seed_and_a_computed_status(make_or_runs):
    rows = table_rows.table8_rows(table8_long(make_or_runs(), PUBLISHED_T8))
    row = next(r for r in rows if r["split"] == "cross-load" and "HMM" in r["quantity"]
               and CLASS_NAMES[1] in r["quantity"])
    assert row["n"] == 2 and row["ours_mean"] == 75.0
    assert row["ours_spread"] == pytest.approx(np.std([100, 50], ddof=1))
    assert row["status"] == "differs"                       # |75 - 80| > one OR test window (4 pp)
    healthy = next(r for r in rows if r["split"] == "paper" and CLASS_NAMES[0] in r["quantity"])
    assert healthy["status"] == "reproduced" and healthy["item"] == "Table 8"


def test_table7_rows_compare_every_split_with_the_paper_value_under_the_stated_tolerance(make_or_runs):
    published = {m: {"OR": 99.0} for m in MODELS}
    rows = table_rows.table7_rows(make_or_runs(), published)
    by_split = {(r["split"], r["quantity"]): r for r in rows}
    paper = by_split["paper", "overall accuracy, Hybrid, OR set"]
    cross = by_split["cross-load", "overall accuracy, Hybrid, OR set"]
    assert paper["ours_mean"] == 100.0 and paper["status"] == "reproduced"
    assert paper["tolerance"] == TOLERANCE["accuracy_pp"] and paper["ours_spread"] == 0.0
    assert cross["ours_mean"] == pytest.approx(100 - 12.5 / 2) and cross["status"] == "differs"


def test_table9_rows_rank_each_class_by_its_own_model_log_likelihood(make_fake_run):
    y = np.array([0, 1, 2, 3])
    ll = np.diag([-50.0, -10.0, -1.0, -20.0])        # own-model log-likelihood of each class on the diagonal
    runs = {"OR": [make_fake_run(y, y, log_likelihood=ll)] * 2}
    published = {"OR": [-53129.73, -1154.20, -94.23, -1131.56]}     # ranks 1, 2, 4, 3 as ours
    rows = table_rows.table9_rows(runs, published)
    ranks = [r for r in rows if r["unit"] == "rank"]
    values = [r for r in rows if r["unit"] == "nats"]
    assert [r["ours_mean"] for r in ranks] == [1.0, 3.0, 4.0, 2.0]
    assert [r["status"] for r in ranks] == ["reproduced", "differs", "reproduced", "differs"]
    assert values[0]["ours_mean"] == -50.0 and values[0]["status"] == "not comparable"
    assert values[0]["reason"] == table_rows.TABLE9_SCALE and not values[0]["comparable"]
    assert values[0]["tolerance"] == pytest.approx(0.1 * 53129.73)


def test_table4_rows_reproduce_the_shaft_speed_but_not_the_printed_defect_frequencies():
    published = {"rpm": 1796, "shaft": 29.93, "inner": 151, "outer": 119, "ball": 126}
    rows = table_rows.table4_rows(defect_frequencies_hz(rpm=1796), published)
    status = {r["quantity"]: r["status"] for r in rows}
    assert status == {"shaft frequency": "reproduced", "inner frequency": "differs",
                      "outer frequency": "differs", "ball frequency": "differs"}
    outer = next(r for r in rows if r["quantity"] == "outer frequency")
    assert outer["ours_mean"] == pytest.approx(107.3, abs=0.1) and outer["unit"] == "Hz"


def test_table10_to_12_rows_name_their_splits_data_kind_and_per_seed_values(make_fake_run):
    y = np.repeat(np.arange(3), 4)
    right, wrong = make_fake_run(y, y, n_classes=3), make_fake_run(y, np.zeros_like(y), n_classes=3)
    within = {"N15": [right, right], "N09": [right, wrong]}
    cross = {("N15", "N09"): wrong, ("N09", "N15"): right}
    t10 = {m: {"class1": 100.0, "class2": 100.0, "class3": 100.0, "overall": 100.0} for m in MODELS}
    rows10 = table_rows.table10_rows(within, cross, t10)
    overall = {r["split"]: r for r in rows10 if r["quantity"] == "overall accuracy, Hybrid"}
    assert overall["paper"]["n"] == 4 and overall["cross-condition"]["n"] == 2
    assert overall["cross-condition"]["ours_mean"] == pytest.approx((100 + 100 / 3) / 2)

    y4 = np.repeat(np.arange(4), 2)
    axial = {"OR": [make_fake_run(y4, y4)] * 2, "IR": [make_fake_run(y4, np.zeros_like(y4))] * 2}
    t11 = {m: {"OR": 100.0, "IR": 100.0} for m in MODELS}
    rows11 = table_rows.table11_rows(axial, t11)
    assert {r["data_kind"] for r in rows11} == {"simulated"}
    assert {r["status"] for r in rows11} == {"not comparable"}
    assert all(r["reason"] == table_rows.SIMULATED for r in rows11)

    cwru = {("OR", "paper"): axial["OR"], ("IR", "paper"): axial["IR"]}
    t12 = {m: {"CWRU": 99.0, "Paderborn": 99.0, "Axial": 100.0} for m in MODELS}
    rows12 = table_rows.table12_rows(cwru, within, cross, axial, t12)
    hybrid = {(r["dataset"], r["split"]): r for r in rows12 if r["quantity"] == "overall accuracy, Hybrid"}
    assert hybrid["CWRU", "paper"]["ours_mean"] == pytest.approx(62.5) and hybrid["CWRU", "paper"]["n"] == 2
    assert hybrid["axial rig", "paper"]["data_kind"] == "simulated"
    assert hybrid["axial rig", "paper"]["status"] == "not comparable"
    assert hybrid["Paderborn", "paper"]["n"] == 2                        # per seed, averaged over conditions


def test_sensitivity_rows_compare_each_reading_with_the_published_hybrid(make_fake_run):
    y = np.repeat(np.arange(4), 2)
    run = make_fake_run(y, y)
    for v in HYBRID_VARIANTS:
        run.proba[v] = run.proba["Hybrid"]
    rows = table_rows.sensitivity_rows({("OR", "paper"): [run, run]}, {"Hybrid": {"OR": 99.0}})
    assert [r["quantity"] for r in rows] == [f"overall accuracy, {v}, OR set" for v in HYBRID_VARIANTS]
    assert all(r["item"] == "Table 7" and r["status"] == "reproduced" and r["n"] == 2 for r in rows)
    assert rows[0]["reason"].startswith("sensitivity: Eq. 33 with the HMM side read as log-likelihoods")


def test_a_class_without_test_windows_gets_a_row_that_says_so(make_fake_run):
    runs = {("OR", "paper"): [make_fake_run([0, 1, 2], [0, 1, 2])]}                 # no window of class 4
    rows = table_rows.table8_rows(table8_long(runs, PUBLISHED_T8))
    empty = next(r for r in rows if CLASS_NAMES[3] in r["quantity"])
    assert empty["ours_mean"] is None and empty["reason"] == "no test window of this class"
