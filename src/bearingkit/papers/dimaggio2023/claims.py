"""The verdict of notebook 01: each claim of Di Maggio (2023) with the numbers of this run that bear on it.

One pure function per claim, on the runs of :func:`~bearingkit.papers.dimaggio2023.experiments.run_splits`
(keyed by data set and split); where a claim is decided by a rule, its threshold is an argument.
:func:`verdict` gathers them in the notebook's order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.papers.dimaggio2023.experiments import Runs
from bearingkit.papers.dimaggio2023.settings import METHODS, Settings
from bearingkit.papers.dimaggio2023.training import MethodResult
from bearingkit.papers.dimaggio2023.uncertainty import binomial_standard_error

__all__ = [
    "amplitude_law_claim", "audio_vs_image_claim", "embedding_vs_features_claim", "from_scratch_claim",
    "mean_accuracy", "plateau_gap", "split_gap", "split_gap_claim", "vgg16_order_claim", "verdict",
    "vggish_transfer_claim", "yamnet_claim",
]

SIM, SIM_HELD = ("simulated", "paper"), ("simulated", "held-out speeds")
CWRU_PAPER, CWRU_HELD = ("CWRU", "paper"), ("CWRU", "held-out fault size")
BASELINE = METHODS[-1]


def _runs_of(results: Sequence[MethodResult], method: str) -> list[MethodResult]:
    return [r for r in results if r.method == method]


def mean_accuracy(results: Sequence[MethodResult], method: str, part: str = "test") -> float:
    """Mean over runs of ``method``'s ``part`` (train, validation, test) accuracy (%); NaN without runs."""
    mine = _runs_of(results, method)
    return float(np.mean([getattr(r, f"{part}_accuracy") for r in mine])) if mine else float("nan")


def vggish_transfer_claim(results: Sequence[MethodResult], *, not_run: Mapping[str, str]) -> str:
    """VGGish transfer reaches 99.07 % (Table 7): our mean test accuracy, or why it is not run."""
    return not_run.get("VGGish transfer", f"{mean_accuracy(results, 'VGGish transfer'):.1f} % test")


def from_scratch_claim(results: Sequence[MethodResult], *, not_run: Mapping[str, str],
                       max_classes: int = 1) -> str:
    """VGGish trained from scratch collapses (Table 7: 33.33 %, every chunk called normal): collapsed when its
    first run predicts at most ``max_classes`` classes on the test set."""
    scratch = _runs_of(results, "VGGish from scratch")
    if not scratch:
        return not_run.get("VGGish from scratch", "not run")
    predicted = len(set(scratch[0].y_pred))
    state = "collapsed" if predicted <= max_classes else "did not collapse"
    return f"{scratch[0].test_accuracy:.1f} % test, predicts {predicted} class(es) ({state})"


def plateau_gap(results: Sequence[MethodResult], method: str = "YAMNet transfer") -> float:
    """Points of test accuracy the head of ``method`` gains when trained to its plateau: the plateau run
    (``"<method>: plateau"``, first seed) minus Table 2's schedule on the same seed; NaN without both."""
    plateau = _runs_of(results, f"{method}: plateau")
    if not plateau:
        return float("nan")
    same_seed = [r for r in _runs_of(results, method) if r.seed == plateau[0].seed]
    return plateau[0].test_accuracy - same_seed[0].test_accuracy if same_seed else float("nan")


def yamnet_claim(results: Sequence[MethodResult], *, plateau_points: float = 3.0) -> str:
    """YAMNet transfer reaches 91.20 %: our head per seed, its schedule, the head trained to its plateau, the
    converged linear probe and the binomial standard error of the head's mean on our test set.

    Table 2's schedule is called *below the plateau* when the plateau run of the same seed is more than
    ``plateau_points`` points above it: the head's number is then a property of the schedule, not of the
    embedding.
    """
    runs = _runs_of(results, "YAMNet transfer")
    head = mean_accuracy(results, "YAMNet transfer")
    per_seed = " / ".join(f"{r.test_accuracy:.1f}" for r in runs)
    schedule, n = runs[0].schedule, runs[0].sizes["test"]
    text = (f"head {head:.1f} % test (per seed {per_seed}; {schedule['iterations']} updates, "
            f"{schedule['epochs']} epochs of {schedule['steps_per_epoch']} steps)")
    plateau = _runs_of(results, "YAMNet transfer: plateau")
    if plateau:
        gap = plateau_gap(results)
        state = "below its plateau" if gap > plateau_points else "at its plateau"
        text += (f"; trained to its plateau ({plateau[0].schedule['iterations']} updates, seed "
                 f"{plateau[0].seed}) {plateau[0].test_accuracy:.1f} %, {gap:+.1f} points: Table 2's "
                 f"schedule leaves it {state} (threshold {plateau_points:g} points)")
    return (text + f"; converged linear probe "
            f"{mean_accuracy(results, 'YAMNet transfer: linear probe'):.1f} %; n = {n} test chunks, "
            f"SE {binomial_standard_error(head, n):.1f} points")


def vgg16_order_claim(results: Sequence[MethodResult]) -> str:
    """VGG16's train < validation < test (53 < 66 < 69 %): ours for the random-init VGG16 we can run."""
    parts = " / ".join(f"{mean_accuracy(results, 'VGG16 (random init)', p):.1f}"
                       for p in ("train", "validation", "test"))
    return f"random-init frozen VGG16 (not the paper's network) train / validation / test: {parts} %"


def audio_vs_image_claim(results: Sequence[MethodResult], *, not_run: Mapping[str, str]) -> str:
    """Audio networks transfer better than image networks: YAMNet beside the ImageNet VGG16, when it runs."""
    return not_run.get("VGG16 (ImageNet)", "") or (
        f"YAMNet {mean_accuracy(results, 'YAMNet transfer'):.1f} % vs VGG16 ImageNet "
        f"{mean_accuracy(results, 'VGG16 (ImageNet)'):.1f} % (block 5 fine-tuned "
        f"{mean_accuracy(results, 'VGG16 (ImageNet, block 5 fine-tuned)'):.1f} %)")


def embedding_vs_features_claim(runs: Runs, keys: Sequence[tuple[str, str]] = (SIM, SIM_HELD, CWRU_HELD),
                                ) -> str:
    """The pretrained embedding beats 46 hand-made features: YAMNet head, its probe and the baseline on
    each split of ``keys``."""
    def across(method):
        return " / ".join(f"{mean_accuracy(runs[k], method):.1f}" for k in keys)

    return (f"YAMNet head {across('YAMNet transfer')} %; YAMNet linear probe "
            f"{across('YAMNet transfer: linear probe')} %; 46 features {across(BASELINE)} %")


def split_gap(paper: Sequence[MethodResult], held_out: Sequence[MethodResult], method: str, *,
              z: float = 2.0) -> tuple[float, bool]:
    """How many points ``method`` loses from the paper's split to the held-out one, and whether the loss
    exceeds ``z`` binomial standard errors of the difference (each side's SE at its own accuracy and
    number of test chunks)."""
    accuracies = [mean_accuracy(results, method) for results in (paper, held_out)]
    sizes = [_runs_of(results, method)[0].sizes["test"] for results in (paper, held_out)]
    se = math.hypot(*(binomial_standard_error(a, n) for a, n in zip(accuracies, sizes, strict=True)))
    gap = accuracies[0] - accuracies[1]
    return gap, gap > z * se


def split_gap_claim(runs: Runs, *, snr_at_slowest_db: float, test_speeds: Sequence[float],
                    z: float = Settings.tolerance_z) -> str:
    """A random split measures the fault, not the recording: the YAMNet head and the 46 features on the
    simulated paper split against held-out speeds (a gap in the paper split's favour counts when it exceeds
    ``z`` standard errors, :func:`split_gap`), and the 46 features on CWRU's unseen fault size."""
    gaps = {m: split_gap(runs[SIM], runs[SIM_HELD], m, z=z) for m in ("YAMNet transfer", BASELINE)}
    favoured = [f"{m} {gap:.1f} points" for m, (gap, beyond) in gaps.items() if beyond]
    finding = (f"a gap in the paper split's favour ({', '.join(favoured)}, beyond {z:g} SE)" if favoured
               else "no gap in the paper split's favour here")
    head, features = "YAMNet transfer", BASELINE
    return (f"on this SIMULATED rig the held-out-speeds test is "
            f"{mean_accuracy(runs[SIM_HELD], head):.1f} % (YAMNet head) and "
            f"{mean_accuracy(runs[SIM_HELD], features):.1f} % (46 features) against "
            f"{mean_accuracy(runs[SIM], head):.1f} % and {mean_accuracy(runs[SIM], features):.1f} % on the "
            f"paper split: {finding}, but the two test sets differ in speed (held out: {tuple(test_speeds)} "
            f"rpm; the paper split's test spans all 10 speeds, down to 127 rpm where the fault's SNR is "
            f"{snr_at_slowest_db:.0f} dB); on CWRU the 46 features drop from "
            f"{mean_accuracy(runs[CWRU_PAPER], features):.1f} % to "
            f"{mean_accuracy(runs[CWRU_HELD], features):.1f} % on an unseen fault size")


def amplitude_law_claim(sensitivity: pd.DataFrame, split: str = "paper") -> str:
    """The simulator's amplitude law (issue 19): test accuracy now against before, on ``split``."""
    return "test accuracy now vs before, paper split: " + "; ".join(
        f"{m} {row['test, now']:.1f} vs {row['test, before issue 19']:.1f} %"
        for (s, m), row in sensitivity.iterrows() if s == split)


def verdict(runs: Runs, *, not_run: Mapping[str, str], severity: pd.DataFrame, sensitivity: pd.DataFrame,
            settings: Settings) -> dict[str, str]:
    """Each claim of the paper (its wording, shortened) with this run's numbers, in the notebook's order."""
    snr = float(severity.loc[("speed (now)", 127.0), "OR fault SNR (dB)"])
    return {
        "VGGish transfer reaches 99.07 % (simulated, paper split)": vggish_transfer_claim(runs[SIM],
                                                                                         not_run=not_run),
        "VGGish from scratch collapses to one class (paper: 33.33 % val/test, all called normal)":
            from_scratch_claim(runs[SIM], not_run=not_run),
        "YAMNet transfer 91.20 % (simulated, paper split)": yamnet_claim(runs[SIM]),
        "VGG16 train < validation < test (53 < 66 < 69 %)": vgg16_order_claim(runs[SIM]),
        "audio networks transfer better than image networks":
            audio_vs_image_claim(runs[SIM], not_run=not_run),
        "the pretrained embedding beats 46 hand-made features (simulated paper / held-out speeds / CWRU "
        "held-out size)": embedding_vs_features_claim(runs),
        "a random split measures the fault, not the recording (paper split vs held-out conditions)":
            split_gap_claim(runs, snr_at_slowest_db=snr, test_speeds=settings.test_speeds,
                            z=settings.tolerance_z),
        "the simulator's amplitude law (issue 19)": amplitude_law_claim(sensitivity),
    }
