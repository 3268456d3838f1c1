"""Each data set under each split, with its features (the views of notebook 03)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.evaluation import splits
from bearingkit.papers.sedira2026 import views
from bearingkit.papers.sedira2026.settings import CWRU_SPLITS, FAULT_SIZES, Settings

SMALL = Settings(window=1024, n_steps=2)


def test_cwru_views_build_the_paper_block_and_cross_load_splits(make_cwru_like):
    at_0hp, all_loads = make_cwru_like()
    built = views.cwru_views("OR", at_0hp, all_loads=all_loads, settings=SMALL)
    assert tuple(built) == CWRU_SPLITS
    paper = built["paper"]
    assert np.bincount(paper.y).tolist() == [100] * 4                  # 4 x 25 test windows per OR class
    for record, rec in zip(paper.windows.groups["record"].unique(), at_0hp, strict=True):
        starts = paper.windows.groups.loc[paper.windows.groups["record"] == record, "start"].to_numpy()
        assert starts[0] == 0 and starts[-1] + 1024 == rec.n_samples    # the whole record, first to last
        assert np.ptp(np.diff(starts)) <= 1                             # evenly spread, to one sample
    assert paper.F.shape == (400, 46 * (1 + SMALL.n_steps))
    _, test = paper.split(3)
    assert np.bincount(paper.y[test]).tolist() == [25] * 4
    block = built["contiguous-block"]
    train, test = block.split(3)
    splits.assert_disjoint(block.windows.groups.iloc[train], block.windows.groups.iloc[test])
    cross = built["cross-load"]
    train, test = cross.split(3)
    g = cross.windows.groups
    assert set(g.iloc[train]["load"]) == {0.0}
    assert set(g.iloc[test].query("label != 'normal'")["load"]) == {1.0}
    splits.assert_disjoint(g.iloc[train], g.iloc[test])
    healthy_test = np.sort(test[cross.y[test] == 0])
    assert np.bincount(cross.y[test]).min() > 0 and np.all(np.diff(healthy_test) == 1)   # one healthy block
    summary = views.split_summary({("OR", s): v for s, v in built.items()}, seed=3, window=1024)
    assert summary.set_index("split").loc["contiguous-block", "overlap %"] == 50
    assert summary.set_index("split").loc["paper", "test per class"] == [25] * 4


def test_cwru_views_refuse_an_unknown_data_set_or_split(make_cwru_like):
    at_0hp, all_loads = make_cwru_like()
    with pytest.raises(UnknownNameError, match="Cage"):
        views.cwru_views("Cage", at_0hp, all_loads=all_loads)
    with pytest.raises(ValueError, match="all_loads"):
        views.cwru_views("OR", at_0hp, splits=("cross-load",))


def test_all_cwru_views_read_every_load_for_the_cross_load_view(monkeypatch, make_cwru_like):
    at_0hp, all_loads = make_cwru_like()
    monkeypatch.setattr(views, "cwru_records", lambda name, loads: all_loads)
    built = views.all_cwru_views({"OR": at_0hp}, SMALL)
    assert list(built) == ["OR"] and tuple(built["OR"]) == CWRU_SPLITS
    assert set(built["OR"]["cross-load"].windows.groups["load"]) == {0.0, 1.0}
    flat = views.by_set_and_split(built)
    assert list(flat) == [("OR", s) for s in CWRU_SPLITS] and flat["OR", "paper"] is built["OR"]["paper"]


def test_training_windows_are_the_window_features_of_the_training_split(make_cwru_like):
    at_0hp, _ = make_cwru_like()
    paper = views.cwru_views("OR", at_0hp, settings=SMALL, splits=("paper",))["paper"]
    X, y = views.training_windows(paper, 0)
    train, _ = paper.split(0)
    assert X.shape == (len(train), 46) and np.array_equal(y, paper.y[train])
    assert np.array_equal(X, paper.F[train, :46])


def test_held_out_size_view_tests_a_fault_size_never_trained_on(make_recording):
    block_views = {}
    for i, (name, label) in enumerate((("OR", "outer"), ("IR", "inner"), ("Ball", "ball"))):
        recs = [make_recording("normal", 0.0, seed=1, source="97")] + [
            make_recording(label, size, seed=10 * i + k, n=12_000, source=f"{label}-{size}")
            for k, size in enumerate(FAULT_SIZES)]
        block_views[name] = views.cwru_views(name, recs, settings=SMALL, splits=("contiguous-block",))[
            "contiguous-block"]
    view = views.held_out_size_view(block_views)
    g = view.windows.groups
    assert (g["label"] == "normal").sum() == (block_views["OR"].windows.groups["label"] == "normal").sum()
    for i, size in enumerate(FAULT_SIZES):
        train, test = view.split(i)
        faulty_test = g.iloc[test].query("label != 'normal'")
        assert set(faulty_test["fault_size"]) == {size} and len(faulty_test) > 0
        assert size not in set(g.iloc[train]["fault_size"]) and set(view.y[test]) == {0, 1, 2, 3}
        splits.assert_disjoint(g.iloc[train], g.iloc[test])
        healthy_test = np.sort(test[view.y[test] == 0])
        assert np.all(np.diff(healthy_test) == 1)                      # a contiguous block of the record
    _, test = view.split(4)                                            # 4 % 3: the second size again
    assert set(g.iloc[test].query("label != 'normal'")["fault_size"]) == {FAULT_SIZES[1]}


def test_cross_load_fault_test_sets_do_not_move_between_seeds(make_cwru_like):
    at_0hp, all_loads = make_cwru_like()
    built = views.cwru_views("OR", at_0hp, all_loads=all_loads, settings=SMALL)
    assert views.fault_test_sets_fixed(built["cross-load"], [1, 2, 3])
    assert not views.fault_test_sets_fixed(built["paper"], [1, 2, 3])


def test_condition_pairs_adjacent_and_all_and_unknown():
    assert views.condition_pairs(list("abcd"), "adjacent") == [("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")]
    assert len(views.condition_pairs(list("abcd"), "all")) == 12
    with pytest.raises(UnknownNameError, match="adjacent"):
        views.condition_pairs(list("abcd"), "neighbours")


def _level_view(X, y):
    return views.View(SimpleNamespace(X=X), np.asarray(y), np.zeros((len(y), 1)), lambda s: (None, None), "c")


def test_level_by_condition_gives_median_rms_and_offset_per_class():
    X = np.vstack([np.full((2, 8), 1.0), np.full((2, 8), 3.0)])
    table = views.level_by_condition({"N09": _level_view(X, [0, 0, 1, 1])}, labels=("normal", "inner"))
    assert table.loc["N09", ("median RMS", "inner")] == pytest.approx(3.0)
    assert table.loc["N09", ("mean", "normal")] == pytest.approx(1.0)


def test_feature_shift_is_the_ratio_of_class_medians_from_train_to_test():
    y = np.array([0, 0, 1, 1])
    F_train, F_test = np.zeros((4, 46)), np.zeros((4, 46))
    F_train[:, 1], F_test[:, 1] = [1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 1.0, 1.0]
    train = views.View(None, y, F_train, lambda s: (None, None))
    test = views.View(None, y, F_test, lambda s: (None, None))
    names = [f"f{i}" for i in range(46)]
    assert views.feature_shift(train, test, feature="f1", names=names).tolist() == [3.0, 0.5]
    assert isinstance(views.feature_shift(train, test, feature="f1", names=names), pd.Series)
