"""What a train/test split lets a classifier remember: one model scored under several splits of one window
set.

Hendriks et al. (2022) [1]_ showed on CWRU how far the split moves an accuracy. :func:`split_accuracies`
scores one classifier under the splits of :data:`SCHEMES`, from the most to the least leaky, and flags the
splits whose test windows share samples with training windows. Where a split's score needs reading:

- a label that changes *within* a record (:func:`stretch_labels`) is where overlapping windows leak, and a
  contiguous test block then scores below chance for a reason of its own (:func:`record_guess_accuracy`,
  :func:`unseen_in_record`);
- a held-out group's window-by-window predictions (:func:`held_out_predictions`, :func:`confusion_table`,
  :func:`per_record_accuracy`) say whether a low score is a collapse onto one class.

The splits themselves come from :mod:`bearingkit.evaluation.splits`.

References
----------
.. [1] Hendriks, J., Dumond, P. & Knox, D. A. (2022). Towards better benchmarking using the CWRU bearing fault
   dataset. *Mech. Syst. Signal Process.* 169, 108732.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from bearingkit.checks import child_seeds
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits

__all__ = [
    "SCHEMES",
    "confusion_table",
    "contiguous_split",
    "held_out_predictions",
    "per_record_accuracy",
    "record_guess_accuracy",
    "records_per_class",
    "split_accuracies",
    "stretch_labels",
    "unseen_in_record",
]

#: The train/test splits :func:`split_accuracies` knows by name, from the most to the least leaky (any other
#: column of ``groups`` constant within a record can be held out too).
SCHEMES = ("random", "contiguous", "load", "fault_size")


def _scheme_splits(scheme: str, y: np.ndarray, groups: pd.DataFrame, *, test_fraction: float,
                   seeds: Sequence[int]) -> Iterator[tuple[int, object, np.ndarray, np.ndarray]]:
    """``(repeat, held_out, train, test)`` for every split of ``scheme``."""
    if scheme == "random":
        for repeat, seed in enumerate(seeds):
            train, test = train_test_split(np.arange(len(y)), test_size=test_fraction, random_state=seed,
                                           stratify=y)
            yield repeat, "random windows", np.sort(train), np.sort(test)
    elif scheme == "contiguous":
        for repeat, seed in enumerate(seeds):
            train, test = splits.contiguous_block_split(groups, test_fraction=test_fraction, seed=seed)
            yield repeat, "a block of every record", train, test
    else:
        for value, train, test in splits.leave_one_group_out(groups, by=scheme):
            yield 0, value, train, test


def split_accuracies(X, y, groups: pd.DataFrame, *, estimator, schemes: Iterable[str] = SCHEMES,
                     test_fraction: float = 0.2, seed: int = 0, repeats: int = 1) -> pd.DataFrame:
    """Test accuracy of one classifier under several splits of the same windows.

    Schemes (see :data:`SCHEMES`):

    - ``"random"``: a stratified random ``test_fraction`` of the windows; overlapping windows of one record
      then share samples across train and test;
    - ``"contiguous"``: :func:`bearingkit.evaluation.splits.contiguous_block_split`, one block per record, no
      sample shared; on CWRU every record is still on both sides;
    - any column of ``groups`` constant within a record (``"load"``, ``"fault_size"``, ...): leave one value
      out (:func:`bearingkit.evaluation.splits.leave_one_group_out`); one row per held-out value.

    Parameters
    ----------
    X : np.ndarray [shape=(n_windows, n_features)]
    y : np.ndarray [shape=(n_windows,)]
        Class of each window.
    groups : pd.DataFrame
        ``Segments.groups`` of the windows (``record``, ``start``, ``stop`` and the columns split by).
    estimator : sklearn classifier
        Cloned for every split; fix its ``random_state`` for reproducible scores.
    schemes : iterable of str
    test_fraction : float in (0, 1)
        Share of the windows (``random``) or of each record (``contiguous``) held out.
    seed : int
        Master seed of the random and contiguous splits; repeat ``r`` uses the ``r``-th of
        :func:`bearingkit.checks.child_seeds`.
    repeats : int >= 1
        Random and contiguous splits drawn per scheme.

    Returns
    -------
    pd.DataFrame
        One row per split: ``scheme``, ``repeat``, ``held_out``, ``n_train``, ``n_test``,
        ``shares_samples`` (a test window shares samples with a training window of its record) and
        ``accuracy``.

    Raises
    ------
    ParameterError
        Mismatched lengths, an unknown scheme, ``repeats < 1``, or a held-out group whose classes the
        training side never shows (a class-by-size task cannot be scored by holding a size out).
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if not len(X) == len(y) == len(groups):
        raise ParameterError(f"X, y and groups must have one row per window; got {len(X)}, {len(y)}, "
                             f"{len(groups)}")
    if not (isinstance(repeats, int | np.integer) and repeats >= 1):
        raise ParameterError(f"repeats must be a positive integer, got {repeats!r}")
    groups = groups.reset_index(drop=True)
    seeds = child_seeds(seed, int(repeats))
    rows = []
    for scheme in schemes:
        if scheme not in ("random", "contiguous") and scheme not in groups.columns:
            raise ParameterError(f"unknown scheme {scheme!r}: use 'random', 'contiguous' or a column of "
                                 f"groups ({', '.join(groups.columns)})")
        for repeat, held_out, train, test in _scheme_splits(scheme, y, groups, test_fraction=test_fraction,
                                                            seeds=seeds):
            unseen = sorted(set(y[test]) - set(y[train]), key=str)
            if unseen:
                raise ParameterError(f"holding out {scheme}={held_out!r} leaves class(es) {unseen} out of "
                                     "training: this task cannot be scored by that split")
            model = clone(estimator).fit(X[train], y[train])
            shared = splits.shares_samples(groups.iloc[train], groups.iloc[test])
            rows.append({"scheme": scheme, "repeat": repeat, "held_out": held_out, "n_train": len(train),
                         "n_test": len(test), "shares_samples": shared,
                         "accuracy": float(np.mean(model.predict(X[test]) == y[test]))})
    return pd.DataFrame(rows)


def contiguous_split(groups: pd.DataFrame, *, test_fraction: float = 0.2, seed: int = 0, repeat: int = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The ``repeat``-th contiguous-block split that :func:`split_accuracies` draws with ``seed``."""
    seeds = child_seeds(seed, repeat + 1)
    return splits.contiguous_block_split(groups.reset_index(drop=True), test_fraction=test_fraction,
                                         seed=seeds[repeat])


def records_per_class(y, groups: pd.DataFrame) -> list[int]:
    """How many records each class holds, as the sorted set of those counts (``[12]``: 12 records each).

    Raises
    ------
    ParameterError
        A record whose windows carry more than one class: count classes of records only.
    """
    by_record = pd.Series(np.asarray(y)).groupby(groups["record"].to_numpy())
    if (by_record.nunique() > 1).any():
        raise ParameterError("a record's windows carry several classes; records_per_class needs one class "
                             "per record")
    return sorted(set(by_record.first().value_counts()))


def stretch_labels(groups: pd.DataFrame, *, n_stretches: int) -> np.ndarray:
    """A label with no physics in it: which of ``n_stretches`` equal stretches of its record a window is in.

    A model can only learn it by remembering neighbouring samples: the overlapping-window trap bites on
    labels that change within a record (degradation stages of a run to failure, a speed ramp).

    Examples
    --------
    >>> groups = pd.DataFrame({"record": ["a"] * 4, "start": [0, 25, 50, 75], "stop": [25, 50, 75, 100]})
    >>> stretch_labels(groups, n_stretches=2).tolist()
    [0, 0, 1, 1]
    """
    if n_stretches < 2:
        raise ParameterError("n_stretches must be at least 2")
    start = groups["start"].to_numpy()
    length = groups.groupby("record")["stop"].transform("max").to_numpy()
    return np.minimum(start * n_stretches // length, n_stretches - 1).astype(int)


def unseen_in_record(y, groups: pd.DataFrame, train: np.ndarray, test: np.ndarray) -> float:
    """Share of the test windows whose label no training window *of the same record* carries."""
    y = np.asarray(y)
    record = groups["record"].to_numpy()
    seen = set(zip(record[train], y[train], strict=True))
    return float(np.mean([(r, label) not in seen for r, label in zip(record[test], y[test], strict=True)]))


def record_guess_accuracy(y, groups: pd.DataFrame, train: np.ndarray, test: np.ndarray) -> float:
    """Accuracy of a guess drawn at random from the training labels of the test window's own record.

    A model that recognises the record but nothing finer answers like this. On a label that changes within a
    record (:func:`stretch_labels`), a contiguous test block takes its own stretches' windows out of training,
    so the labels left in the record are mostly *other* stretches': the guess scores below chance
    (``1 / n_stretches``). Where every label is as common in training as in the record, it scores chance.
    """
    y = np.asarray(y)
    record = groups["record"].to_numpy()
    train_table = pd.crosstab(record[train], y[train], normalize="index")
    return float(np.mean([train_table.at[r, label] if label in train_table.columns else 0.0
                          for r, label in zip(record[test], y[test], strict=True)]))


def held_out_predictions(X, y, groups: pd.DataFrame, *, estimator, by: str, value) -> pd.DataFrame:
    """Every test window's prediction when the windows with ``groups[by] == value`` are held out.

    Returns
    -------
    pd.DataFrame
        One row per held-out window: its ``groups`` columns (``record``, ``load``, ``fault_size`` ...),
        ``true`` and ``predicted``.

    Raises
    ------
    ParameterError
        A ``value`` that holds no window, or every window.
    """
    X, y = np.asarray(X), np.asarray(y)
    groups = groups.reset_index(drop=True)
    test = (groups[by] == value).to_numpy()
    if not test.any() or test.all():
        raise ParameterError(f"{by}={value!r} must hold some but not all windows")
    model = clone(estimator).fit(X[~test], y[~test])
    return groups[test].assign(true=y[test], predicted=model.predict(X[test])).reset_index(drop=True)


def confusion_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Windows per true class (rows) and predicted class (columns) of :func:`held_out_predictions`."""
    return pd.crosstab(predictions["true"], predictions["predicted"]).rename_axis(index="true",
                                                                                   columns="predicted")


def per_record_accuracy(predictions: pd.DataFrame, *, by: Sequence[str] = ("record", "true", "load")
                        ) -> pd.DataFrame:
    """Accuracy and most frequent prediction of every record in :func:`held_out_predictions`."""
    correct = predictions.assign(correct=predictions["true"] == predictions["predicted"])
    return correct.groupby(list(by)).agg(windows=("correct", "size"), accuracy=("correct", "mean"),
                                         most_predicted=("predicted", _most_frequent))


def _most_frequent(values: pd.Series):
    return values.mode().iloc[0]
