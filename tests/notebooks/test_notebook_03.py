"""Notebook 03 (Sedira & Felkaoui 2026) in the quick profile: its rows, its figures, and what it finds.

The scientific checks read the results rows (``build/results/03_sedira2026_hmm_rbfnn.json``), the schema
every reproduced number goes through, not the notebook's display tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bearingkit import paths
from bearingkit.papers.sedira2026 import claims as rules
from bearingkit.papers.sedira2026 import settings
from bearingkit.report import results

#: One quick run serves the module (about 2.5 min on 2 idle CPU cores, 7.5 min on a shared one); the limit
#: covers a loaded machine.
pytestmark = [pytest.mark.notebook, pytest.mark.timeout(900)]

#: Every table of the paper the notebook reproduces, with the splits each must report.
EXPECTED_SPLITS = {
    "Table 4": {"paper"},
    "Table 7": set(settings.CWRU_SPLITS),
    "Table 8": set(settings.CWRU_SPLITS),
    "Table 9": {"paper"},
    "Table 10": {"paper", settings.CROSS_CONDITION},
    "Table 11": {"paper"},
    "Table 12": {*settings.CWRU_SPLITS, settings.CROSS_CONDITION},
}


@pytest.fixture(scope="module")
def run(run_notebook):
    return run_notebook(settings.NOTEBOOK)


@pytest.fixture(scope="module")
def rows(run) -> pd.DataFrame:
    return pd.DataFrame([results.check_row(r) for r in run.results["rows"]])


def _row(rows, item, quantity, split, dataset=None):
    match = rows[(rows["item"] == item) & (rows["quantity"] == quantity) & (rows["split"] == split)]
    if dataset is not None:
        match = match[match["dataset"] == dataset]
    assert len(match) == 1, (item, quantity, split, dataset, len(match))
    return match.iloc[0]


def test_the_quick_profile_ran_with_its_seeds(run):
    meta = run.results["meta"]
    assert meta["profile"] == "quick" and meta["seed"] == 0
    n_seeds = settings.settings_for("quick").n_seeds
    assert run.results["details"]["seeds"] == settings.run_seeds(0, n_seeds)[0]


def test_every_figure_written_is_shown_and_no_cell_failed(run):
    figures = run.results["meta"]["figures"]
    assert len(figures) == len(set(figures))
    numbers = [name.split("_")[0] for name in figures if name.startswith("fig")]
    assert len(numbers) == len(set(numbers)), "two figure files share a paper figure number"
    assert all(name.startswith(("fig", "extra_")) for name in figures)
    assert {"fig01", "fig09", "fig11"}.isdisjoint(numbers)        # photographs: listed, not regenerated
    assert run.images == len(figures)
    assert run.error_outputs == 0
    for name in figures:
        assert (paths.FIGURES_DIR / settings.NOTEBOOK / f"{name}.png").stat().st_size > 5_000, name


def test_every_table_has_rows_for_each_of_its_splits_with_computed_statuses(rows):
    assert set(rows["paper"]) == {settings.PAPER}
    for item, expected in EXPECTED_SPLITS.items():
        assert set(rows.loc[rows["item"] == item, "split"]) == expected, item
    assert set(rows["status"]) <= set(results.STATUSES) and (rows["status"] != "not run").all()
    per_model_and_set = len(settings.MODELS) * len(settings.FAULT_SETS)
    readings = len(settings.HYBRID_VARIANTS) * len(settings.FAULT_SETS)      # Eq. 33's sensitivity rows
    assert (rows["item"] == "Table 7").sum() == (per_model_and_set + readings) * len(settings.CWRU_SPLITS)
    assert (rows["item"] == "Table 8").sum() == per_model_and_set * len(settings.CLASS_NAMES) * 3


def test_per_seed_values_give_every_accuracy_row_a_real_count(rows):
    n_seeds = settings.settings_for("quick").n_seeds
    table7 = rows[rows["item"] == "Table 7"]
    assert (table7["n"] == n_seeds).all()
    assert table7["ours_spread"].notna().all()
    simulated = rows[rows["data_kind"] == "simulated"]
    assert set(simulated["dataset"]) == {"axial rig"} and (simulated["n"] == n_seeds).all()
    assert set(rows.loc[rows["item"] == "Table 11", "data_kind"]) == {"simulated"}


def test_table4_erratum_shows_as_differing_rows(rows):
    outer = _row(rows, "Table 4", "outer frequency", "paper")
    assert outer["ours_mean"] == pytest.approx(107.3, abs=0.5) and outer["status"] == "differs"
    assert _row(rows, "Table 4", "shaft frequency", "paper")["status"] == "reproduced"


def test_paper_split_is_near_perfect_but_cross_load_is_not(rows):
    def hybrid(name, split):
        return _row(rows, "Table 7", f"overall accuracy, Hybrid, {name} set", split)["ours_mean"]

    paper = [hybrid(name, "paper") for name in settings.FAULT_SETS]
    cross = [hybrid(name, "cross-load") for name in settings.FAULT_SETS]
    assert min(paper) >= 95.0
    assert sum(cross) / 3 < sum(paper) / 3 - 10
    summary = _row(rows, "Table 12", "overall accuracy, Hybrid", "cross-load", dataset="CWRU")
    assert summary["status"] == "differs"


def test_paderborn_within_condition_beats_cross_condition(rows):
    within = _row(rows, "Table 10", "overall accuracy, Hybrid", "paper")
    cross = _row(rows, "Table 10", "overall accuracy, Hybrid", settings.CROSS_CONDITION)
    assert within["ours_mean"] > 90 and cross["ours_mean"] < within["ours_mean"] - 10
    assert cross["n"] == 4                                      # the quick profile's adjacent condition pairs


def test_details_hold_the_tables_the_rows_summarise(run, rows):
    details = run.results["details"]
    table8 = pd.DataFrame(details["table8"])
    assert len(table8) == (rows["item"] == "Table 8").sum()
    ranks = rows[(rows["item"] == "Table 9") & (rows["unit"] == "rank")]
    assert sorted(ranks["quantity"].str.extract(r"(OR|IR|Ball) set")[0].value_counts()) == [4, 4, 4]
    counts = pd.DataFrame(details["status_counts"]).fillna(0)
    assert int(counts.to_numpy().sum()) == len(rows)


def test_claims_have_verdicts_computed_from_their_inputs(run):
    details = run.results["details"]
    claims = pd.DataFrame(details["claims"])
    assert set(claims["verdict"]) <= {"reproduced", "not reproduced", "cannot be tested here"}
    assert (claims.loc[claims["verdict"] == "cannot be tested here", "why"].str.len() > 0).all()
    inputs = details["claim_inputs"]
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=True))
    means = inputs["mean_accuracy_paper"]
    ordered = all(rules.strictly_increasing([means[f"{m} {n}"] for m in settings.MODELS])
                  for n in settings.FAULT_SETS)
    assert verdict["HMM < RBFNN < Hybrid on every CWRU set (Table 7)"] == rules.verdict(ordered)
    pattern = inputs["paper_error_classes"] == inputs["our_error_classes"]
    table8 = "Table 8's error pattern: errors in the same classes, HMM and RBFNN"
    assert verdict[table8] == rules.verdict(pattern)
    assert inputs["paper_error_classes"]["HMM OR"] == [2, 4]


def test_the_fusion_is_the_hmm_almost_everywhere_and_corrects_little(run):
    facts = run.results["details"]["claim_inputs"]["hybrid_vs_hmm"]
    assert facts["test windows"] > 1000
    assert facts["hybrid = HMM (%)"] >= 90.0           # one-hot P_HMM: alpha = 0.5 keeps the HMM's class
    assert facts["corrected"] <= 0.2 * max(facts["HMM errors"], 1)
    table = pd.DataFrame(run.results["details"]["hybrid_vs_hmm"])
    assert len(table) == len(settings.FAULT_SETS) * len(settings.CWRU_SPLITS)


def test_ablations_measure_the_hmm_states_the_97mat_rate_and_a_held_out_size(run):
    inputs = run.results["details"]["claim_inputs"]
    gains = inputs["state_gain_pp"] + inputs["rate_gain_pp"]
    assert len(inputs["state_gain_pp"]) == len(inputs["rate_gain_pp"]) == 2 * len(settings.FAULT_SETS)
    assert all(abs(g) <= 100 for g in gains)
    held = pd.DataFrame(run.results["details"]["held_out_size"])
    assert held["held-out size (in)"].tolist() == list(settings.FAULT_SIZES)
    assert held[list(settings.MODELS)].to_numpy().max() <= 100
    redundancy = pd.DataFrame(inputs["redundancy"])
    assert (redundancy["pairs"] == 45).all() and (redundancy["components kept"] <= 10).all()


def test_counts_intervals_stacking_and_the_worst_paderborn_pair_are_reported(run):
    details = run.results["details"]
    counts = pd.DataFrame(details["counts"])
    k_n = counts["k/n (first seed)"].str.split("/", expand=True).astype(int)
    assert ((k_n[0] <= k_n[1]) & (k_n[1] > 0)).all()
    stacking = pd.DataFrame(details["stacking"])
    assert (stacking["stacked spread"] == "n = 1, no spread").all()     # quick: one stacked seed, no 0.0 std
    worst = details["paderborn_worst_pair"]
    shares = pd.DataFrame(worst["shares"])
    assert shares.sum(axis=1).round(6).eq(100).all() and 0 <= worst["k"] <= worst["n"]
    assert run.results["meta"]["runtime_s"] > 0


def test_simulated_rows_and_table9_values_are_not_comparable_and_leave_the_counts(run, rows):
    simulated = rows[rows["data_kind"] == "simulated"]
    assert len(simulated) > 0 and (simulated["status"] == "not comparable").all()
    assert simulated["reason"].str.startswith("not comparable (simulated)").all()
    table9 = rows[rows["item"] == "Table 9"]
    assert (table9.loc[table9["unit"] == "nats", "status"] == "not comparable").all()
    assert (table9.loc[table9["unit"] == "rank", "status"] != "not comparable").all()
    counts = pd.DataFrame(run.results["details"]["status_counts"]).fillna(0)
    assert counts["not comparable"].sum() == (rows["status"] == "not comparable").sum()


def test_eq18_as_printed_is_twice_the_bsf(run):
    eq18 = run.results["details"]["eq18"]
    assert eq18["printed_hz"] == pytest.approx(141.1, abs=0.05)
    assert eq18["printed_hz"] == pytest.approx(2 * eq18["bsf_hz"]) == pytest.approx(eq18["bsf_2x_hz"])
    assert eq18["printed_over_fr"] == pytest.approx(4.7135, abs=1e-3)


def test_the_printed_fusion_is_locked_to_the_hmm_and_the_readings_are_rows_on_every_split(run, rows):
    details = run.results["details"]
    lock, facts = details["fusion_lock"], details["claim_inputs"]["hybrid_vs_hmm"]
    assert lock["test windows"] == facts["test windows"]
    assert facts["hybrid = HMM (%)"] >= lock["locked (%)"] - 1e-9       # a locked window follows the HMM
    assert lock["locked (%)"] >= 75.0                                  # most windows: one-hot P_HMM
    for variant in settings.HYBRID_VARIANTS:
        for name in settings.FAULT_SETS:
            for split in settings.CWRU_SPLITS:
                r = _row(rows, "Table 7", f"overall accuracy, {variant}, {name} set", split)
                assert r["status"] in {"reproduced", "differs"}
    sensitivity = pd.DataFrame(details["sensitivity"])
    assert (sensitivity["T (nats, median over seeds)"] >= 1.0).all()


def test_one_ordering_rule_on_every_database_and_split_decides_the_claims(run):
    details = run.results["details"]
    ordering = pd.DataFrame(details["ordering"])
    assert set(zip(ordering["database"], ordering["split"], strict=True)) == {
        *(("CWRU", s) for s in settings.CWRU_SPLITS), ("Paderborn", "paper"),
        ("Paderborn", settings.CROSS_CONDITION), ("axial rig", "paper")}
    tol = settings.TOLERANCE["accuracy_pp"]
    for r in ordering.to_dict("records"):
        singles = [r["HMM"], r["RBFNN"]]
        assert r["hybrid ≥ max(single)"] == rules.at_least_best_single(r["Hybrid"], singles)
        assert r["best or equivalent"] == rules.at_least_best_single(r["Hybrid"], singles, tolerance=tol)
        key = f"hybrid ≥ max(single), {r['database']} {r['split']}"
        shown = details["verdict"][key + (" (simulated)" if r["data"] == "simulated" else "")]
        assert shown.startswith(str(bool(r["hybrid ≥ max(single)"])))
    claims = pd.DataFrame(details["claims"])
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=True))
    voting = ordering[(ordering["data"] == "real") & (ordering["split"] == "paper")]
    assert verdict["hybrid ≥ max(single) on every database (§6.4, Tables 7 and 12)"] == rules.verdict(
        bool(voting["hybrid ≥ max(single)"].all()))
    assert verdict["the hybrid is the best or equivalent across all databases (§7.3)"] == rules.verdict(
        bool(voting["best or equivalent"].all()))


def test_claims_re_aimed_at_the_paper_are_decided_by_their_rules(run):
    details = run.results["details"]
    inputs = details["claim_inputs"]
    claims = pd.DataFrame(details["claims"])
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=True))
    tol = settings.TOLERANCE["accuracy_pp"]
    assert len(inputs["state_gain_T16_pp"]) == 2 * len(settings.FAULT_SETS)
    mean_gain = sum(inputs["state_gain_T16_pp"]) / len(inputs["state_gain_T16_pp"])
    states = "the HMM's temporal (state) structure matters (§4, Fig. 5)"
    assert verdict[states] == rules.verdict(mean_gain > tol)
    general = inputs["generalisation_pct"]
    assert len(general) == 4
    cwru = inputs["published_cwru_hybrid"]
    assert verdict["the accuracy is maintained on contiguous blocks (CWRU)"] == rules.verdict(
        rules.at_least(general["contiguous blocks (CWRU)"], cwru, tolerance=tol))
    gains = inputs["reduction_gain_pp"]
    assert len(gains) == 2 * len(settings.FAULT_SETS)
    beats = "Fisher + PCA beats all 46 features (§3.4: relevant features, redundancy removed by PCA)"
    assert verdict[beats] == rules.verdict(sum(gains) / len(gains) > 0)
    cpu, gap = inputs["fit_cpu_s"], inputs["overfitting_gap_pp"]
    cheaper = "Fisher + PCA reduces computational time (§3.4.2)"
    assert verdict[cheaper] == rules.verdict(cpu["Fisher + PCA"] < cpu["all 46"])
    less_overfit = "Fisher + PCA mitigates overfitting (§3.4.2)"
    assert verdict[less_overfit] == rules.verdict(gap["Fisher + PCA"] < gap["all 46"])
    single = inputs["single_by_set"]
    rule = rules.rbf_beats_hmm_where_imperfect(single["HMM"], single["RBFNN"])
    assert verdict["RBFNN beats HMM wherever the HMM is below 100 % (§7.3)"] == rules.verdict(rule)
    assert verdict["the HMM reaches 100 % on Paderborn (§7.1, Table 10)"] == rules.verdict(
        rules.at_least(inputs["paderborn_hmm"], 100.0, tolerance=tol))
    assert verdict["the outer race is the most challenging element (§6.8)"] == rules.verdict(
        all(h == "OR" for h in inputs["hardest"].values()))


def test_paderborn_levels_show_the_n09_anomaly_the_note_states(run):
    levels = pd.DataFrame(run.results["details"]["paderborn_levels"]).set_index("condition")
    assert len(levels) == 4
    rms = levels[[c for c in levels.columns if "median RMS" in c]]
    slow = rms.loc[[c for c in rms.index if c.startswith("N09")]]
    fast = rms.loc[[c for c in rms.index if not c.startswith("N09")]]
    assert slow.to_numpy().min() > fast.to_numpy().max()      # "the slower shaft gives the larger signal"
