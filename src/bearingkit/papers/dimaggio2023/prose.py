"""The sentences of notebook 01 that carry this run's numbers, built from them (never typed)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from bearingkit.data import Segments
from bearingkit.papers.dimaggio2023.data import label_index, normal_hop_before_issue_19, overlap_pct
from bearingkit.papers.dimaggio2023.settings import LABELS, Seeds, Settings
from bearingkit.papers.dimaggio2023.training import balanced_class_weights, hardware

__all__ = [
    "agreement_summary", "cwru_missing_summary", "cwru_normal_summary", "resampler_summary", "run_summary",
    "severity_summary", "simulation_summary", "split_summary", "table1_summary",
]


def run_summary(profile: str, settings: Settings, seeds: Seeds) -> str:
    """What this run does: data size, runs per method, updates per training, resampler, hardware."""
    runs = list(seeds.runs)
    return (f"profile={profile}: {settings.n_chunks} chunks per signal, {len(runs)} runs per method "
            f"(seeds {runs}), {settings.iterations} updates per training, resampler {settings.resampler}; "
            f"hardware: {hardware()}")


def table1_summary(counts: Mapping[str, int]) -> str:
    """Table 1's parameters counted against the paper's stated number
    (:func:`~bearingkit.papers.dimaggio2023.tables.table1_counts`)."""
    counted, stated = counts["counted"], counts["stated"]
    return (f"parameters: {counted:,} counted from Table 1's layers; the paper states {stated:,} "
            f"({counted - stated:+,})")


def simulation_summary(chunks: Segments, seconds: float) -> str:
    """How many simulated chunks and signals, and how long simulating them took."""
    return f"{len(chunks)} simulated chunks ({chunks.groups['record'].nunique()} signals) in {seconds:.1f} s"


def split_summary(groups: pd.DataFrame, splits: Mapping[str, tuple], settings: Settings) -> str:
    """How many signals each split puts on both sides, and which speeds the held-out split keeps."""
    shared = {name: len(set(groups.loc[s[0], "record"]) & set(groups.loc[s[2], "record"]))
              for name, s in splits.items()}
    return (f"signals with chunks in both train and test: {shared}\nheld-out speeds: validation "
            f"{settings.validation_speeds} rpm, test {settings.test_speeds} rpm, all load cases")


def severity_summary(severity: pd.DataFrame) -> str:
    """The impact-severity table (:func:`~bearingkit.papers.dimaggio2023.data.impact_severity`) in words:
    the outer-race impacts and SNR at slow and fast speeds under both laws, and the healthy bearing's RMS."""
    now, before = severity.loc["speed (now)"], severity.loc["1/sqrt(BPFO) (before)"]
    peak, snr, healthy = "OR impact peak (g)", "OR fault SNR (dB)", "healthy RMS without noise (g)"
    return (f"At 124.8 kN the outer-race impacts now peak at {now.loc[127.0, peak]:.2f} g at 127 rpm "
            f"and {now.loc[997.0, peak]:.2f} g at 997 rpm; under the old law {before.loc[127.0, peak]:.2f} g "
            f"and {before.loc[997.0, peak]:.2f} g (the slow bearing hit hardest). Against the noise floor, "
            f"the outer-race fault now has an SNR of {now.loc[127.0, snr]:.0f} dB at 127 rpm, "
            f"{now.loc[457.0, snr]:.0f} dB at 457 rpm and {now.loc[997.0, snr]:.0f} dB at 997 rpm (before: "
            f"between {before[snr].min():.1f} and {before[snr].max():.1f} dB at these speeds): the slow "
            f"conditions are now the hard ones, and lighter load cases lower the SNR further. Without noise "
            f"a healthy bearing is no longer silent apart from its shaft: its roller-pass vibration and "
            f"shaft harmonics give {now.loc[997.0, healthy]:.3f} g RMS at 997 rpm (old simulator: "
            f"{before.loc[997.0, healthy]:.3f} g).")


def resampler_summary(difference: Mapping[str, float]) -> str:
    """:func:`~bearingkit.papers.dimaggio2023.frontend.resampler_difference` in words."""
    return (f"log-mel, polyphase vs kaiser_best resampling, {difference['n']} chunks: largest |difference| "
            f"{difference['max']:.3f}, mean {difference['mean']:.4f} (log units; patch values span "
            f"{difference['low']:.1f} to {difference['high']:.1f})")


def agreement_summary(agreement: Mapping) -> str:
    """:func:`~bearingkit.papers.dimaggio2023.frontend.yamnet_cross_check` in words."""
    if not agreement["n"]:
        return f"YAMNet file not cross-checked: {agreement['reason']}"
    return (f"YAMNet int8 file vs a second, independent TFLite conversion on {agreement['n']} SIMULATED "
            f"chunks: same top class on {100 * agreement['top1_agreement']:.0f} %, median score correlation "
            f"{agreement['median_correlation']:.3f}, largest score difference "
            f"{agreement['max_abs_difference']:.3f} (Google's float model: unreachable offline, not checked)")


def cwru_missing_summary(missing: Mapping[int, str]) -> str:
    """Which CWRU normal records could not be used, and why (empty when none is missing)."""
    return "\n".join(f"{number}.mat not used: {why[:160]}..." for number, why in missing.items())


def cwru_normal_summary(chunks: Segments, train) -> str:
    """How small CWRU's normal class is (chunks, records, loads), the class weights on the training indices
    ``train``, and how much its chunks overlapped before issue 19, when they were cut to match a fault
    class."""
    y = label_index(chunks.y)
    normal = chunks.groups[chunks.y == "normal"]
    weights = {LABELS[k]: round(v, 2) for k, v in balanced_class_weights(y[train]).items()}
    hop = normal_hop_before_issue_19(chunks.y)
    return (f"normal class: {len(normal)} non-overlapping chunks from {normal['record'].nunique()} "
            f"record(s) at {sorted(set(normal['load'].tolist()))} HP; each fault class: "
            f"{int(np.sum(y == 1))} and {int(np.sum(y == 2))} chunks over 0-3 HP. Class weights on the "
            f"paper split's training set: {weights}\nbefore issue 19 the normal chunks were cut every "
            f"{hop} samples to match a fault class: consecutive chunks shared {overlap_pct(hop):.1f} % of "
            "their samples")
