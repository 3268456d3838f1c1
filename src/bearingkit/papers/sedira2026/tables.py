"""The tables notebook 03 shows: the paper's Tables 1-13 laid out beside ours, and the tables behind its
prose.

Each function builds one table from the run's numbers (no model is fitted here); the results rows
themselves come from :mod:`~bearingkit.papers.sedira2026.rows`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.errors import UnknownNameError
from bearingkit.features import handcrafted
from bearingkit.physics import kinematics
from bearingkit.recording import Recording
from bearingkit.report import results

from .data import class_of, counts_matching
from .features import feature_redundancy
from .measures import (
    accuracies,
    accuracy_by_load,
    alpha_curve_facts,
    counts_with_interval,
    hmm_saturation,
    hybrid_vs_hmm,
    own_log_likelihoods,
    prediction_shares,
    variant_agreement,
)
from .protocol import RunResult
from .settings import CLASS_NAMES, FS_CWRU, HYBRID_VARIANTS, MODELS, PADERBORN_CLASS_NAMES, Settings
from .views import View, feature_shift, training_windows

__all__ = [
    "alpha_facts", "by_load_table", "counts_table", "cross_condition_table", "feature_examples",
    "implied_test_counts", "kept_features", "levels_flat", "not_regenerated", "pca_summary",
    "redundancy_table", "rows_table", "sensitivity_table", "stacking_table", "status_counts", "table1",
    "table13", "table2", "table3", "table4", "table5", "table6", "table8_difference", "table8_pivot",
    "table9", "versus_hmm_table", "worst_pair_summary", "worst_pair_tables",
]

_Runs = Mapping[tuple[str, str], Sequence[RunResult]]


def not_regenerated() -> pd.DataFrame:
    """The paper's figures that are photographs or drawings of rigs, and why none is regenerated."""
    return pd.DataFrame({
        "caption": ["Experimental setup of the rolling bearings (CWRU rig)", "Paderborn test bench",
                    "Schematic and photograph of a special bearing (axial rig)"],
        "why not regenerated": ["a photograph of the CWRU rig; Table 1 and 3 give what it shows",
                                "a photograph of the Paderborn bench; no data to compute it from",
                                "a photograph and drawing of a private rig; replaced by the simulated rig "
                                "(Fig. 12 below)"]},
        index=pd.Index(["Fig. 1", "Fig. 9", "Fig. 11"], name="figure"))


def table1(printed: Mapping) -> pd.DataFrame:
    """Table 1 as printed (``table1_geometry_as_printed``) beside the CWRU data centre's geometry, in mm."""
    de = kinematics.get_bearing("cwru_de")
    return pd.DataFrame({
        "paper (as printed)": [str(printed["n_elements"]), printed["ball_diameter"],
                               printed["pitch_diameter"], str(printed["contact_angle_deg"])],
        "CWRU data centre": [str(de.n_elements), f"{de.ball_diameter} in", f"{de.pitch_diameter} in",
                             str(de.contact_angle_deg)],
        "in mm": [str(de.n_elements), f"{de.ball_diameter * 25.4:.2f} mm",
                  f"{de.pitch_diameter * 25.4:.2f} mm", str(de.contact_angle_deg)],
    }, index=["rolling elements", "ball diameter d", "pitch diameter D", "contact angle θ (deg)"])


def table2() -> pd.DataFrame:
    """Table 2: the ISO 10816/13374 severity zones A-D mapped onto the four classes."""
    return pd.DataFrame({
        "machine health status": ["new, good condition", "acceptable for long-term operation",
                                  "not suitable for continuous long-term operation",
                                  "severe enough to cause damage"],
        "defect": ["none (healthy)", "defect 1 (0.007\")", "defect 2 (0.014\")", "defect 3 (0.021\")"],
        "class": [1, 2, 3, 4]}, index=pd.Index(list("ABCD"), name="ISO zone"))


def table3(records: Mapping[str, Sequence[Recording]], *,
           class_names: Sequence[str] = CLASS_NAMES) -> pd.DataFrame:
    """Table 3: the data centre's file behind each class and data set, with its rate and speed."""
    table = pd.DataFrame(index=list(class_names), columns=list(records))
    for name, recs in records.items():
        for rec in recs:
            k = int(class_of(pd.DataFrame({"label": [rec.label], "fault_size": [rec.fault_size]}))[0])
            table.loc[class_names[k], name] = (f"{rec.source.split('/')[-1]} ({rec.fs / 1000:g} kHz, "
                                               f"{rec.rpm:g} rpm)")
    return table


def table4(rows: Sequence[Mapping]) -> pd.DataFrame:
    """Table 4's rows (:func:`rows_table`) with the difference relative to the published frequency (%)."""
    table = rows_table(rows, item="Table 4")
    table["relative difference %"] = 100 * table["ours − published"] / table["published"]
    return table


def table5() -> pd.DataFrame:
    """Table 5: the feature groups (9 time, 5 frequency, 32 wavelet-packet energies) and their features."""
    groups = {"time": handcrafted.FEATURE_GROUPS["time"],
              "frequency": handcrafted.FEATURE_GROUPS["frequency"],
              "time-frequency": handcrafted.FEATURE_GROUPS["time_frequency"]}
    table = pd.DataFrame({"count": {k: len(v) if not isinstance(v, int) else v for k, v in groups.items()}})
    table["features"] = [", ".join(handcrafted.TIME_FEATURES), ", ".join(handcrafted.FREQUENCY_FEATURES),
                         f"{handcrafted.WAVELET_FEATURES[0]} … {handcrafted.WAVELET_FEATURES[-1]} "
                         "(db5, level 5)"]
    return table


def feature_examples(records: Sequence[Recording], *, window: int, n_shown: int = 14) -> pd.DataFrame:
    """The first ``n_shown`` features (time and frequency) of the first window of each record (Table 5)."""
    values = handcrafted.extract_features(np.stack([r.signal[:window] for r in records]), fs=FS_CWRU)
    index = [f"{r.extra['variable']} (class {i + 1}, {r.rpm:g} rpm)" for i, r in enumerate(records)]
    return pd.DataFrame(values, columns=handcrafted.FEATURE_NAMES, index=index).iloc[:, :n_shown]


def _fits(value: float, totals: Sequence[int], decimals: int = 2) -> dict[str, str]:
    """``{"k of n": "k/n" or "none"}`` for each total (:func:`~.data.counts_matching`)."""
    return {f"k of {t}": (f"{k}/{t}" if k is not None else "none")
            for t, k in counts_matching(value, totals, decimals=decimals).items()}


def implied_test_counts(t7: Mapping, t8: Mapping) -> pd.DataFrame:
    """The counts behind Tables 7 and 8's HMM accuracies (:func:`~.data.counts_matching`): of 150 or 152
    test windows per set, of 37 or 38 per class."""
    overall = [{"published": f"Table 7, {m}, {n}: {t7[m][n]:.2f} %", **_fits(t7[m][n], [150, 152])}
               for m, n in (("HMM", "IR"), ("HMM", "Ball"))]
    per_class = [{"published": f"Table 8, {m}, {n}, class {c + 1}: {t8[m][n][c]:.1f} %",
                  **_fits(t8[m][n][c], [37, 38], decimals=1)}
                 for m, n, c in (("HMM", "IR", 3), ("HMM", "Ball", 2), ("HMM", "Ball", 3))]
    return pd.DataFrame(overall + per_class)


def pca_summary(fisher: Mapping[str, tuple[pd.Series, pd.DataFrame]], *, k_features: int) -> dict:
    """Per data set: the ``k_features`` features Fisher keeps (best first), PCA's components kept and its
    cumulative explained variance (from :func:`~.features.fisher_and_pca`)."""
    return {name: {"kept_features": list(scores.index[::-1][:k_features]),
                   "n_components": int(ev["retained"].sum()),
                   "cumulative": ev["cumulative"].round(4).tolist()}
            for name, (scores, ev) in fisher.items()}


def kept_features(summary: Mapping[str, Mapping]) -> pd.DataFrame:
    """The Fisher top features of each data set side by side (from :func:`pca_summary`)."""
    return pd.DataFrame({k: v["kept_features"] for k, v in summary.items()})


def redundancy_table(views: Mapping[str, View], *, seed: int, settings: Settings) -> pd.DataFrame:
    """:func:`~.features.feature_redundancy` on the training windows of ``seed`` of each view, one line per
    data set, without the feature names."""
    redundancy = {name: feature_redundancy(*training_windows(v, seed), settings) for name, v in views.items()}
    return pd.DataFrame(redundancy).T.drop(columns="selected")


def table6(hmm_model, view, seed: int, *, class_names: Sequence[str] = CLASS_NAMES) -> pd.DataFrame:
    """Table 6: each class's HMM λ_k, its states and training sequences, and the mean ``log P(O | λ_j)`` of
    each class's test sequences under every model (the diagonal is Table 9's quantity)."""
    train, test = view.split(seed)
    scores = hmm_model[-1].log_likelihoods(hmm_model[:-1].transform(view.F[test]))
    n = len(class_names)
    return pd.DataFrame({
        "HMM": [f"λ{k + 1}" for k in range(n)],
        "states": [m.n_components for m in hmm_model[-1].models_],
        "training sequences": np.bincount(view.y[train]).tolist(),
        **{f"mean log P(O | λ{j + 1})": [scores[view.y[test] == k, j].mean() for k in range(n)]
           for j in range(n)}}, index=pd.Index(list(class_names), name="class of the test sequences"))


def rows_table(rows: Sequence[Mapping], *, item: str, prefix: str = "") -> pd.DataFrame:
    """The rows of one table laid out for reading: the published value, then ours per split.

    Rows are (data set, quantity), those whose quantity starts with ``prefix``; columns ``published``, then
    for each split ``ours (<split>)`` (mean over runs), ``± (<split>)`` (standard deviation, NaN for a single
    run), ``n (<split>)`` and ``status (<split>)``, and on real, comparable rows ``ours − published`` on the
    paper's split.

    Raises
    ------
    UnknownNameError
        When no row belongs to ``item``.
    """
    table: dict[tuple[str, str], dict] = {}
    for r in rows:
        if r["item"] != item or not r["quantity"].startswith(prefix):
            continue
        line = table.setdefault((r["dataset"], r["quantity"]), {"published": r["paper_value"]})
        split = r["split"]
        line.update({f"ours ({split})": r["ours_mean"], f"± ({split})": r["ours_spread"],
                     f"n ({split})": r["n"], f"status ({split})": r["status"]})
        if (split == results.PAPER_SPLIT and r["data_kind"] == "real" and r.get("comparable", True)
                and r["ours_mean"] is not None):
            line["ours − published"] = r["ours_mean"] - r["paper_value"]
    if not table:
        raise UnknownNameError(f"no rows for {item!r}; items: {sorted({r['item'] for r in rows})}")
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["data set", "quantity"])
    return frame


def table8_pivot(long: pd.DataFrame) -> pd.DataFrame:
    """Table 8 laid out as the paper's: rows (data set, class); columns (model, split), then the published.

    ``long``: :func:`~.measures.table8_long`. The published value sits beside each model's splits under the
    split name ``"published"``.
    """
    ours = long.pivot_table(index=["data set", "class"], columns=["model", "split"], values="ours",
                            sort=False, dropna=False)
    paper = long[long["split"] == "paper"].pivot_table(index=["data set", "class"], columns="model",
                                                        values="paper", sort=False)
    paper.columns = pd.MultiIndex.from_product([paper.columns, ["published"]])
    models = list(dict.fromkeys(long["model"]))
    order = [(m, s) for m in models for s in [*dict.fromkeys(long["split"]), "published"]]
    return pd.concat([ours, paper], axis=1)[order]


def table8_difference(pivot: pd.DataFrame) -> pd.DataFrame:
    """Ours on the paper split minus the published per-class accuracy (pp), per model
    (``pivot``: :func:`table8_pivot`)."""
    return pd.DataFrame({m: pivot[(m, "paper")] - pivot[(m, "published")] for m in MODELS})


def counts_table(runs: _Runs) -> pd.DataFrame:
    """Correct test windows ``k/n`` of the first seed with its exact 95 % interval, and the mean over seeds,
    per data set, split and model (:func:`~.measures.counts_with_interval`)."""
    lines = []
    for (name, split), result in runs.items():
        for model in MODELS:
            c = counts_with_interval(result, model)
            first = c.iloc[0]
            lines.append({"data set": name, "split": split, "model": model,
                          "k/n (first seed)": f"{int(first['k'])}/{int(first['n'])}",
                          "accuracy (first seed)": first["accuracy"],
                          "95 % interval": f"{first['95 % low']:.1f}–{first['95 % high']:.1f}",
                          "mean over seeds": c["accuracy"].mean(), "seeds": len(c)})
    return pd.DataFrame(lines).set_index(["data set", "split", "model"])


def by_load_table(runs: Mapping[str, Sequence[RunResult]]) -> pd.DataFrame:
    """The hybrid's accuracy (%) on the fault classes of each held-out load (cross-load runs per data set):
    mean, standard deviation and count over seeds, indexed (data set, load)."""
    by_load = pd.concat([accuracy_by_load(result).assign(**{"data set": name})
                         for name, result in runs.items()])
    faulty_loads = by_load[by_load["load (HP)"] > 0]
    return faulty_loads.groupby(["data set", "load (HP)"])["accuracy"].agg(["mean", "std", "count"])


def alpha_facts(curves: Mapping[str, pd.Series], alpha: float) -> pd.DataFrame:
    """:func:`~.measures.alpha_curve_facts` of every curve, one line each."""
    return pd.DataFrame({k: alpha_curve_facts(v, alpha) for k, v in curves.items()}).T


def versus_hmm_table(runs: _Runs) -> pd.DataFrame:
    """Per data set and split, how the fused decision relates to the HMM's (:func:`~.measures.hybrid_vs_hmm`)
    and how often ``P_HMM`` is practically one-hot (:func:`~.measures.hmm_saturation`)."""
    table = pd.DataFrame([{"data set": name, "split": split, **hybrid_vs_hmm(result),
                           **hmm_saturation(result)}
                          for (name, split), result in runs.items()]).set_index(["data set", "split"])
    return table.drop(columns="hybrid = HMM decision (%)")


def sensitivity_table(runs: _Runs) -> pd.DataFrame:
    """Eq. 33 as printed beside its two other readings (:data:`HYBRID_VARIANTS`), mean accuracy (%) and how
    often each reading follows the HMM, with the temperature T and the single models, per data set and
    split."""
    return pd.DataFrame([
        {"data set": name, "split": split,
         "Hybrid (Eq. 33 as printed)": np.mean(accuracies(result, "Hybrid")),
         **{v.removeprefix("Hybrid, "): np.mean(accuracies(result, v)) for v in HYBRID_VARIANTS},
         **{f"= HMM (%), {v.removeprefix('Hybrid, ')}": variant_agreement(result, v)
            for v in HYBRID_VARIANTS},
         "T (nats, median over seeds)": np.median([r.temperature for r in result]),
         "HMM": np.mean(accuracies(result, "HMM")), "RBFNN": np.mean(accuracies(result, "RBFNN"))}
        for (name, split), result in runs.items()]).set_index(["data set", "split"])


def stacking_table(runs: _Runs, stacked: Mapping[tuple[str, str], Sequence[float]]) -> pd.DataFrame:
    """The 8-d stacking variant's accuracy (%) beside Eq. 33 (α = 0.5) on the same seeds, per view."""
    lines = []
    for (name, split), values in stacked.items():
        lines.append({"data set": name, "split": split, "seeds": len(values),
                      "weighted (α=0.5)": np.mean(accuracies(runs[name, split][: len(values)], "Hybrid")),
                      "stacked": np.mean(values),
                      "stacked spread": (f"± {np.std(values, ddof=1):.2f}" if len(values) > 1
                                         else "n = 1, no spread")})
    return pd.DataFrame(lines)


def table9(runs: Mapping[str, Sequence[RunResult]], published: Mapping, *,
           class_names: Sequence[str] = CLASS_NAMES) -> pd.DataFrame:
    """Table 9: the paper's mean own-model log-likelihood of each class beside ours (mean over seeds)."""
    return pd.DataFrame({(name, src): (published[name] if src == "paper" else
                                       np.nanmean(own_log_likelihoods(runs[name]), axis=0))
                         for name in runs for src in ("paper", "ours")}, index=list(class_names))


def cross_condition_table(cross: Mapping[tuple[str, str], RunResult]) -> pd.DataFrame:
    """Accuracy (%) of every model on each Paderborn condition pair (train → test)."""
    return pd.DataFrame({f"{a} → {b}": {m: 100 * r.accuracy(m) for m in MODELS}
                         for (a, b), r in cross.items()}).T


def levels_flat(levels: pd.DataFrame) -> list[dict]:
    """:func:`~.views.level_by_condition` as records with flat column names (for the results file)."""
    flat = levels.round(4).set_axis([f"{stat}, {label}" for stat, label in levels.columns], axis=1)
    return flat.reset_index(names="condition").to_dict("records")


def worst_pair_tables(views: Mapping[str, View], pair: tuple[str, str], result: RunResult, *,
                      labels: Sequence[str] = PADERBORN_CLASS_NAMES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where the test segments of a condition pair go (% of each class), and how each class's median RMS and
    kurtosis move from the training to the test condition (ratio, :func:`~.views.feature_shift`)."""
    shares = prediction_shares(result, "Hybrid", labels=labels)
    shift = pd.DataFrame({feature: feature_shift(views[pair[0]], views[pair[1]], feature=feature).to_numpy()
                          for feature in ("rms", "kurtosis")}, index=list(labels))
    return shares, shift


def worst_pair_summary(pair: tuple[str, str], result: RunResult, shares: pd.DataFrame,
                       shift: pd.DataFrame) -> dict:
    """The worst condition pair as the results file records it: pair, correct ``k`` of ``n``, the tables."""
    return {"pair": list(pair), "k": int(np.sum(result.predictions("Hybrid") == result.y_true)),
            "n": int(result.y_true.size), "shares": shares.round(2).to_dict(),
            "shift": shift.round(3).to_dict()}


def table13(published: Sequence[Mapping], table12: pd.DataFrame) -> pd.DataFrame:
    """Table 13 (the literature, as published) with our CWRU hybrid on the paper's and two leakage-aware
    splits added (``table12``: :func:`rows_table` of Table 12)."""
    hybrid = table12.loc[("CWRU", "overall accuracy, Hybrid")]
    ours = [("HMM-RBFNN (α=0.5), paper-like split", "CWRU OR/IR/Ball mean", "paper"),
            ("HMM-RBFNN (α=0.5), contiguous blocks", "CWRU OR/IR/Ball mean, no shared samples",
             "contiguous-block"),
            ("HMM-RBFNN (α=0.5), cross-load", "CWRU, train 0 HP, test faults at 1-3 HP", "cross-load")]
    lines = pd.DataFrame([{"reference": "this notebook", "method": method, "description": description,
                           "accuracy": f"{hybrid[f'ours ({split})']:.2f}"}
                          for method, description, split in ours])
    return pd.concat([pd.DataFrame(published), lines], ignore_index=True)


def status_counts(rows: Sequence[Mapping]) -> pd.DataFrame:
    """How many results rows have each status, by split."""
    return pd.DataFrame(rows).groupby(["split", "status"]).size().unstack(fill_value=0)
