"""One classifier under several splits of one window set, and the readings of a split's score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier

from bearingkit.errors import ParameterError
from bearingkit.evaluation import leakage


def _windows(n_records=4, per_record=20, hop=5, length=10):
    """Overlapping windows of 4 records, 2 loads x 2 sizes, one record per (class, load, size).

    The features fingerprint the record (its number ``r``) and drift slowly along it, as on CWRU; the class
    is not in them. A window's nearest neighbour is then an adjacent window of its own record whenever that
    record is in training, and a window of the nearest other record when it is not.
    """
    rows, X, y = [], [], []
    rng = np.random.default_rng(0)
    for r in range(n_records):
        label = "inner" if r % 2 else "outer"
        for w in range(per_record):
            rows.append({"record": f"rec{r}", "start": w * hop, "stop": w * hop + length, "load": r // 2,
                         "fault_size": 0.007 if r < 2 else 0.021})
            X.append([r + 0.001 * rng.standard_normal(), 0.01 * w])
            y.append(label)
    return np.array(X), np.array(y), pd.DataFrame(rows)


def test_split_accuracies_rows_leakage_flag_and_the_gap_it_shows():
    X, y, groups = _windows()
    schemes = ("random", "contiguous", "fault_size")
    table = leakage.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=schemes, seed=3,
                                     repeats=2)
    assert list(table["scheme"]) == [s for s in schemes for _ in range(2)]
    assert table.loc[table["scheme"] == "random", "shares_samples"].all()
    assert not table.loc[table["scheme"] != "random", "shares_samples"].any()
    assert set(table.loc[table["scheme"] == "fault_size", "held_out"]) == {0.007, 0.021}
    accuracy = table.groupby("scheme")["accuracy"]
    # every record is in training under random and contiguous splits: its own windows are the neighbours
    assert accuracy.min()["random"] == accuracy.min()["contiguous"] == 1.0
    # a held-out size holds out both its records: each takes the class of the nearest record of the other size
    np.testing.assert_array_equal(accuracy.get_group("fault_size"), [0.5, 0.5])
    again = leakage.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=schemes, seed=3,
                                     repeats=2)
    pd.testing.assert_frame_equal(table, again)


def test_split_accuracies_refuses_unseen_classes_and_unknown_schemes():
    X, y, groups = _windows()
    by_record = groups["record"].to_numpy()
    with pytest.raises(ParameterError, match="out of training"):
        leakage.split_accuracies(X, by_record, groups, estimator=KNeighborsClassifier(1), schemes=("load",))
    with pytest.raises(ParameterError, match="unknown scheme"):
        leakage.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=("speed",))
    with pytest.raises(ParameterError, match="one row per window"):
        leakage.split_accuracies(X[:-1], y, groups, estimator=KNeighborsClassifier(1))
    with pytest.raises(ParameterError, match="repeats"):
        leakage.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), repeats=0)


def test_contiguous_split_is_the_one_split_accuracies_draws():
    X, y, groups = _windows()
    train, test = leakage.contiguous_split(groups, test_fraction=0.2, seed=3, repeat=1)
    assert not set(train) & set(test)
    scored = leakage.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1),
                                      schemes=("contiguous",), seed=3, repeats=2)
    assert scored.loc[1, ["n_train", "n_test"]].tolist() == [len(train), len(test)]


def test_unseen_in_record_and_the_record_guess_explain_below_chance_contiguous_scores():
    groups = pd.DataFrame({"record": ["a"] * 10 + ["b"] * 10, "start": list(range(10)) * 2,
                           "stop": [s + 1 for s in range(10)] * 2})
    y = np.array([0] * 5 + [1] * 5 + [0] * 5 + [1] * 5)
    train = np.array([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15])
    test = np.array([5, 6, 7, 8, 9, 16, 17, 18, 19])
    assert leakage.unseen_in_record(y, groups, train, test) == pytest.approx(5 / 9)
    # record a: training holds only label 0, its test windows are all 1 -> 0; record b: 1 of 6 training is 1
    assert leakage.record_guess_accuracy(y, groups, train, test) == pytest.approx((0 * 5 + 4 * 1 / 6) / 9)


def test_records_per_class_counts_records_not_windows():
    _, y, groups = _windows()
    assert leakage.records_per_class(y, groups) == [2]                  # 2 outer and 2 inner records
    with pytest.raises(ParameterError, match="several classes"):
        leakage.records_per_class(np.arange(len(groups)) % 2, groups)


def test_held_out_predictions_confusion_and_per_record_accuracy():
    X, y, groups = _windows()
    model = KNeighborsClassifier(n_neighbors=1)
    predictions = leakage.held_out_predictions(X, y, groups, estimator=model, by="fault_size", value=0.021)
    assert set(predictions["record"]) == {"rec2", "rec3"} and len(predictions) == 40
    confusion = leakage.confusion_table(predictions)
    assert confusion.to_numpy().sum() == 40
    per_record = leakage.per_record_accuracy(predictions)
    assert per_record["windows"].tolist() == [20, 20]
    # each held-out record's nearest neighbours are the nearest other record's (rec1, an "inner" record)
    assert per_record["most_predicted"].tolist() == ["inner", "inner"]
    assert per_record["accuracy"].tolist() == [0.0, 1.0]            # rec2 is outer, rec3 inner
    with pytest.raises(ParameterError):
        leakage.held_out_predictions(X, y, groups, estimator=model, by="fault_size", value=0.5)


def test_stretch_labels_and_where_the_overlap_trap_bites():
    _, _, groups = _windows(per_record=40, hop=2)
    # features of the window's own samples: a window shares 8 of its 10 samples with each neighbour
    signals = np.random.default_rng(3).standard_normal((4, 100))
    records = groups["record"].str[3:].astype(int).to_numpy()
    X = np.array([np.sort(signals[r, start:stop]) for r, start, stop
                  in zip(records, groups["start"], groups["stop"], strict=True)])
    labels = leakage.stretch_labels(groups, n_stretches=4)
    assert labels.min() == 0 and labels.max() == 3
    assert (np.diff(labels[groups["record"] == "rec0"]) >= 0).all()
    scores = leakage.split_accuracies(X, labels, groups, estimator=KNeighborsClassifier(n_neighbors=1),
                                      schemes=("random", "contiguous"))
    by_scheme = scores.set_index("scheme")["accuracy"]
    assert by_scheme["random"] > by_scheme["contiguous"] + 0.25
    assert by_scheme["contiguous"] < 0.4                        # chance: 0.25
    with pytest.raises(ParameterError):
        leakage.stretch_labels(groups, n_stretches=1)
