"""The tables of Di Maggio (2023), the paper's numbers beside ours: Tables 1, 2, 4-8, the split counts, the
per-run table, the simulator's impact severity and the sensitivity of Table 7 to the simulator's physics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.papers.dimaggio2023.data import label_index
from bearingkit.papers.dimaggio2023.experiments import Runs
from bearingkit.papers.dimaggio2023.settings import (
    CHUNK_SAMPLES,
    CHUNKS_PER_SIGNAL,
    CLASSES,
    LABELS,
    PAPER,
    PAPER_METHOD,
    Settings,
)
from bearingkit.papers.dimaggio2023.training import MethodResult, first_run_per_method, training_schedule
from bearingkit.papers.dimaggio2023.uncertainty import binomial_standard_error
from bearingkit.physics import simulate as sim
from bearingkit.report import reference

__all__ = [
    "confusions", "matlab_vs_keras", "paper_table7", "per_run_table", "per_run_tables", "sensitivity_table",
    "split_counts", "split_tables", "table1", "table1_counts", "table2", "table4", "table5", "table6",
    "table7", "table7_vs_paper", "table8",
]

SETS = ("train", "validation", "test")


def table1() -> pd.DataFrame:
    """Table 1 counted: each layer of our Keras VGGish (output, activation, parameters) beside the paper's."""
    from bearingkit.models import vggish

    table = vggish.parameter_table(vggish.build_vggish())
    table["paper (Table 1)"] = [" | ".join(r[1:]) for r in reference.published(PAPER, "table1_layers")[1:-1]]
    return table


def table1_counts(table: pd.DataFrame) -> dict[str, int]:
    """Parameters counted from :func:`table1`'s layers, and the number the paper states (§2.3)."""
    return {"counted": int(table["parameters"].sum()),
            "stated": int(reference.published(PAPER, "vggish_parameters_stated"))}


def table2(settings: Settings) -> pd.DataFrame:
    """Table 2's training options beside ours (as text): the same, with updates kept rather than epochs."""
    table = pd.DataFrame({"paper": pd.Series(reference.published(PAPER, "table2_hyperparameters"))})
    drop_every = settings.iterations * settings.drop_period // settings.epochs
    table["ours"] = ["Adam (keras.optimizers.Adam)", f"{settings.l2:g} (Keras L2 {settings.l2 / 2:g})",
                     settings.batch_size, "ceil(n_train / 32), printed per run with Table 7",
                     settings.learning_rate,
                     f"{settings.drop_period} paper epochs = every {drop_every} updates",
                     settings.drop_factor, f"{settings.epochs} paper epochs = {settings.iterations} updates"]
    return table.astype(str)


def matlab_vs_keras(settings: Settings) -> pd.DataFrame:
    """Where MATLAB's ``trainingOptions`` / ``trainNetwork`` and our Keras 3 training differ, and what we
    do."""
    full = training_schedule(3 * 576, batch_size=settings.batch_size, iterations=settings.iterations)
    return pd.DataFrame([
        ("mini-batches per epoch", "floor(n / 32): a partial batch is dropped",
         f"ceil(n / 32): the last batch partial ({full['steps_per_epoch']} either way for 1,728)"),
        ("shuffle", "'once' by default (the paper does not say)", "every epoch (Keras fit)"),
        ("Adam epsilon", "1e-8", f"{settings.adam_epsilon:g} (set to MATLAB's; Keras' default is 1e-7)"),
        ("Adam beta1, beta2", "0.9, 0.999", "0.9, 0.999"),
        ("L2 factor", "λ/2·‖W‖² on every learnable weight", f"L2({settings.l2 / 2:g}) on the new dense layer "
         "(the only trained weights)"),
        ("training accuracy", "of the last mini-batch (training-progress plot)",
         "of the whole training set after training, dropout off"),
        ("class weights", "none (balanced classes)",
         "n / (3 n_class): 1.0 on balanced sets, CWRU's normal up"),
        ("weights initialisation", "Glorot, zero bias", "Glorot uniform, zero bias (Keras Dense)"),
    ], columns=["option", "MATLAB trainingOptions / trainNetwork", "ours (Keras 3)"]).set_index("option")


def table4() -> pd.DataFrame:
    """Table 4's load cases and speeds beside the simulated rig's."""
    rig = sim.get_rig("polito")
    table = pd.DataFrame({"paper": pd.Series(reference.published(PAPER, "table4_conditions")).astype(str)})
    loads = [load for _, load in rig.load_cases]
    table["ours (SIMULATED)"] = [str([radial for radial, _ in loads]), str([axial for _, axial in loads]),
                                 str(list(rig.speeds_rpm))]
    return table


def table5(settings: Settings, profile: str) -> pd.DataFrame:
    """Table 5's signal length and chunking beside the simulated data's (as text)."""
    rig = sim.get_rig("polito")
    table = pd.DataFrame({"paper": pd.Series(reference.published(PAPER, "table5_extraction"))})
    duration = (rig.duration if settings.n_chunks == CHUNKS_PER_SIGNAL
                else f"{settings.n_chunks * 1.6:.1f} ({profile} profile)")
    table["ours (SIMULATED)"] = [duration, rig.fs, CHUNK_SAMPLES, CHUNK_SAMPLES / rig.fs, settings.n_chunks]
    return table.astype(str)


def split_counts(labels, splits: Mapping[str, tuple]) -> pd.DataFrame:
    """Chunks of each class (``labels``: :data:`~bearingkit.papers.dimaggio2023.settings.CLASSES`) in each
    set of each split."""
    y = label_index(labels)
    return pd.DataFrame({name: [int(np.sum(y[part] == k)) for part in split for k in range(len(CLASSES))]
                         for name, split in splits.items()},
                        index=pd.MultiIndex.from_product([list(SETS), LABELS]))


def table6(labels, splits: Mapping[str, tuple]) -> pd.DataFrame:
    """Table 6 (chunks per class and set) beside our count in each split."""
    table = split_counts(labels, splits)
    per_class = reference.published(PAPER, "table6_split_per_class")
    table.insert(0, "Table 6 (paper)", [per_class[part] for part in SETS for _ in LABELS])
    return table


def table7(results: Sequence[MethodResult]) -> pd.DataFrame:
    """Accuracies (%) and training time per method and split, mean over runs (Table 7)."""
    rows = [{"method": r.method, "split": r.split, "train": r.train_accuracy,
             "validation": r.validation_accuracy, "test": r.test_accuracy, "train time (s)": r.train_seconds}
            for r in results]
    return pd.DataFrame(rows).groupby(["split", "method"], sort=False).mean()


def table7_vs_paper(runs: Runs) -> pd.DataFrame:
    """Table 7 of every data set and split beside the paper's test accuracy and training time, with the
    difference, our number of test chunks and the binomial standard error of our test accuracy."""
    published = reference.published(PAPER, "table7_accuracy_pct")
    table = pd.concat({key: table7(value) for key, value in runs.items()}, names=["data set", "split2"])
    table = table.droplevel("split2")
    paper_of = [PAPER_METHOD.get(m) for m in table.index.get_level_values("method")]
    table["paper test"] = [published[p]["test"] if p else np.nan for p in paper_of]
    table["paper time (s)"] = [published[p]["train_time_s"] if p else np.nan for p in paper_of]
    table["test - paper"] = table["test"] - table["paper test"]
    n_test = {(key[0], key[1], r.method): r.sizes["test"] for key, value in runs.items() for r in value}
    table["n test"] = [n_test[(d, s, m)] for d, s, m in table.index]
    table["test SE"] = [binomial_standard_error(acc, n) for acc, n in zip(table["test"], table["n test"],
                                                                          strict=True)]
    return table


def paper_table7() -> pd.DataFrame:
    """The paper's Table 7 as printed (accuracies in %, training time in s)."""
    return pd.DataFrame(reference.published(PAPER, "table7_accuracy_pct")).T.drop(columns="hardware")


def per_run_table(results: Sequence[MethodResult]) -> pd.DataFrame:
    """One row per run: method, seed, accuracies (%), and the schedule it ran (epochs, steps per epoch,
    updates; solver iterations and convergence for the logistic regressions)."""
    rows = []
    for r in results:
        rows.append({"method": r.method, "seed": r.seed, "train": r.train_accuracy,
                     "validation": r.validation_accuracy, "test": r.test_accuracy,
                     "epochs": r.schedule.get("epochs"), "steps/epoch": r.schedule.get("steps_per_epoch"),
                     "updates": r.schedule.get("iterations", r.schedule.get("solver_iterations")),
                     "converged": r.schedule.get("converged"), "n test": r.sizes.get("test")})
    table = pd.DataFrame(rows)
    for column in ("seed", "epochs", "steps/epoch", "updates", "n test"):   # integers, missing where none
        table[column] = pd.array(table[column], dtype="Int64")
    return table


def split_tables(results: Sequence[MethodResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of one split: :func:`table7` (means over runs) and :func:`per_run_table` indexed by
    method and seed."""
    return table7(results), per_run_table(results).set_index(["method", "seed"])


def per_run_tables(runs: Runs) -> pd.DataFrame:
    """:func:`per_run_table` of every data set and split, one table with ``dataset`` and ``split`` columns."""
    return pd.concat([per_run_table(v).assign(dataset=k[0], split=k[1]) for k, v in runs.items()],
                     ignore_index=True)


def sensitivity_table(runs: Runs, runs_before: Runs,
                      methods: tuple[str, ...] = ("YAMNet", "46 features")) -> pd.DataFrame:
    """Test accuracy of the methods whose names start with ``methods``, under the simulator's physics now and
    before issue 19 (:func:`~bearingkit.papers.dimaggio2023.experiments.rerun_before_issue_19`), per split;
    only the methods the rerun ran (not the YAMNet head's plateau run)."""
    accuracies: dict[tuple[str, str], dict[str, list[float]]] = {}
    for key, before in runs_before.items():
        rerun = {r.method for r in before}
        for physics, results in (("now", runs[key]), ("before issue 19", before)):
            for r in results:
                if r.method.startswith(methods) and r.method in rerun:
                    by_physics = accuracies.setdefault((key[1], r.method), {})
                    by_physics.setdefault(physics, []).append(r.test_accuracy)
    table = pd.DataFrame([{"split": split, "method": method,
                           "test, before issue 19": np.mean(v["before issue 19"]),
                           "test, now": np.mean(v["now"]),
                           "per run, before": np.round(v["before issue 19"], 1),
                           "per run, now": np.round(v["now"], 1)}
                          for (split, method), v in accuracies.items()]).set_index(["split", "method"])
    table["change"] = table["test, now"] - table["test, before issue 19"]
    return table


def table8(results: Sequence[MethodResult]) -> pd.DataFrame:
    """Precision and recall (%) per method and class on the test set, mean over runs, beside the paper's."""
    published = reference.published(PAPER, "table8_precision_recall_pct")
    rows = []
    for r in results:
        scores = r.precision_recall()
        for label in LABELS:
            paper = published.get(PAPER_METHOD.get(r.method) or "", {}).get(label, [np.nan, np.nan])
            rows.append({"method": r.method, "class": label, "precision": scores.loc[label, "precision"],
                         "paper precision": paper[0], "recall": scores.loc[label, "recall"],
                         "paper recall": paper[1]})
    return pd.DataFrame(rows).groupby(["method", "class"], sort=False).mean()


def confusions(results: Sequence[MethodResult]) -> dict[str, np.ndarray]:
    """The test confusion matrix of each method's first run (Fig. 11)."""
    return {method: r.confusion() for method, r in first_run_per_method(results).items()}
