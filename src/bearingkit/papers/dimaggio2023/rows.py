"""The results rows of notebook 01 (Tables 7 and 8, every data set and split), and their tally.

A row of ours is set against the paper's number only when it comes from the paper's data by the paper's
method (:func:`comparability`); its tolerance is :func:`~bearingkit.papers.dimaggio2023.uncertainty.
binomial_tolerance` at the paper's value for the chunks behind each side (:func:`row_tolerance`). A method
without runs gives *not run* rows with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.papers.dimaggio2023.experiments import Runs
from bearingkit.papers.dimaggio2023.settings import DATASETS, LABELS, PAPER, PAPER_METHOD, Settings
from bearingkit.papers.dimaggio2023.training import MethodResult
from bearingkit.papers.dimaggio2023.uncertainty import binomial_tolerance
from bearingkit.report import reference, results

__all__ = [
    "METHOD_DIFFERS", "PAPER_N", "comparability", "result_rows", "row_tolerance", "rows_of", "rows_summary",
    "status_counts",
]

#: Chunks behind each of the paper's numbers (Table 6 x 3 classes; 72 per class for precision and recall).
PAPER_N = {"train": 1728, "validation": 216, "test": 216, "class": 72}
#: How each of our methods differs from the paper's (our choices where the paper states none).
METHOD_DIFFERS = {
    "VGGish transfer (ReLU on fc2)": "",
    "VGGish transfer": "linear fc2 embedding as the reference weights (Table 1 prints a ReLU)",
    "VGGish from scratch": "",
    "YAMNet transfer": "int8 TFLite YAMNet (third-party conversion); the paper's YAMNet head settings are "
                       "not stated (Table 2's used)",
    "VGG16 (ImageNet)": "frozen ImageNet VGG16 base + global pooling + the shared head on small CWT "
                        "scalograms of the chunk's start; the paper fine-tunes an ImageNet VGG16 on wavelet "
                        "images (Shao et al.)",
    "VGG16 (ImageNet, block 5 fine-tuned)": "block 5 fine-tuned on small CWT scalograms of the chunk's "
                                            "start; the paper's images and retrained layers are not stated",
    "VGG16 (random init)": "a randomly initialised, frozen VGG16 base; the paper's VGG16 is pretrained on "
                           "ImageNet and fine-tuned",
}


def comparability(method: str, *, dataset: str, data_kind: str) -> str:
    """Why a row of ours cannot be set against the paper's number; empty when it can.

    A row is comparable only on the paper's own data (the PoliTo rig's recordings, which are not public)
    by the paper's method. Simulated data, another data set (CWRU) or another method (:data:`METHOD_DIFFERS`)
    make it *not comparable*: the distance to the paper's value then says nothing about the reproduction.

    Examples
    --------
    >>> comparability("YAMNet transfer", dataset="PoliTo rig (SIMULATED)", data_kind="simulated")[:9]
    'SIMULATED'
    """
    reasons = []
    if data_kind == "simulated":
        reasons.append("SIMULATED stand-in for the private PoliTo rig, not the paper's data")
    elif "polito" not in dataset.lower():
        reasons.append(f"{dataset}, not the paper's PoliTo rig (the claim tested on other data)")
    if METHOD_DIFFERS.get(method):
        reasons.append(f"method differs: {METHOD_DIFFERS[method]}")
    return "; ".join(reasons)


def row_tolerance(paper_value: float | None, n_ours: int, n_paper: int, *,
                  z: float = Settings.tolerance_z) -> float | None:
    """:func:`~bearingkit.papers.dimaggio2023.uncertainty.binomial_tolerance` at the paper's value for
    ``n_ours`` of our chunks and ``n_paper`` of the paper's (:data:`PAPER_N`); None without a paper value."""
    if paper_value is None or n_ours < 1:
        return None
    return binomial_tolerance(paper_value, n_ours, n_paper=n_paper, z=z)


def result_rows(runs: Sequence[MethodResult], *, dataset: str, data_kind: str, split: str,
                not_run: Mapping[str, str], z: float = Settings.tolerance_z) -> list[dict]:
    """Rows of Tables 7 and 8 for one data set and split: ours (one value per run) beside the paper's.

    A method without runs gets ``not run`` rows with the reason in ``not_run``. Rows with our numbers are
    *not comparable* where the data or the method differ from the paper's (:func:`comparability`); the
    tolerance is the binomial tolerance at the paper's value for our set's size (the whole set for
    accuracies, the class's test chunks for precision and recall), stated in every row.
    """
    table7_ref = reference.published(PAPER, "table7_accuracy_pct")
    table8_ref = reference.published(PAPER, "table8_precision_recall_pct")
    rows = []
    for method, paper_method in PAPER_METHOD.items():
        mine = [r for r in runs if r.method == method]
        differs = comparability(method, dataset=dataset, data_kind=data_kind)
        reason = differs if mine else not_run.get(method, "not run in this profile")
        common = {"paper": PAPER, "dataset": dataset, "data_kind": data_kind, "split": split,
                  "reason": reason, "comparable": not differs}
        for part, attribute in (("train", "train_accuracy"), ("validation", "validation_accuracy"),
                                ("test", "test_accuracy")):
            paper_value = table7_ref[paper_method][part] if paper_method else None
            n = mine[0].sizes.get(part, 0) if mine else 0
            rows.append(results.row(item="Table 7", quantity=f"{part} accuracy, {method}",
                                    paper_value=paper_value,
                                    tolerance=row_tolerance(paper_value, n, PAPER_N[part], z=z),
                                    ours=[getattr(r, attribute) for r in mine] or None, **common))
        for k, label in enumerate(LABELS):
            n = int(np.sum(mine[0].y_test == k)) if mine else 0
            for j, measure in enumerate(("precision", "recall")):
                ours = [r.precision_recall().iloc[k, j] for r in mine] or None
                paper_value = table8_ref[paper_method][label][j] if paper_method else None
                rows.append(results.row(item="Table 8", quantity=f"{measure}, {method}, {label}",
                                        paper_value=paper_value,
                                        tolerance=row_tolerance(paper_value, n, PAPER_N["class"], z=z),
                                        ours=ours, **common))
    return rows


def rows_of(runs: Runs, *, dataset: str, not_run: Mapping[str, str], z: float = Settings.tolerance_z,
            ) -> list[dict]:
    """:func:`result_rows` of each split of ``dataset`` in ``runs``, in order, the data set named and typed as
    :data:`~bearingkit.papers.dimaggio2023.settings.DATASETS` says."""
    name, kind = DATASETS[dataset]
    rows = []
    for (key, split), results_ in runs.items():
        if key != dataset:
            continue
        rows += result_rows(results_, dataset=name, data_kind=kind, split=split, not_run=not_run, z=z)
    return rows


def status_counts(rows: Sequence[Mapping]) -> pd.DataFrame:
    """Rows per split and status."""
    return pd.DataFrame(rows).groupby(["split", "status"]).size().unstack(fill_value=0)


def rows_summary(rows: Sequence[Mapping]) -> str:
    """One paragraph (Markdown): how many rows of each status, and why none is judged when none is."""
    counts = pd.DataFrame(rows)["status"].value_counts().to_dict()
    tally = f"**Rows:** {len(rows)} in all — " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    if {"reproduced", "differs"} & set(counts):
        return tally
    return (tally + ". None is *reproduced* or *differs*: the paper's numbers come from the PoliTo "
            "recordings, which are not public, and every number of ours is either on the simulated rig or "
            "on CWRU, or from another method; the rows keep the paper's value, ours and the binomial "
            "tolerance so that a run on the real data would be judged by the same rule.")
