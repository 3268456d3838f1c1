"""The protocol pieces of notebook 03 (Sedira & Felkaoui 2026) on small synthetic and real inputs."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bearingkit import checks
from bearingkit.data import segment
from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.evaluation import splits
from bearingkit.papers import sedira2026 as sedira
from bearingkit.recording import Recording


def _recording(label, size, load=0.0, n=40_000, seed=0, source=None):
    rng = np.random.default_rng(seed)
    return Recording(signal=rng.standard_normal(n), fs=12_000, label=label, dataset="test",
                     source=source or f"{label}-{size}-{load}", fault_size=size, load=load)


def test_class_of_orders_healthy_then_fault_sizes():
    groups = pd.DataFrame({"label": ["normal", "outer", "outer", "outer"],
                           "fault_size": [0.0, 0.021, 0.007, 0.014]})
    assert sedira.class_of(groups).tolist() == [0, 3, 1, 2]


def test_class_of_rejects_a_size_that_is_no_class():
    groups = pd.DataFrame({"label": ["inner"], "fault_size": [0.028]})
    with pytest.raises(ParameterError, match="0.028"):
        sedira.class_of(groups)


def test_paper_split_puts_exactly_the_requested_windows_of_each_class_in_test():
    y = np.repeat(np.arange(4), 100)
    train, test = sedira.paper_split(y, test_per_class=25, seed=1)
    assert np.bincount(y[test]).tolist() == [25] * 4
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 400
    assert np.array_equal(test, sedira.paper_split(y, test_per_class=25, seed=1)[1])
    assert not np.array_equal(test, sedira.paper_split(y, test_per_class=25, seed=2)[1])


def test_evenly_spaced_windows_span_the_record_and_overlap_when_many():
    rec = _recording("outer", 0.007)
    windows = sedira.evenly_spaced_windows(rec, n_windows=100, length=4096)
    starts = windows.groups["start"].to_numpy()
    assert len(windows) == 100 and starts[0] == 0 and starts[-1] + 4096 <= rec.n_samples
    assert np.diff(starts).max() < 4096          # 100 windows of 4096 in 40,000 samples must overlap


def test_cross_load_split_trains_at_0hp_and_tests_faults_at_other_loads_without_shared_samples():
    recs = [_recording("normal", 0.0, seed=1)] + [_recording("outer", s, load, seed=i + 2)
                                                   for i, (s, load) in enumerate([(0.007, 0), (0.007, 1)])]
    windows = segment(recs, length=4096, hop=2048)
    train, test = sedira.cross_load_split(windows, seed=0)
    g = windows.groups
    assert set(g.iloc[train]["load"]) == {0.0}
    assert set(g.iloc[test].query("label == 'outer'")["load"]) == {1.0}
    splits.assert_disjoint(g.iloc[train], g.iloc[test])


def test_feature_matrix_has_window_then_subframe_features():
    X = np.random.default_rng(0).standard_normal((3, 4096))
    F = sedira.feature_matrix(X, fs=12_000, n_steps=4)
    assert F.shape == (3, 46 * 5)
    single = sedira.feature_matrix(X[:, 1024:2048], fs=12_000, n_steps=1)[:, :46]
    assert np.allclose(F[:, 46 * 2:46 * 3], single)


def test_models_learn_two_synthetic_classes_and_fusion_is_consistent():
    rng = np.random.default_rng(0)
    t = np.arange(4096) / 12_000
    quiet = rng.standard_normal((60, 4096))
    bursts = np.sin(2 * np.pi * 100 * t) > 0.9
    ringing = rng.standard_normal((60, 4096)) + 3 * np.sin(2 * np.pi * 3000 * t) * bursts
    X, y = np.vstack([quiet, ringing]), np.repeat([0, 1], 60)
    F = sedira.feature_matrix(X, fs=12_000, n_steps=4)
    groups = pd.DataFrame({"record": y})
    train, test = sedira.paper_split(y, test_per_class=20, seed=0)
    result = sedira.run(F, y, train, test, groups)
    for model in sedira.MODELS:
        assert result.accuracy(model) == 1.0
        assert np.allclose(result.proba[model].sum(axis=1), 1.0)
    assert result.log_likelihood.shape == (40, 2)
    assert result.alpha_curve.index.tolist() == list(sedira.ALPHAS)


def test_normal_baseline_is_resampled_to_12khz(mirror):
    rec = sedira.normal_baseline()
    assert rec.fs == 12_000 and rec.extra["resampled_from_hz"] == 48_000
    assert rec.n_samples == pytest.approx(243_938 / 4, abs=1)


def test_unknown_cwru_set_is_a_clear_error():
    with pytest.raises(ParameterError, match="Ball"):
        sedira.cwru_records("Cage")


# ------------------------------------------------------------------------- profiles, seeds, splits


def test_profiles_are_read_through_checks_and_an_unknown_one_is_refused():
    assert checks.profile_settings("quick", sedira.PROFILES)["n_seeds"] < \
        checks.profile_settings("full", sedira.PROFILES)["n_seeds"]
    with pytest.raises(ParameterError, match="quick"):
        checks.profile_settings("fast", sedira.PROFILES)


def test_run_seeds_are_reproducible_and_quick_seeds_are_the_first_full_seeds():
    quick_splits, quick_sims = sedira.run_seeds(0, 5)
    full_splits, full_sims = sedira.run_seeds(0, 10)
    assert quick_splits == full_splits[:5] and quick_sims == full_sims     # simulations ignore the seed count
    assert len(set(full_splits + full_sims)) == len(full_splits) + len(full_sims)
    assert sedira.run_seeds(1, 5)[0] != quick_splits


def test_paper_split_with_too_few_windows_is_a_parameter_error_naming_the_class():
    y = np.array([0] * 30 + [1] * 20)
    with pytest.raises(ParameterError, match=r"\{1: 20\}"):
        sedira.paper_split(y, test_per_class=25, seed=0)
    with pytest.raises(ParameterError, match="positive integer"):
        sedira.paper_split(y, test_per_class=0, seed=0)


def _cwru_like(n=20_000):
    healthy = [_recording("normal", 0.0, seed=1, source="97")]
    faults = [_recording("outer", size, load, n=n, seed=10 + i, source=f"OR-{size}-{load}")
              for i, (size, load) in enumerate((s, load) for load in (0, 1) for s in sedira.FAULT_SIZES)]
    at_0hp = healthy + [r for r in faults if r.load == 0]
    return at_0hp, healthy + faults


def test_cwru_views_build_the_paper_block_and_cross_load_splits():
    at_0hp, all_loads = _cwru_like()
    settings = sedira.Settings(window=1024, n_steps=2)
    views = sedira.cwru_views("OR", at_0hp, all_loads=all_loads, settings=settings)
    assert tuple(views) == sedira.CWRU_SPLITS
    paper = views["paper"]
    assert np.bincount(paper.y).tolist() == [100] * 4                  # 4 x 25 test windows per OR class
    assert paper.F.shape == (400, 46 * (1 + settings.n_steps))
    _, test = paper.split(3)
    assert np.bincount(paper.y[test]).tolist() == [25] * 4
    block = views["contiguous-block"]
    train, test = block.split(3)
    splits.assert_disjoint(block.windows.groups.iloc[train], block.windows.groups.iloc[test])
    cross = views["cross-load"]
    train, test = cross.split(3)
    g = cross.windows.groups
    assert set(g.iloc[train]["load"]) == {0.0}
    assert set(g.iloc[test].query("label != 'normal'")["load"]) == {1.0}
    summary = sedira.split_summary({("OR", s): v for s, v in views.items()}, seed=3, window=1024)
    assert summary.set_index("split").loc["contiguous-block", "overlap %"] == 50
    assert summary.set_index("split").loc["paper", "test per class"] == [25] * 4


def test_cwru_views_refuse_an_unknown_data_set():
    at_0hp, all_loads = _cwru_like()
    with pytest.raises(UnknownNameError, match="Cage"):
        sedira.cwru_views("Cage", at_0hp, all_loads=all_loads)


# --------------------------------------------------------------------- Paderborn and the axial rig


def test_condition_pairs_adjacent_and_all_and_unknown():
    pairs = sedira.condition_pairs(list("abcd"), "adjacent")
    assert pairs == [("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")]
    assert len(sedira.condition_pairs(list("abcd"), "all")) == 12
    with pytest.raises(UnknownNameError, match="adjacent"):
        sedira.condition_pairs(list("abcd"), "neighbours")


def _view(n, label_offset, name):
    y = np.arange(n) % 3
    F = np.full((n, 2), float(label_offset)) + y[:, None]
    groups = pd.DataFrame({"record": [f"{name}-{i}" for i in range(n)]})
    windows = SimpleNamespace(groups=groups)
    return sedira.View(windows=windows, y=y, F=F, split=lambda s: (np.arange(n // 2), np.arange(n // 2, n)),
                       name=name)


def test_paderborn_cross_trains_on_one_condition_and_tests_on_the_other(monkeypatch):
    calls = {}

    def fake_run(F, y, train, test, groups, settings):
        calls[len(calls)] = (F[train], F[test], groups.iloc[test]["record"].tolist())
        return "result"

    monkeypatch.setattr(sedira, "run", fake_run)
    views = {"A": _view(6, 0, "A"), "B": _view(9, 100, "B")}
    out = sedira.paderborn_cross(views, [("A", "B"), ("B", "A")])
    assert list(out) == [("A", "B"), ("B", "A")]
    train_F, test_F, test_records = calls[0]
    assert len(train_F) == 6 and (train_F < 100).all() and len(test_F) == 9 and (test_F >= 100).all()
    assert test_records == [f"B-{i}" for i in range(9)]
    assert len(calls[1][0]) == 9 and len(calls[1][1]) == 6


def test_axial_recordings_are_the_healthy_record_then_each_severity_reproducibly():
    healthy = sedira.axial_healthy(1, duration=0.5)
    records = sedira.axial_recordings("ball", [2, 3, 4], healthy=healthy, duration=0.5)
    assert [r.label for r in records] == ["normal", "ball", "ball", "ball"]
    assert records[0] is healthy and all(r.signal.ndim == 1 for r in records)
    groups = pd.DataFrame({"label": [r.label for r in records],
                           "fault_size": [r.fault_size for r in records]})
    assert sedira.class_of(groups, sizes=sedira.AXIAL_SEVERITIES).tolist() == [0, 1, 2, 3]
    again = sedira.axial_recordings("ball", [2, 3, 4], healthy=healthy, duration=0.5)
    assert all(np.array_equal(a.signal, b.signal) for a, b in zip(records, again, strict=True))
    with pytest.raises(ParameterError, match="one seed per severity"):
        sedira.axial_recordings("ball", [2, 3], healthy=healthy, duration=0.5)


# ------------------------------------------------------------------------------- tables and rows


def _fake_run(y_true, y_pred, *, n_classes=4, log_likelihood=None, load=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    proba = np.eye(n_classes)[y_pred]
    ll = np.zeros((len(y_true), n_classes)) if log_likelihood is None else np.asarray(log_likelihood, float)
    groups = pd.DataFrame({"load": np.zeros(len(y_true)) if load is None else load})
    return sedira.RunResult(y_true, {m: proba for m in sedira.MODELS}, ll, pd.Series(dtype=float), groups)


PUBLISHED_T8 = {m: {"OR": [100.0, 80.0, 100.0, 84.0]} for m in sedira.MODELS}


def _or_runs():
    y = np.repeat(np.arange(4), 4)
    perfect = _fake_run(y, y)
    half_wrong = _fake_run(y, np.where((y == 1) & (np.arange(16) % 2 == 0), 2, y))   # class 1: 2 of 4 wrong
    return {("OR", "paper"): [perfect, perfect], ("OR", "cross-load"): [perfect, half_wrong]}


def test_table8_long_and_pivot_put_ours_per_split_beside_the_published_value():
    long = sedira.table8_long(_or_runs(), PUBLISHED_T8)
    assert len(long) == 3 * 2 * 4
    pivot = sedira.table8_pivot(long)
    assert list(pivot.columns.get_level_values(0).unique()) == list(sedira.MODELS)
    assert list(pivot["HMM"].columns) == ["paper", "cross-load", "published"]
    line = pivot.loc[("OR", sedira.CLASS_NAMES[1])]
    assert line["HMM", "paper"] == 100.0 and line["HMM", "cross-load"] == 75.0
    assert line["HMM", "published"] == 80.0
    cross = long.query("split == 'cross-load' and model == 'HMM'").iloc[1]
    assert cross["runs"] == [100.0, 50.0]


def test_table8_rows_carry_every_seed_and_a_computed_status():
    rows = sedira.table8_rows(sedira.table8_long(_or_runs(), PUBLISHED_T8))
    row = next(r for r in rows if r["split"] == "cross-load" and "HMM" in r["quantity"]
               and sedira.CLASS_NAMES[1] in r["quantity"])
    assert row["n"] == 2 and row["ours_mean"] == 75.0
    assert row["ours_spread"] == pytest.approx(np.std([100, 50], ddof=1))
    assert row["status"] == "differs"                       # |75 - 80| > one OR test window (4 pp)
    healthy = next(r for r in rows if r["split"] == "paper" and sedira.CLASS_NAMES[0] in r["quantity"])
    assert healthy["status"] == "reproduced" and healthy["item"] == "Table 8"


def test_table7_rows_compare_every_split_with_the_paper_value_under_the_stated_tolerance():
    published = {m: {"OR": 99.0} for m in sedira.MODELS}
    rows = sedira.table7_rows(_or_runs(), published)
    by_split = {(r["split"], r["quantity"]): r for r in rows}
    paper = by_split["paper", "overall accuracy, Hybrid, OR set"]
    cross = by_split["cross-load", "overall accuracy, Hybrid, OR set"]
    assert paper["ours_mean"] == 100.0 and paper["status"] == "reproduced"
    assert paper["tolerance"] == sedira.TOLERANCE["accuracy_pp"] and paper["ours_spread"] == 0.0
    assert cross["ours_mean"] == pytest.approx(100 - 12.5 / 2) and cross["status"] == "differs"


def test_table9_rows_rank_each_class_by_its_own_model_log_likelihood():
    y = np.array([0, 1, 2, 3])
    ll = np.diag([-50.0, -10.0, -1.0, -20.0])        # own-model log-likelihood of each class on the diagonal
    runs = {"OR": [_fake_run(y, y, log_likelihood=ll)] * 2}
    published = {"OR": [-53129.73, -1154.20, -94.23, -1131.56]}     # ranks 1, 2, 4, 3 as ours
    rows = sedira.table9_rows(runs, published)
    ranks = [r for r in rows if r["unit"] == "rank"]
    values = [r for r in rows if r["unit"] == "nats"]
    assert [r["ours_mean"] for r in ranks] == [1.0, 3.0, 4.0, 2.0]
    assert [r["status"] for r in ranks] == ["reproduced", "differs", "reproduced", "differs"]
    assert values[0]["ours_mean"] == -50.0 and values[0]["status"] == "not comparable"
    assert values[0]["reason"].startswith("not comparable (scale)") and not values[0]["comparable"]
    assert values[0]["tolerance"] == pytest.approx(0.1 * 53129.73)


def test_table4_rows_reproduce_the_shaft_speed_but_not_the_printed_defect_frequencies():
    published = {"rpm": 1796, "shaft": 29.93, "inner": 151, "outer": 119, "ball": 126}
    rows = sedira.table4_rows(sedira.defect_frequencies_hz(rpm=1796), published)
    status = {r["quantity"]: r["status"] for r in rows}
    assert status == {"shaft frequency": "reproduced", "inner frequency": "differs",
                      "outer frequency": "differs", "ball frequency": "differs"}
    outer = next(r for r in rows if r["quantity"] == "outer frequency")
    assert outer["ours_mean"] == pytest.approx(107.3, abs=0.1)


def test_table10_to_12_rows_name_their_splits_data_kind_and_per_seed_values():
    y = np.repeat(np.arange(3), 4)
    right, wrong = _fake_run(y, y, n_classes=3), _fake_run(y, np.zeros_like(y), n_classes=3)
    within = {"N15": [right, right], "N09": [right, wrong]}
    cross = {("N15", "N09"): wrong, ("N09", "N15"): right}
    t10 = {m: {"class1": 100.0, "class2": 100.0, "class3": 100.0, "overall": 100.0} for m in sedira.MODELS}
    rows10 = sedira.table10_rows(within, cross, t10)
    overall = {r["split"]: r for r in rows10 if r["quantity"] == "overall accuracy, Hybrid"}
    assert overall["paper"]["n"] == 4 and overall["cross-condition"]["n"] == 2
    assert overall["cross-condition"]["ours_mean"] == pytest.approx((100 + 100 / 3) / 2)

    y4 = np.repeat(np.arange(4), 2)
    axial = {"OR": [_fake_run(y4, y4)] * 2, "IR": [_fake_run(y4, np.zeros_like(y4))] * 2}
    t11 = {m: {"OR": 100.0, "IR": 100.0} for m in sedira.MODELS}
    rows11 = sedira.table11_rows(axial, t11)
    assert {r["data_kind"] for r in rows11} == {"simulated"}
    assert {r["status"] for r in rows11} == {"not comparable"}
    assert all(r["reason"].startswith("not comparable (simulated)") for r in rows11)

    cwru = {("OR", "paper"): axial["OR"], ("IR", "paper"): axial["IR"]}
    t12 = {m: {"CWRU": 99.0, "Paderborn": 99.0, "Axial": 100.0} for m in sedira.MODELS}
    rows12 = sedira.table12_rows(cwru, within, cross, axial, t12)
    hybrid = {(r["dataset"], r["split"]): r for r in rows12 if r["quantity"] == "overall accuracy, Hybrid"}
    assert hybrid["CWRU", "paper"]["ours_mean"] == pytest.approx(62.5) and hybrid["CWRU", "paper"]["n"] == 2
    assert hybrid["axial rig", "paper"]["data_kind"] == "simulated"
    assert hybrid["axial rig", "paper"]["status"] == "not comparable"
    assert hybrid["Paderborn", "paper"]["n"] == 2                        # per seed, averaged over conditions

    table = sedira.rows_table(rows12, item="Table 12")
    assert "ours − published" in table.columns
    assert np.isnan(table.loc[("axial rig", "overall accuracy, Hybrid"), "ours − published"])
    assert table.loc[("Paderborn", "overall accuracy, Hybrid"), "status (cross-condition)"] == "differs"
    with pytest.raises(UnknownNameError, match="Table 12"):
        sedira.rows_table(rows12, item="Table 99")


# --------------------------------------------------------------------------- claims, counts, ablations


def _result(y_true, hmm, rbf):
    """A RunResult from class predictions: one-hot HMM posteriors, softened RBF scores, α = 0.5 fusion."""
    n = 4
    p_hmm = np.eye(n)[hmm]
    p_rbf = 0.7 * np.eye(n)[rbf] + 0.3 / n
    proba = {"HMM": p_hmm, "RBFNN": p_rbf, "Hybrid": 0.5 * p_hmm + 0.5 * p_rbf}
    log_likelihood = np.log(np.clip(p_hmm, 1e-12, None))
    return sedira.RunResult(np.asarray(y_true), proba, log_likelihood, pd.Series(dtype=float),
                            pd.DataFrame(index=range(len(y_true))))


def test_hybrid_with_one_hot_hmm_posteriors_is_the_hmm_and_corrects_nothing():
    y = np.array([0, 1, 2, 3, 3, 2])
    result = _result(y, hmm=[0, 1, 2, 3, 1, 1], rbf=[0, 1, 2, 3, 3, 2])
    facts = sedira.hybrid_vs_hmm([result])
    assert facts == {"test windows": 6, "hybrid = HMM (%)": 100.0, "HMM errors": 2, "corrected": 0,
                     "added": 0}


def test_hybrid_vs_hmm_counts_corrections_when_the_hmm_is_unsure():
    y = np.array([0, 1])
    result = _result(y, hmm=[1, 1], rbf=[0, 1])
    result.proba["HMM"] = np.array([[0.45, 0.55, 0, 0], [0, 1.0, 0, 0]])
    result.proba["Hybrid"] = 0.5 * result.proba["HMM"] + 0.5 * result.proba["RBFNN"]
    facts = sedira.hybrid_vs_hmm([result])
    assert facts["corrected"] == 1 and facts["hybrid = HMM (%)"] == 50.0


def test_paper_split_takes_one_test_count_per_class():
    y = np.repeat(np.arange(4), 150)
    train, test = sedira.paper_split(y, test_per_class=(37, 37, 38, 38), seed=0)
    assert np.bincount(y[test]).tolist() == [37, 37, 38, 38] and len(train) == 450
    with pytest.raises(ParameterError, match="one per class"):
        sedira.paper_split(y, test_per_class=(37, 38), seed=0)


def test_counts_matching_reads_tables_7_and_8_as_150_test_windows_not_152():
    assert sedira.counts_matching(98.66, [150, 152]) == {150: 148, 152: None}
    assert sedira.counts_matching(95.33, [150, 152]) == {150: 143, 152: None}
    assert sedira.counts_matching(94.7, [37, 38], decimals=1) == {37: None, 38: 36}
    assert sum(sedira.PAPER_TEST_PER_CLASS["IR"]) == 150 == sum(sedira.PAPER_TEST_PER_CLASS["Ball"])


def test_feature_redundancy_sees_duplicated_features():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 40)
    base = rng.standard_normal((120, 3)) + y[:, None]
    X = np.hstack([base, base + 1e-3 * rng.standard_normal((120, 3)), rng.standard_normal((120, 6))])
    facts = sedira.feature_redundancy(X, y, sedira.Settings(k_features=6), names=[f"f{i}" for i in range(12)])
    assert sorted(facts["selected"]) == sorted(f"f{i}" for i in range(6))
    assert facts["max |r|"] > 0.99 and facts["pairs |r| > 0.9"] >= 3 and facts["pairs"] == 15
    assert 1 <= facts["components kept"] <= 6


def test_healthy_lowest_share_and_counts_with_interval():
    y = np.array([0, 1, 2, 3])
    result = _result(y, hmm=[0, 1, 2, 2], rbf=[0, 1, 2, 3])
    result.log_likelihood = np.array([[-50.0, 0, 0, 0], [0, -5.0, 0, 0], [0, 0, -1.0, 0], [0, 0, 0, -9.0]])
    assert sedira.healthy_lowest_share([result]) == 100.0
    table = sedira.counts_with_interval([result], "HMM")
    assert table.loc[0, ["k", "n"]].tolist() == [3, 4]
    assert table.loc[0, "95 % low"] < 75.0 < table.loc[0, "95 % high"] < 100.0


def test_alpha_curve_facts_tell_a_flat_tail_from_a_falling_one():
    flat = pd.Series([80.0, 90.0, 95.0, 95.0, 95.0], index=[0.0, 0.25, 0.5, 0.75, 1.0])
    assert sedira.alpha_curve_facts(flat, 0.5) == {"at 0": 80.0, "at alpha": 95.0, "at 1": 95.0,
                                                   "flat from alpha": True}
    falling = pd.Series([50.0, 47.0, 46.96, 44.0, 42.27], index=[0.0, 0.25, 0.5, 0.75, 1.0])
    assert not sedira.alpha_curve_facts(falling, 0.5)["flat from alpha"]


def test_cross_load_fault_test_sets_do_not_move_between_seeds():
    at_0hp, all_loads = _cwru_like()
    settings = sedira.Settings(window=1024, n_steps=2)
    views = sedira.cwru_views("OR", at_0hp, all_loads=all_loads, settings=settings)
    assert sedira.fault_test_sets_fixed(views["cross-load"], [1, 2, 3])
    assert not sedira.fault_test_sets_fixed(views["paper"], [1, 2, 3])


def test_held_out_size_view_tests_a_fault_size_never_trained_on():
    settings = sedira.Settings(window=1024, n_steps=2)
    block_views = {}
    for i, (name, label) in enumerate((("OR", "outer"), ("IR", "inner"), ("Ball", "ball"))):
        recs = [_recording("normal", 0.0, seed=1, source="97")] + [
            _recording(label, size, seed=10 * i + k, n=12_000, source=f"{label}-{size}")
            for k, size in enumerate(sedira.FAULT_SIZES)]
        views = sedira.cwru_views(name, recs, all_loads=recs, settings=settings)
        block_views[name] = views["contiguous-block"]
    view = sedira.held_out_size_view(block_views)
    g = view.windows.groups
    assert (g["label"] == "normal").sum() == (block_views["OR"].windows.groups["label"] == "normal").sum()
    for i, size in enumerate(sedira.FAULT_SIZES):
        train, test = view.split(i)
        faulty_test = g.iloc[test].query("label != 'normal'")
        assert set(faulty_test["fault_size"]) == {size} and len(faulty_test) > 0
        assert size not in set(g.iloc[train]["fault_size"]) and set(view.y[test]) == {0, 1, 2, 3}
        splits.assert_disjoint(g.iloc[train], g.iloc[test])


def test_stacked_posteriors_use_contiguous_folds(monkeypatch):
    seen = {}
    make = sedira.fusion.make_stacked_fusion

    def spy(models, *, cv):
        seen["cv"] = cv
        return make(models, cv=cv)

    monkeypatch.setattr(sedira.fusion, "make_stacked_fusion", spy)
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1], 40)
    F = rng.standard_normal((80, 46 * 5)) + 3 * y[:, None]
    groups = pd.DataFrame({"record": y, "start": np.tile(np.arange(40) * 512, 2), "stop": 0})
    groups["stop"] = groups["start"] + 1024
    proba = sedira.stacked_posteriors(F, y, F[:6], sedira.Settings(), groups_train=groups)
    assert proba.shape == (6, 2)
    tests = [test for _, test in seen["cv"]]
    assert all(np.all(np.diff(np.sort(t[y[t] == 0])) == 1) for t in tests)     # one contiguous chunk


def test_a_claim_gets_a_computed_verdict_and_an_untestable_one_needs_a_reason():
    assert sedira.claim("c", "p", "o", True)["verdict"] == "reproduced"
    assert sedira.claim("c", "p", "o", False)["verdict"] == "not reproduced"
    assert sedira.claim("c", "p", "o", None, why="no data")["verdict"] == "cannot be tested here"
    with pytest.raises(ParameterError, match="say why"):
        sedira.claim("c", "p", "o", None)


def test_run_views_in_two_processes_gives_the_runs_of_one():
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1], 40)
    F = rng.standard_normal((80, 46 * 5)) + 2 * y[:, None]
    windows = SimpleNamespace(groups=pd.DataFrame({"record": y}))
    view = sedira.View(windows, y, F, lambda s: sedira.paper_split(y, test_per_class=10, seed=s))
    serial = sedira.run_views({"v": view}, [1, 2], n_jobs=1)["v"]
    parallel = sedira.run_views({"v": view}, [1, 2], n_jobs=2)["v"]
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a.y_true, b.y_true)
        np.testing.assert_allclose(a.proba["Hybrid"], b.proba["Hybrid"])


# ----------------------------------------------------------------- the referee's points (issue 17)


def test_eq18_as_printed_is_twice_the_ball_spin_frequency_not_the_single_one():
    from bearingkit.physics import kinematics

    freqs = kinematics.defect_frequencies(kinematics.get_bearing("cwru_de"), rpm=1796)
    printed = sedira.eq18_as_printed_hz(rpm=1796)
    assert printed == pytest.approx(141.1, abs=0.05) and printed == pytest.approx(freqs.bsf_2x)
    assert printed == pytest.approx(2 * freqs.bsf)
    assert printed / (1796 / 60) == pytest.approx(4.7135, abs=1e-3)
    assert sedira.defect_frequencies_hz(rpm=1796)["ball"] == pytest.approx(printed)


def test_fusion_helpers_scale_soften_and_bound_the_rbf_override():
    from bearingkit.evaluation import fusion

    ll = np.array([[-900.0, -100.0, -500.0], [-3.0, -3.0, -3.0]])
    assert fusion.scale_to_unit_interval(ll).tolist() == [[0.0, 1.0, 0.5], [1.0, 1.0, 1.0]]
    soft = fusion.softmax_with_temperature(ll, 400.0)
    assert np.allclose(soft.sum(axis=1), 1) and soft[0, 1] / soft[0, 2] == pytest.approx(np.e)
    with pytest.raises(ParameterError, match="temperature"):
        fusion.softmax_with_temperature(ll, 0.0)
    with pytest.raises(ParameterError, match="\\[0, 1\\]"):
        fusion.fuse_scores(ll, soft, 0.5)
    one_hot = fusion.softmax_with_temperature(np.array([[0.0, -40.0, -80.0]]), 1.0)
    assert one_hot[0].tolist() == [1.0, 0.0, 0.0] or one_hot[0, 0] == 1.0
    assert fusion.overturn_margin(one_hot, 0.5)[0] >= 1.0                  # no S_RBF can move the decision
    assert fusion.overturn_margin(np.array([[0.6, 0.4]]), 0.25)[0] == pytest.approx(0.2 / 3)


def test_fusion_lock_says_the_one_hot_hmm_decides_every_window():
    y = np.array([0, 1, 2, 3, 3, 2])
    result = _result(y, hmm=[0, 1, 2, 3, 1, 1], rbf=[0, 1, 2, 3, 3, 2])
    lock = sedira.fusion_lock([result], alpha=0.5)
    assert lock["locked (%)"] == 100.0 and lock["HMM and RBFNN disagree"] == 2
    assert lock["RBFNN wins (% of disagreements)"] == 0.0


def test_a_run_scores_eq33_readings_fit_times_and_training_accuracy():
    rng = np.random.default_rng(1)
    t = np.arange(4096) / 12_000
    quiet = rng.standard_normal((40, 4096))
    bursts = np.sin(2 * np.pi * 90 * t) > 0.9
    ringing = rng.standard_normal((40, 4096)) + 3 * np.sin(2 * np.pi * 3000 * t) * bursts
    X, y = np.vstack([quiet, ringing]), np.repeat([0, 1], 40)
    F = sedira.feature_matrix(X, fs=12_000, n_steps=4)
    train, test = sedira.paper_split(y, test_per_class=10, seed=0)
    for reduction in sedira.REDUCTIONS:
        result = sedira.run(F, y, train, test, pd.DataFrame({"record": y}),
                            dataclasses.replace(sedira.Settings(), reduction=reduction))
        assert set(sedira.HYBRID_VARIANTS) <= set(result.proba)
        assert result.temperature >= 1.0 and set(result.fit_cpu_s) == {"HMM", "RBFNN"}
        assert set(result.train_accuracy) == set(sedira.MODELS)
        assert all(result.accuracy(v) == 1.0 for v in sedira.HYBRID_VARIANTS)
        assert sedira.variant_agreement([result], sedira.HYBRID_SCALED) == 100.0
    with pytest.raises(UnknownNameError, match="reduction"):
        sedira.make_rbf_model(dataclasses.replace(sedira.Settings(), reduction="lda"))


def test_hmm_temperature_is_the_median_training_gap_with_a_floor():
    assert sedira.hmm_temperature(np.array([[-10.0, -40.0], [-5.0, -15.0], [0.0, -100.0]])) == 30.0
    assert sedira.hmm_temperature(np.array([[-1.0, -1.2]])) == 1.0


def test_sensitivity_rows_compare_each_reading_with_the_published_hybrid():
    y = np.repeat(np.arange(4), 2)
    run = _fake_run(y, y)
    for v in sedira.HYBRID_VARIANTS:
        run.proba[v] = run.proba["Hybrid"]
    rows = sedira.sensitivity_rows({("OR", "paper"): [run, run]}, {"Hybrid": {"OR": 99.0}})
    assert [r["quantity"] for r in rows] == [f"overall accuracy, {v}, OR set" for v in sedira.HYBRID_VARIANTS]
    assert all(r["item"] == "Table 7" and r["status"] == "reproduced" and r["n"] == 2 for r in rows)


def test_ordering_rules_and_table_on_every_database_and_split():
    assert sedira.at_least_best_single(99.0, [91.0, 95.0])
    assert not sedira.at_least_best_single(92.0, [95.0, 91.0])
    assert sedira.at_least_best_single(93.5, [95.0, 91.0], tolerance=2.0)
    assert sedira.at_least(97.7, 99.66, tolerance=2.0) and not sedira.at_least(97.6, 99.66, tolerance=2.0)

    def row(model, value, dataset="CWRU", split="paper", kind="real"):
        return {"item": "Table 12", "quantity": f"overall accuracy, {model}", "dataset": dataset,
                "split": split, "data_kind": kind, "ours_mean": value}

    rows = [row("HMM", 99.0), row("RBFNN", 98.0), row("Hybrid", 99.5),
            row("HMM", 50.0, split="cross-load"), row("RBFNN", 60.0, split="cross-load"),
            row("Hybrid", 51.0, split="cross-load"),
            *(row(m, v, "axial rig", kind="simulated") for m, v in (("HMM", 90.0), ("RBFNN", 97.0),
                                                                    ("Hybrid", 96.0)))]
    table = sedira.ordering_table(rows, tolerance=2.0)
    assert table["hybrid ≥ max(single)"].tolist() == [True, False, False]
    assert table["best or equivalent"].tolist() == [True, False, True]
    assert table.loc[("CWRU", "cross-load"), "hybrid − best single"] == pytest.approx(-9.0)
    assert table.loc[("axial rig", "paper"), "data"] == "simulated"
    with pytest.raises(UnknownNameError):
        sedira.ordering_table(rows, item="Table 7", tolerance=2.0)


def test_claim_rules_for_rbf_over_hmm_and_the_hardest_element():
    assert sedira.rbf_beats_hmm_where_imperfect({"OR": 91.0, "IR": 100.0}, {"OR": 95.0, "IR": 98.0})
    assert not sedira.rbf_beats_hmm_where_imperfect({"OR": 91.0}, {"OR": 91.0})
    assert sedira.rbf_beats_hmm_where_imperfect({"OR": 100.0}, {"OR": 90.0}) is None
    assert sedira.strictly_lowest({"OR": 91.0, "IR": 98.66, "Ball": 95.33}) == "OR"
    assert sedira.strictly_lowest({"OR": 100.0, "IR": 100.0, "Ball": 100.0}) is None


def test_level_by_condition_gives_median_rms_and_offset_per_class():
    X = np.vstack([np.full((2, 8), 1.0), np.full((2, 8), 3.0)])
    y = np.array([0, 0, 1, 1])
    windows = SimpleNamespace(X=X)
    view = sedira.View(windows, y, np.zeros((4, 1)), lambda s: (None, None), "c")
    table = sedira.level_by_condition({"N09": view}, labels=("normal", "inner"))
    assert table.loc["N09", ("median RMS", "inner")] == pytest.approx(3.0)
    assert table.loc["N09", ("mean", "normal")] == pytest.approx(1.0)


def test_reduction_ablation_reports_accuracy_gap_and_time_per_view():
    y = np.repeat(np.arange(4), 2)
    run = _fake_run(y, y)
    run.train_accuracy, run.fit_cpu_s = {"Hybrid": 1.0}, {"HMM": 1.0, "RBFNN": 2.0}
    table = sedira.reduction_ablation({("OR", "paper"): [run]}, {("OR", "paper"): [run]})
    assert table.loc["OR paper", "fit CPU s, all 46"] == 3.0
    assert table.loc["OR paper", "overfitting gap, Fisher + PCA"] == 0.0
