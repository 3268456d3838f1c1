"""The sentences of notebook 03 whose numbers come from the run: each function returns Markdown text.

Nothing here computes a result the rows depend on; the functions read the tables and measures of the run
and say what they show, so the notebook's prose cannot drift from its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .data import counts_matching
from .settings import (
    CLASS_NAMES,
    HYBRID_VARIANTS,
    MODELS,
    PADERBORN_CLASS_NAMES,
    PAPER_TEST_PER_CLASS,
    Settings,
)

__all__ = [
    "bullet_list", "choices", "cross_load_note", "eq18_note", "fusion_lock_note", "KAT_FACTORS",
    "kurtogram_note", "paderborn_level_note", "rbf_note", "sensitivity_note", "table9_note",
    "test_counts_note", "verdict_lines", "worst_pair_note",
]

#: Condition-code factors of the KAt data (``N15_M07_F10``: speed, load torque, radial force).
KAT_FACTORS = ("speed (N, x100 rpm)", "load torque (M, x0.1 Nm)", "radial force (F, x100 N)")


def choices(settings: Settings) -> str:
    """What the code does beyond the paper's text, with the values of ``settings``."""
    return f"""
* **Standardisation before Fisher and PCA**: the 46 features are scaled to zero mean and unit variance on
  the training windows before the Fisher score (scale-invariant) and PCA (which is not); the paper does not
  mention scaling.
* **RBF network on whitened PCA scores**, its unit width chosen among {list(settings.spreads)} by 3-fold
  cross-validation on the training windows (the paper tunes MATLAB's `spread` by hand).
* **Growth by largest error, with a cap**: like MATLAB `newrb`, one unit at a time until the training MSE
  reaches {settings.goal}; the new unit sits on the training window of **largest error**, not on the one
  `newrb` picks by orthogonal least squares, and growth stops at **{settings.max_neurons} units**.
* **Left-right HMMs with jumps of one state**: each state may stay or move to the next one only (no skip),
  {settings.n_states} states, π = first state, diagonal Gaussian emissions, Baum–Welch from equal chunks of
  each sequence (scaled forward–backward), stopping at a gain below {settings.hmm_tol} nats.
* **Samples and sequences**: windows of {settings.window} samples; the HMM sees {settings.n_steps}
  contiguous sub-frames of each window as its observation sequence `O = (o1, ..., o{settings.n_steps})`.
* **Drive-end channel only.** Table 5 lists `X97_DE_time`, `X97_FE_time` and `X105_BA_time` as rows of its
  data table, but never says how channels combine into one observation; 97.mat has no BA channel (BA would
  leave the healthy class without it), and DE is the channel every record of Table 3 has at 12 kHz. We use
  DE only.
* **97.mat at its true 48 kHz**, resampled to 12 kHz; the paper most likely read it as 12 kHz (measured in
  the ablations below).
"""


def eq18_note(facts: Mapping[str, float], freqs: Mapping[str, float], published: Mapping,
              table4: pd.DataFrame, *, tolerance: float) -> str:
    """Eq. 18 as printed is 2 x BSF, and which of Table 4's printed lines match ours (§3.2.2).

    ``facts``: :func:`~.signals.eq18_facts`; ``freqs``: :func:`~.signals.defect_frequencies_hz` at Table 4's
    speed; ``table4``: the layout of Table 4's rows (with ``status (paper)``).
    """
    f_r, eq18, bsf = facts["shaft_hz"], facts["printed_hz"], facts["bsf_hz"]
    matched = [n for n in ("inner", "outer", "ball")
               if table4.loc[("CWRU", f"{n} frequency"), "status (paper)"] == "reproduced"]
    return (
        f"**Eq. 18 as printed**, f_r (D/d)(1 − (d/D · cos θ)²), gives {eq18 / f_r:.4f} × f_r = **{eq18:.1f} "
        "Hz** "
        f"at {published['rpm']} rpm (f_r = {f_r:.2f} Hz): that is **2 × BSF** ({freqs['ball']:.1f} Hz), the "
        f"ball-defect line, not the single ball-spin frequency BSF = {bsf / f_r:.4f} × f_r = "
        f"{bsf:.1f} Hz that the text (§3.2.2, \"rolling element frequency (BSF)\") names it after. "
        f"Eqs. 17 and 19 give BPFI = {freqs['inner'] / f_r:.4f} × f_r = {freqs['inner']:.1f} Hz and BPFO = "
        f"{freqs['outer'] / f_r:.4f} × f_r = {freqs['outer']:.1f} Hz. Table 4's printed {published['inner']} "
        "/ "
        f"{published['outer']} / {published['ball']} Hz match "
        + (f"only {', '.join(matched)}" if matched else "none of these") + f" within ±{tolerance} Hz.")


def kurtogram_note(table: pd.DataFrame, *, level0: str) -> str:
    """In how many records the whole band (level 0) is the most impulsive band
    (:func:`~.signals.kurtogram_table`, §3.2.3)."""
    at_level0 = int(np.sum(table["best level"] == 0))
    return (f"level 0 scored as {level0!r}; the whole signal (level 0) is the most impulsive band in "
            f"{at_level0} of {len(table)} records")


def test_counts_note(counts: pd.DataFrame, t7: Mapping, t8: Mapping) -> str:
    """How Tables 7 and 8's HMM values pin 150 test windows per set, 37/37/38/38 per class
    (``counts``: :func:`~.tables.implied_test_counts`)."""
    ir, ball = PAPER_TEST_PER_CLASS["IR"], PAPER_TEST_PER_CLASS["Ball"]
    ir_class4 = counts_matching(t8["HMM"]["IR"][3], [38], decimals=1)[38]
    ball_class3 = counts_matching(t8["HMM"]["Ball"][2], [38], decimals=1)[38]
    ball_class4 = counts_matching(t8["HMM"]["Ball"][3], [38], decimals=1)[38]
    ir_total = counts_matching(t7["HMM"]["IR"], [150])[150]
    ball_total = counts_matching(t7["HMM"]["Ball"], [150])[150]
    return (
        f"Table 7's {t7['HMM']['IR']:.2f} % and {t7['HMM']['Ball']:.2f} % are counts of **150** test "
        f"windows ({counts.iloc[0]['k of 150']}, {counts.iloc[1]['k of 150']}), and of no count of 152; "
        "Table 8's "
        f"per-class values fit 38 test windows in classes 3-4 ({counts.iloc[2]['k of 38']}, "
        f"{counts.iloc[4]['k of 38']}). With 37 in classes 1-2 (100 % there) the errors add up: the IR HMM's "
        f"{38 - ir_class4} errors of class 4 are Table 7's {150 - ir_total} of 150, the Ball HMM's "
        f"{38 - ball_class3} + {38 - ball_class4} errors its {150 - ball_total} of 150. We use {ir} (IR) and "
        f"{ball} (Ball) test windows per class, 25 per class for OR (Table 8's multiples of 4 %).")


def rbf_note(network, settings: Settings) -> str:
    """The size a fitted RBF network grew to, its spread and training error (Fig. 6)."""
    return (f"RBF network: {network.n_features_in_} inputs, {len(network.centers_)} hidden units of spread "
            f"{network.spread} (chosen by 3-fold CV on the training windows; training MSE "
            f"{network.training_mse_[-1]:.4f}, goal {settings.goal}), {len(network.classes_)} outputs")


def cross_load_note(fixed: Mapping[str, bool], n_seeds: int) -> str:
    """What moves between the seeds of the cross-load view (:func:`~.views.fault_test_sets_fixed`)."""
    return (f"Fault classes' test windows identical in every seed: {dict(fixed)}. Where true, the {n_seeds} "
            "runs "
            "differ only in which block of the healthy record is held out, so a spread of the fault-class "
            "accuracies above comes from that alone (n = " + str(n_seeds) + " runs), not from different test "
            "data.")


def fusion_lock_note(alpha_facts: pd.DataFrame, versus_hmm: pd.DataFrame, lock: Mapping, t7: Mapping,
                     t9: Mapping, *, alpha: float) -> str:
    """Why the fused score of Eq. 33 as printed follows the HMM, with this run's numbers (§6.3.1)."""
    flat = [k for k, f in alpha_facts.iterrows() if f["flat from alpha"]]
    moving = [f"{k} ({f['at alpha']:.2f} % at α = {alpha} → {f['at 1']:.2f} % at α = 1)"
              for k, f in alpha_facts.iterrows() if not f["flat from alpha"]]
    share = versus_hmm["hybrid = HMM (%)"]
    one_hot_nats = -np.log(np.finfo(float).eps / 2)  # a gap beyond this makes the softmax one-hot in float64
    paper_or = {m: t7[m]["OR"] for m in MODELS}
    return (
        "**Why the fused score follows the HMM, by construction.** `P_HMM` is the softmax of "
        "log-likelihoods "
        f"(§6.3.1). When the best class model beats the runner-up by more than {one_hot_nats:.1f} nats, the "
        f"softmax is one-hot in double precision; then Eq. 33 at α = {alpha} gives the HMM's class "
        f"α + (1 − α) S_RBF ≥ {alpha} and every other class (1 − α) S_RBF ≤ {1 - alpha}, so "
        + ("no RBF score vector can change the decision (`fusion.overturn_margin` ≥ 1). "
           if alpha >= 0.5 else "the RBF can still change the decision at this α. ")
        + f"In this run `fusion.overturn_margin` ≥ 1 holds for "
        f"**{lock['locked (%)']:.1f} %** of all {lock['test windows']} CWRU test windows (every split); the "
        f"fused decision equals the HMM's in {share.min():.1f}–{share.max():.1f} % of the test windows (by "
        "data "
        f"set and split), and where the HMM and the RBFNN disagree ({lock['HMM and RBFNN disagree']} "
        "windows) "
        f"the fusion sides with the RBFNN in {lock['RBFNN wins (% of disagreements)']:.1f} % of them. Of "
        f"{versus_hmm['HMM errors'].sum()} HMM errors it corrects {versus_hmm['corrected'].sum()} and adds "
        f"{versus_hmm['added'].sum()}.\n\n"
        f"**So the paper's OR {paper_or['HMM']:.2f} % → {paper_or['Hybrid']:.2f} % cannot come from Eq. 33 "
        "as "
        f"written** with such a posterior: the hybrid would have to overturn "
        f"{paper_or['Hybrid'] - paper_or['HMM']:.0f} % of the test windows against the HMM. The paper's "
        "Table 9 "
        f"puts its own-model log-likelihoods between {min(min(v) for v in t9.values()):.0f} and "
        f"{max(max(v) for v in t9.values()):.0f} nats, differing between classes by up to "
        f"{max(max(v) - min(v) for v in t9.values()):.0f} nats: if one window's class models differ by a "
        f"fraction of that, its `P_HMM` is one-hot too. The paper's other wording (\"after scaling them "
        f"(usually [0, 1])\") or a softer softmax would let the RBFNN in: the next cell runs both.\n\n"
        f"The curve is flat from α = {alpha} to 1 for {len(flat)} of {len(alpha_facts)} curves"
        + (f"; it still moves for {'; '.join(moving)}." if moving else "."))


def sensitivity_note(sensitivity: pd.DataFrame, t7: Mapping, names: Sequence[str]) -> str:
    """How far Eq. 33's two other readings (§6.3.1) move the hybrid (``sensitivity``:
    :func:`~bearingkit.papers.sedira2026.tables.sensitivity_table`)."""
    scaled, tempered = (v.removeprefix("Hybrid, ") for v in HYBRID_VARIANTS)
    gain = {v: sensitivity[v] - sensitivity["Hybrid (Eq. 33 as printed)"] for v in (scaled, tempered)}
    follows = {v: sensitivity[f"= HMM (%), {v}"] for v in (scaled, tempered)}
    temperature = sensitivity["T (nats, median over seeds)"]
    return (
        f"Against Eq. 33 as printed, the hybrid with **{scaled}** moves by {gain[scaled].min():+.2f} to "
        f"{gain[scaled].max():+.2f} pp (follows the HMM in {follows[scaled].min():.1f}–"
        f"{follows[scaled].max():.1f} % of the windows); with a **{tempered}** "
        f"(T = {temperature.min():.0f}–{temperature.max():.0f}"
        f" nats) by {gain[tempered].min():+.2f} to {gain[tempered].max():+.2f} pp (follows the HMM in "
        f"{follows[tempered].min():.1f}–{follows[tempered].max():.1f} %). "
        f"On the paper split (OR, IR, Ball): "
        + "; ".join(f"{n} {sensitivity.loc[(n, 'paper'), scaled]:.2f} / "
                    f"{sensitivity.loc[(n, 'paper'), tempered]:.2f} % (paper {t7['Hybrid'][n]:.2f} %)"
                    for n in names) + " (scaled / tempered).")


def table9_note(table9: pd.DataFrame, healthy_lowest: Mapping[str, float], *,
                class_names: Sequence[str] = CLASS_NAMES) -> str:
    """Which class its own model fits worst, per set, and how often it is the healthy one (Table 9, §6.11)."""
    names = list(dict.fromkeys(table9.columns.get_level_values(0)))
    lowest = {name: class_names[int(np.argmin(table9[name, "ours"]))] for name in names}
    return (f"class with the lowest own-model log-likelihood (paper: healthy for all three): {lowest}\n\n"
            "share of runs in which healthy has the lowest own-model log-likelihood (%): "
            f"{dict(healthy_lowest)}")


def paderborn_level_note(levels: pd.DataFrame) -> str:
    """The 900 rpm file's level and offset against the 1500 rpm files (:func:`~.views.level_by_condition`)."""
    rms, offsets = levels["median RMS"], levels["mean"]
    slow = [c for c in levels.index if c.startswith("N09")]
    fast = [c for c in levels.index if c not in slow]
    ratio = rms.loc[slow].to_numpy().min() / rms.loc[fast].to_numpy().max()
    other_offset = offsets.loc[fast].abs().to_numpy().max()
    odd = offsets.loc[slow[0]].abs().idxmax()
    return (
        f"**The {slow[0]} file.** At 900 rpm the median RMS of the three classes is "
        f"{', '.join(f'{v:.3f}' for v in rms.loc[slow[0]])} (healthy, inner, outer), against "
        f"{rms.loc[fast].to_numpy().min():.3f}–{rms.loc[fast].to_numpy().max():.3f} in the three 1500 rpm "
        "files: "
        + (f"the slower shaft gives the *larger* signal (its quietest class {ratio:.2f} × the loudest class "
           "at "
           f"1500 rpm), the opposite of what lowering the speed does to a bearing's vibration. "
           if ratio > 1 else f"the slower shaft does not give the larger signal (ratio {ratio:.2f}). ")
        + f"Its {odd} segments also carry an offset (median mean {offsets.loc[slow[0], odd]:+.3f}, against "
          "at "
        f"most {other_offset:.3f} in magnitude in the other files). The file does not say whether a "
        "different "
        f"sensor gain, other bearings or a preprocessing step did this; any pair with {slow[0]} on one side "
        f"tests that difference as much as a change of speed.")


def worst_pair_note(summary: Mapping, shares: pd.DataFrame, shift: pd.DataFrame, *,
                    class_names: Sequence[str] = PADERBORN_CLASS_NAMES) -> str:
    """Why the worst Paderborn condition pair scores as it does (§7.1; ``summary``:
    :func:`~.tables.worst_pair_summary`)."""
    train, test = summary["pair"]
    k, n = summary["k"], summary["n"]
    changed = [f"{name}: {a} → {b}" for a, b, name in zip(train.split("_"), test.split("_"), KAT_FACTORS,
                                                          strict=True) if a != b]
    where = "; ".join(f"{class_names[i]} → {shares.columns[int(np.argmax(row))][3:]} ({row.max():.0f} %)"
                      for i, row in enumerate(shares.to_numpy()))
    return (
        f"The worst pair is **{train} → {test}**: the hybrid gets {k} of {n} test "
        f"segments right ({100 * k / n:.1f} %). Where each class goes: {where}. The RMS ratio "
        f"(test / train condition) per class is {', '.join(f'{v:.2f}' for v in shift['rms'])} and the "
        "kurtosis "
        f"ratio {', '.join(f'{v:.2f}' for v in shift['kurtosis'])}. The two conditions differ in "
        f"{' and '.join(changed) or 'nothing the code names'}. Below chance means the classes are not just "
        "blurred but moved onto one another's training regions: the model labels the test condition's "
        "segments "
        "by features that shifted with the operating condition.")


def verdict_lines(table12: pd.DataFrame, ordering: pd.DataFrame, lock: Mapping) -> dict[str, str]:
    """What reproduces and what does not, one line each: the hybrid per database and split, the ordering
    rule everywhere (:func:`~.claims.ordering_table`) and the fusion lock."""
    hybrid = table12.xs("overall accuracy, Hybrid", level="quantity")
    return {
        "CWRU paper split, hybrid": f"{hybrid.loc['CWRU', 'ours (paper)']:.2f} % vs paper "
                                    f"{hybrid.loc['CWRU', 'published']:.2f} %",
        "CWRU contiguous blocks, hybrid": f"{hybrid.loc['CWRU', 'ours (contiguous-block)']:.2f} %",
        "CWRU cross-load, hybrid": f"{hybrid.loc['CWRU', 'ours (cross-load)']:.2f} %",
        "Paderborn within condition, hybrid": f"{hybrid.loc['Paderborn', 'ours (paper)']:.2f} % vs paper "
                                              f"{hybrid.loc['Paderborn', 'published']:.2f} %",
        "Paderborn cross-condition, hybrid": f"{hybrid.loc['Paderborn', 'ours (cross-condition)']:.2f} %",
        **{f"hybrid ≥ max(single), {d} {s}" + (" (simulated)" if r["data"] == "simulated" else ""):
           f"{bool(r['hybrid ≥ max(single)'])} ({r['Hybrid']:.2f} vs {max(r['HMM'], r['RBFNN']):.2f} %)"
           for (d, s), r in ordering.iterrows()},
        "Eq. 33 as printed leaves the RBFNN no say (P_HMM one-hot)":
            f"{lock['locked (%)']:.1f} % of CWRU test windows",
    }


def bullet_list(lines: Mapping[str, str]) -> str:
    """``- key: value`` lines as Markdown."""
    return "\n".join(f"- {k}: {v}" for k, v in lines.items())
