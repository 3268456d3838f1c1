"""The protocol of Sedira & Felkaoui (2026), *A hybrid HMM-RBFNN system ...*, C. R. Mécanique (notebook 03).

One *sample* is a window of the vibration signal. Both classifiers see the same window:

* the RBF network (§6.2) sees the 46 features of the whole window (Table 5) after Fisher selection of 10 and
  PCA keeping 97 % of the variance (§3.4), fitted on the training windows only;
* the HMM battery (§6.1) sees the window as an observation sequence ``O = (o_1, ..., o_4)``: the window is cut
  into ``n_steps = 4`` contiguous sub-frames, each sub-frame gives the 46 features, and the same Fisher + PCA
  pipeline, fitted on the training sub-frames, maps them to the emission space of 4-state left-right HMMs.

Both pipelines read one feature matrix ``[window features | sub-frame features]`` (:func:`feature_matrix`),
so the models, the weighted fusion (Eq. 33) and the stacked 8-d fusion compose as scikit-learn estimators.

The paper gives no window length, overlap or split. Its Table 8 accuracies are multiples of 4 % for OR and of
1/38 for IR and Ball, i.e. 25 and 38 test windows per class (:data:`PAPER_TEST_PER_CLASS`); we take a 75/25
split, hence 100 and 152 windows per class spread evenly over each record (they overlap: the classic random
window protocol, :func:`paper_windows`). Leakage-aware views are :func:`block_windows` (contiguous blocks of
each record, nothing shared) and :func:`cross_load_windows` (train at 0 HP, test the faults at 1-3 HP).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from bearingkit.data import Segments, concat_segments, cwru_files, load_cwru, segment
from bearingkit.dsp import spectral as signal
from bearingkit.errors import ParameterError
from bearingkit.evaluation import fusion, splits
from bearingkit.evaluation.metrics import per_class_accuracy
from bearingkit.features import handcrafted as features
from bearingkit.features.selection import make_feature_pipeline
from bearingkit.models import LeftRightHMMClassifier, RBFNetworkClassifier
from bearingkit.models.sequences import StepwiseTransformer, frame_sequences
from bearingkit.recording import Recording

#: The paper's three CWRU data sets (Table 3) and the catalogue's fault-location code of each.
FAULT_SETS = {"OR": "OR", "IR": "IR", "Ball": "B"}
#: Fault sizes of classes 2-4 (Table 3), inches; class 1 is the healthy bearing.
FAULT_SIZES = (0.007, 0.014, 0.021)
CLASS_NAMES = ("healthy", 'defect 1 (0.007")', 'defect 2 (0.014")', 'defect 3 (0.021")')
#: Test windows per class implied by Table 8 (see the module docstring).
PAPER_TEST_PER_CLASS = {"OR": 25, "IR": 38, "Ball": 38}
PAPER_TEST_FRACTION = 0.25
FS_CWRU = 12_000.0
MODELS = ("HMM", "RBFNN", "Hybrid")
#: The α grid of the accuracy-vs-α curve (Eq. 33).
ALPHAS = np.round(np.linspace(0.0, 1.0, 11), 2)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Choices the paper leaves open, in one place (the notebook prints them).

    Attributes
    ----------
    window : int
        Samples per window (4096 at 12 kHz: 0.34 s, about 10 shaft turns at 1797 rpm).
    n_steps : int
        Observations per HMM sequence (the paper's ``O = (o1, o2, o3, o4)``).
    n_states : int
        States of each left-right HMM (Fig. 5).
    hmm_tol : float
        Baum-Welch stops when the total training log-likelihood of a class gains less than this (nats, summed
        over a few hundred sequences: about 1e-3 nats per sequence).
    k_features, variance : int, float
        Fisher top-k and the PCA variance kept (§3.4).
    spreads : tuple of float
        Candidate widths of the RBF units (MATLAB ``newrb``'s ``spread``); the paper tunes it by hand
        (§6.2.2), we pick it by 3-fold cross-validation on the training windows only.
    goal, max_neurons : float, int
        The RBF network grown as MATLAB ``newrb`` (§6.2.2), on whitened PCA scores.
    alpha : float
        Weight of the HMM posterior in Eq. 33.
    """

    window: int = 4096
    n_steps: int = 4
    n_states: int = 4
    hmm_tol: float = 0.5
    k_features: int = 10
    variance: float = 0.97
    spreads: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 4.0)
    goal: float = 0.01
    max_neurons: int = 60
    alpha: float = 0.5


# ----------------------------------------------------------------------------------------------- data


def normal_baseline(*, fs: float = FS_CWRU) -> Recording:
    """CWRU 97.mat (healthy, 0 HP) resampled from its true 48 kHz to ``fs`` (polyphase, anti-aliased).

    The paper reads every file at 12 kHz; 97.mat is sampled at 48 kHz (primer notebook, §3), so read as
    12 kHz it would be 4x slowed down, and a classifier could tell healthy from faulty by that alone.
    """
    raw = load_cwru(97)
    return dataclasses.replace(raw, signal=signal.resample(raw.signal, fs_in=raw.fs, fs_out=fs), fs=fs,
                               extra={**raw.extra, "record": raw.source, "resampled_from_hz": raw.fs})


def cwru_records(fault_set: str, *, loads: Sequence[int] = (0,)) -> list[Recording]:
    """The healthy record and the 3 fault-size records of one data set (Table 3) at the given loads."""
    if fault_set not in FAULT_SETS:
        raise ParameterError(f"unknown CWRU data set {fault_set!r}; valid: {sorted(FAULT_SETS)}")
    numbers = cwru_files("12k_DE", location=FAULT_SETS[fault_set], size=list(FAULT_SIZES), load=list(loads),
                         or_position=6 if fault_set == "OR" else None)
    return [normal_baseline(), *(load_cwru(n) for n in numbers)]


def class_of(groups: pd.DataFrame, *, sizes: Sequence[float] = FAULT_SIZES) -> np.ndarray:
    """Class index of each window: 0 healthy, then 1, 2, ... for the fault sizes ``sizes`` (Table 3)."""
    size = np.round(groups["fault_size"].to_numpy(dtype=float), 6)
    healthy = groups["label"].to_numpy() == "normal"
    unknown = sorted(set(size[~healthy]) - set(np.round(sizes, 6)))
    if unknown:
        raise ParameterError(f"fault sizes {unknown} are not among the classes {list(sizes)}")
    return np.where(healthy, 0, np.searchsorted(np.round(sizes, 6), size) + 1)


def label_index(groups: pd.DataFrame, *, labels: Sequence[str]) -> np.ndarray:
    """Class index of each window from its health label, in the order of ``labels`` (Paderborn: 3 classes)."""
    column = groups["label"].to_numpy()
    unknown = sorted(set(column) - set(labels))
    if unknown:
        raise ParameterError(f"labels {unknown} are not among the classes {list(labels)}")
    return np.array([labels.index(v) for v in column])


def evenly_spaced_windows(recording: Recording, *, n_windows: int, length: int) -> Segments:
    """``n_windows`` windows whose starts are spread evenly from the first to the last possible sample."""
    span = recording.n_samples - length
    if span < 0 or n_windows < 2:
        raise ParameterError(f"{recording.source}: cannot place {n_windows} windows of {length} samples")
    hop = span // (n_windows - 1)
    if hop < 1:
        raise ParameterError(f"{recording.source}: {n_windows} windows of {length} do not fit")
    windows = segment(recording, length=length, hop=hop)
    return windows.subset(np.arange(n_windows))


def paper_windows(recordings: Sequence[Recording], *, n_per_class: int, length: int) -> Segments:
    """The paper-like data set: ``n_per_class`` evenly spread (overlapping) windows of every record."""
    return concat_segments([evenly_spaced_windows(r, n_windows=n_per_class, length=length)
                            for r in recordings])


def paper_split(y: np.ndarray, *, test_per_class: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """Random stratified split with exactly ``test_per_class`` test windows per class (the paper's view)."""
    rng = np.random.default_rng(seed)
    test = np.concatenate([rng.choice(np.flatnonzero(y == c), size=test_per_class, replace=False)
                           for c in np.unique(y)])
    train = np.setdiff1d(np.arange(len(y)), test)
    return train, np.sort(test)


def block_split(windows: Segments, *, test_fraction: float = PAPER_TEST_FRACTION,
                seed) -> tuple[np.ndarray, np.ndarray]:
    """Contiguous block of each record for test; windows straddling the boundary are dropped."""
    train, test = splits.contiguous_block_split(windows.groups, test_fraction=test_fraction, seed=seed)
    splits.assert_disjoint(windows.groups.iloc[train], windows.groups.iloc[test])
    return train, test


def cross_load_split(windows: Segments, *, seed) -> tuple[np.ndarray, np.ndarray]:
    """Train on everything at 0 HP, test the fault classes at 1-3 HP.

    The mirror has the healthy record at 0 HP only, so the healthy class is split by a contiguous block
    (25 %) of that record; it tests record identity, not load generalisation, and the per-class table says so.
    """
    groups = windows.groups
    healthy = np.flatnonzero(groups["label"].to_numpy() == "normal")
    h_train, h_test = splits.contiguous_block_split(groups.iloc[healthy], test_fraction=PAPER_TEST_FRACTION,
                                                    seed=seed)
    faulty = groups["label"].to_numpy() != "normal"
    load = groups["load"].to_numpy(dtype=float)
    train = np.concatenate([healthy[h_train], np.flatnonzero(faulty & (load == 0))])
    test = np.concatenate([healthy[h_test], np.flatnonzero(faulty & (load > 0))])
    return np.sort(train), np.sort(test)


# ------------------------------------------------------------------------------------------- features


def feature_matrix(X: np.ndarray, *, fs: float, n_steps: int) -> np.ndarray:
    """``[46 window features | n_steps x 46 sub-frame features]`` of each window (Table 5, §6.1).

    Parameters
    ----------
    X : np.ndarray [shape=(n_windows, length)]
    fs : float
        Sampling rate, Hz.
    n_steps : int
        Sub-frames per window (HMM observations).

    Returns
    -------
    np.ndarray [shape=(n_windows, 46 * (1 + n_steps))]
    """
    whole = features.extract_features(X, fs=fs)
    frames = frame_sequences(X, n_steps)
    per_frame = features.extract_features(frames.reshape(-1, frames.shape[-1]), fs=fs)
    return np.hstack([whole, per_frame.reshape(len(X), -1)])


def _columns(start: int, stop: int) -> ColumnTransformer:
    return ColumnTransformer([("columns", "passthrough", slice(start, stop))], remainder="drop")


def make_rbf_model(settings: Settings = Settings()) -> GridSearchCV:
    """Window features -> Fisher top-k -> PCA (97 %, whitened) -> RBF network grown as ``newrb`` (§6.2).

    The unit width is chosen among ``settings.spreads`` by 3-fold stratified cross-validation on the training
    windows (``GridSearchCV``; the fitted network is ``model.best_estimator_``).
    """
    n = len(features.FEATURE_NAMES)
    reduce = make_feature_pipeline(k=settings.k_features, variance=settings.variance)
    reduce.set_params(pca__whiten=True)
    network = Pipeline([("window", _columns(0, n)), ("reduce", reduce),
                        ("rbf", RBFNetworkClassifier(centers="newrb", goal=settings.goal,
                                                     max_neurons=settings.max_neurons))])
    return GridSearchCV(network, {"rbf__spread": list(settings.spreads)}, cv=StratifiedKFold(n_splits=3))


def make_hmm_model(settings: Settings = Settings()) -> Pipeline:
    """Sub-frame features -> (Fisher + PCA per sub-frame) -> one 4-state left-right HMM per class (§6.1)."""
    n = len(features.FEATURE_NAMES)
    reduce = make_feature_pipeline(k=settings.k_features, variance=settings.variance)
    return Pipeline([("frames", _columns(n, n * (1 + settings.n_steps))),
                     ("reduce", StepwiseTransformer(reduce, n_steps=settings.n_steps)),
                     ("hmm", LeftRightHMMClassifier(n_states=settings.n_states, n_steps=settings.n_steps,
                                                    tol=settings.hmm_tol))])


# ----------------------------------------------------------------------------------------- evaluation


@dataclasses.dataclass
class RunResult:
    """Predictions of one train/test run: true classes, posteriors per model, HMM log-likelihoods."""

    y_true: np.ndarray
    proba: dict[str, np.ndarray]
    log_likelihood: np.ndarray
    alpha_curve: pd.Series
    groups: pd.DataFrame

    def predictions(self, model: str) -> np.ndarray:
        return np.argmax(self.proba[model], axis=1)

    def accuracy(self, model: str) -> float:
        return float(accuracy_score(self.y_true, self.predictions(model)))

    def per_class_accuracy(self, model: str) -> np.ndarray:
        return per_class_accuracy(self.y_true, self.predictions(model), n_classes=self.proba[model].shape[1])


def stacked_posteriors(F_train, y_train, F_test, settings: Settings, *, seed) -> np.ndarray:
    """The 8-d stacking variant (§6.3.1): a logistic head on out-of-fold ``[P_HMM, S_RBF]`` vectors."""
    fold_seed = int(np.random.default_rng(seed).integers(2**31))
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=fold_seed)
    models = {"hmm": make_hmm_model(settings), "rbf": make_rbf_model(settings)}
    stack = fusion.make_stacked_fusion(models, cv=cv)
    return stack.fit(F_train, y_train).predict_proba(F_test)


def run(F: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray, groups: pd.DataFrame,
        settings: Settings = Settings()) -> RunResult:
    """Fit the HMM battery and the RBF network on ``train``; score them and their fusion on ``test``.

    Parameters
    ----------
    F : np.ndarray
        :func:`feature_matrix` of every window.
    y : np.ndarray of int
        Class of every window.
    train, test : np.ndarray of int
        Indices into ``F``.
    groups : pd.DataFrame
        Provenance of every window (kept for the test windows).
    settings : Settings

    Notes
    -----
    Nothing here draws random numbers: Baum-Welch starts from equal chunks, ``newrb`` grows deterministically
    and the spread search uses unshuffled folds, so a run is fixed by its split.
    """
    hmm = make_hmm_model(settings).fit(F[train], y[train])
    rbf = make_rbf_model(settings).fit(F[train], y[train])
    p_hmm, p_rbf = hmm.predict_proba(F[test]), rbf.predict_proba(F[test])
    proba = {"HMM": p_hmm, "RBFNN": p_rbf,
             "Hybrid": fusion.fuse_weighted([p_hmm, p_rbf], (settings.alpha, 1.0 - settings.alpha))}
    log_likelihood = hmm[-1].log_likelihoods(hmm[:-1].transform(F[test]))
    curve = pd.Series(fusion.weight_sweep(p_hmm, p_rbf, y[test], ALPHAS, classes=hmm.classes_), index=ALPHAS)
    return RunResult(y[test], proba, log_likelihood, curve, groups.iloc[test].reset_index(drop=True))


def run_protocol(F: np.ndarray, y: np.ndarray, groups: pd.DataFrame, split, seeds: Sequence[int],
                 settings: Settings = Settings()) -> list[RunResult]:
    """One :func:`run` per seed; ``split(seed) -> (train, test)`` gives that seed's split."""
    return [run(F, y, *split(s), groups, settings) for s in seeds]


def summarise(runs: Sequence[RunResult], *, models: Sequence[str] = MODELS) -> pd.DataFrame:
    """Mean and standard deviation over seeds of the overall accuracy (%) of each model."""
    rows = {m: [100 * r.accuracy(m) for r in runs] for m in models if m in runs[0].proba}
    return pd.DataFrame({"mean": {m: np.mean(v) for m, v in rows.items()},
                         "std": {m: np.std(v, ddof=1) if len(v) > 1 else 0.0 for m, v in rows.items()},
                         "n_runs": {m: len(v) for m, v in rows.items()}})


def per_class_summary(runs: Sequence[RunResult], model: str) -> np.ndarray:
    """Mean per-class accuracy (%) over runs."""
    return 100 * np.nanmean([r.per_class_accuracy(model) for r in runs], axis=0)


def pooled_confusion(runs: Sequence[RunResult], model: str) -> np.ndarray:
    """Confusion matrix summed over runs (rows: true class, columns: predicted)."""
    n = runs[0].proba[model].shape[1]
    return sum(confusion_matrix(r.y_true, r.predictions(model), labels=np.arange(n)) for r in runs)


def mean_log_likelihood(runs: Sequence[RunResult]) -> np.ndarray:
    """Table 9: mean ``log P(O | λ_k)`` of the class-k test sequences under their own class's model."""
    per_run = []
    for r in runs:
        classes = np.unique(r.y_true)
        per_run.append([r.log_likelihood[r.y_true == k, k].mean() if k in classes else np.nan
                        for k in range(r.log_likelihood.shape[1])])
    return np.nanmean(per_run, axis=0)


def mean_alpha_curve(runs: Sequence[RunResult]) -> pd.Series:
    """Accuracy (%) of Eq. 33 against α, averaged over runs."""
    return 100 * pd.concat([r.alpha_curve for r in runs], axis=1).mean(axis=1)
