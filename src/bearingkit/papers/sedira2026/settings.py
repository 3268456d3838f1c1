"""Every knob of the protocol of Sedira & Felkaoui (2026) and the paper's fixed facts, in one place.

The constants below are the paper's (its data sets, classes, published test-set sizes) or our documented
choices where it is silent (the simulated axial rig, the tolerances). :class:`Settings` holds what a run may
change; :data:`PROFILES` holds the two run profiles and :func:`settings_for` reads one of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from bearingkit import checks

__all__ = [
    "ALPHAS", "AXIAL_ELEMENTS", "AXIAL_LOAD_KN", "AXIAL_SEVERITIES", "AXIAL_SPEED_RPM",
    "AXIAL_TEST_PER_CLASS", "CLASS_NAMES", "CROSS_CONDITION", "CROSS_LOAD_TEST_LOADS", "CWRU_SPLITS",
    "DEFAULT_SETTINGS", "DEFECT_LINES", "FAULT_SETS", "FAULT_SIZES", "FS_CWRU", "HELD_OUT_SIZE",
    "HYBRID_SCALED", "HYBRID_TEMPERATURE", "HYBRID_VARIANTS", "LOCATIONS", "MODELS", "NOTEBOOK",
    "PADERBORN_CLASS_NAMES", "PADERBORN_LABELS", "PADERBORN_TEST_PER_CLASS", "PAPER", "PAPER_TEST_FRACTION",
    "PAPER_TEST_PER_CLASS", "PROFILES", "REDUCTIONS", "run_seeds", "Settings", "settings_for", "TOLERANCE",
]

#: Key of the paper in ``data/reference/`` and in every results row.
PAPER = "sedira2026"
#: The notebook that runs this protocol; its results go to ``build/results/<NOTEBOOK>.json``.
NOTEBOOK = "03_sedira2026_hmm_rbfnn"

#: Largest ``|ours - paper|`` a row still calls reproduced, one value per kind of number, set from the paper's
#: resolution, never from our results:
#:
#: * ``accuracy_pp`` (Tables 7, 10-12, overall accuracy): one binomial standard error of an accuracy near 95 %
#:   on the paper's smallest test set, 100 OR windows (sqrt(0.95 x 0.05 / 100) = 2.2 pp), rounded down;
#: * ``class_accuracy_pp`` (Tables 8, 10, per class): one test window of the paper's 25 per OR class (4 pp);
#: * ``frequency_hz`` (Table 4): the paper prints whole hertz, and 1796 vs 1797 rpm moves BPFI by 0.09 Hz;
#: * ``log_likelihood_relative`` (Table 9, values): 10 % of the published magnitude, kept in the rows for the
#:   reader; those rows are *not comparable* (their scale depends on sequence length and feature scaling the
#:   paper does not state), so it decides no status;
#: * ``rank`` (Table 9, pattern): ranks are integers; only the same rank in every run counts.
TOLERANCE: Mapping[str, float] = MappingProxyType({
    "accuracy_pp": 2.0, "class_accuracy_pp": 4.0, "frequency_hz": 1.0, "log_likelihood_relative": 0.1,
    "rank": 0.0})

#: The paper's three CWRU data sets (Table 3) and the catalogue's fault-location code of each.
FAULT_SETS: Mapping[str, str] = MappingProxyType({"OR": "OR", "IR": "IR", "Ball": "B"})
#: Fault sizes of classes 2-4 (Table 3), inches; class 1 is the healthy bearing.
FAULT_SIZES = (0.007, 0.014, 0.021)
#: The four CWRU classes as the tables and figures name them (Tables 2-3: healthy, then the fault sizes).
CLASS_NAMES = ("C1 healthy", 'C2 0.007"', 'C3 0.014"', 'C4 0.021"')
#: Test windows per class implied by Tables 7 and 8 (:func:`~.data.counts_matching`):
#: 25 per OR class (Table 8's multiples of 4 %); 148/150 and 143/150 (Table 7's 98.66 % and 95.33 %) for IR
#: and Ball, 36/38 and 33/38 in their classes 3-4.
PAPER_TEST_PER_CLASS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {"OR": (25, 25, 25, 25), "IR": (37, 37, 38, 38), "Ball": (37, 37, 38, 38)})
#: Our 75/25 split (the paper gives none): 100 and 150 windows per class.
PAPER_TEST_FRACTION = 0.25
FS_CWRU = 12_000.0
MODELS = ("HMM", "RBFNN", "Hybrid")
#: The CWRU splits: the paper's, then two leakage-aware ones (names as in the results rows).
CWRU_SPLITS = ("paper", "contiguous-block", "cross-load")
#: Loads (HP) whose fault windows the cross-load split tests; it trains on 0 HP.
CROSS_LOAD_TEST_LOADS = (1, 2, 3)
#: Paderborn's leakage-aware split: train on one operating condition, test on another.
CROSS_CONDITION = "cross-condition"
#: The paper's Paderborn classes (§7.1) and the test segments per class implied by Table 10 (97.50 % = 39/40).
PADERBORN_LABELS = ("normal", "inner", "outer")
PADERBORN_CLASS_NAMES = ("class 1 healthy", "class 2 inner", "class 3 outer")
PADERBORN_TEST_PER_CLASS = 40
#: The simulated axial data sets (§7.2): element -> simulator fault; relative severities of classes 2-4.
AXIAL_ELEMENTS: Mapping[str, str] = MappingProxyType({"OR": "outer", "IR": "inner", "Ball": "ball"})
AXIAL_SEVERITIES = (0.5, 1.0, 2.0)
AXIAL_TEST_PER_CLASS = 25
AXIAL_SPEED_RPM = 900.0
AXIAL_LOAD_KN = 1.0
#: The defect line each CWRU set's fault should show (Table 4's quantity): its name and the key of
#: :func:`~.signals.defect_frequencies_hz`.
DEFECT_LINES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"OR": ("BPFO", "outer"), "IR": ("BPFI", "inner"), "Ball": ("2×BSF", "ball")})
#: The α grid of the accuracy-vs-α curve (Eq. 33).
ALPHAS = np.round(np.linspace(0.0, 1.0, 11), 2)
#: Eq. 33 under the paper's other wording of the HMM side (§6.3.1: "after scaling them (usually [0, 1])"),
#: beside the softmax it prints: the log-likelihoods min-max scaled to [0, 1] in each window, and a softmax at
#: a temperature T fixed on the training windows. Keys of ``RunResult.proba``.
HYBRID_SCALED = "Hybrid, log-likelihoods scaled to [0, 1]"
HYBRID_TEMPERATURE = "Hybrid, softmax at temperature T"
HYBRID_VARIANTS = (HYBRID_SCALED, HYBRID_TEMPERATURE)
#: Feature reductions the ablation compares: the paper's (§3.4) and all 46 features, standardised only.
REDUCTIONS = ("fisher+pca", "none")
#: Classes of the held-out fault-size view: which element is damaged (CWRU labels), healthy first.
LOCATIONS = ("normal", "outer", "inner", "ball")
#: The held-out-size view's name in the results and tables.
HELD_OUT_SIZE = "held-out-size"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every choice of one run: those the paper leaves open, and how much of the protocol a profile runs.

    Attributes
    ----------
    window : int
        Samples per window (4096 at 12 kHz: 0.34 s, about 10 shaft turns at 1797 rpm).
    n_steps : int
        Observations per HMM sequence (the paper's ``O = (o1, o2, o3, o4)``, §6.1).
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
    reduction : {"fisher+pca", "none"}
        The paper's Fisher top-k + PCA (§3.4), or all 46 features standardised only (the ablation); with
        ``"none"`` the RBF widths are ``spreads`` times ``sqrt(46 / k_features)``, since distances grow with
        the square root of the dimension.
    long_window, long_n_steps : int
        The state ablation's longer sequences (T = 16 sub-frames of 512 samples: 4 observations per state).
    kurtogram_level0 : {"envelope", "signal"}
        How the fast kurtogram scores level 0 (§3.2.3); ``"envelope"`` like every other level.
    n_seeds : int
        Split seeds (one run each) of every view.
    paderborn_pairs : {"adjacent", "all"}
        Ordered condition pairs of the Paderborn cross-condition view.
    n_stacked_seeds, n_stack_folds : int
        Seeds and contiguous folds of the 8-d stacking variant (§6.3.1).
    n_ablation_seeds : int
        Seeds of every ablation (the first ones of ``n_seeds``).
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
    reduction: str = "fisher+pca"
    long_window: int = 8192
    long_n_steps: int = 16
    kurtogram_level0: str = "envelope"
    n_seeds: int = 5
    paderborn_pairs: str = "adjacent"
    n_stacked_seeds: int = 1
    n_stack_folds: int = 3
    n_ablation_seeds: int = 2


#: The default of every function that takes settings: the paper's choices and the quick profile.
DEFAULT_SETTINGS = Settings()

#: The run profiles: ``quick`` finishes in CI on 2 CPU cores; ``full`` runs more seeds, every ordered pair
#: of Paderborn conditions, stacking on 5 seeds over 5 folds and the ablations on every seed.
PROFILES: Mapping[str, Settings] = MappingProxyType({
    "quick": DEFAULT_SETTINGS,
    "full": Settings(n_seeds=10, paderborn_pairs="all", n_stacked_seeds=5, n_stack_folds=5,
                     n_ablation_seeds=10),
})


def settings_for(profile: str) -> Settings:
    """The settings of one run profile of :data:`PROFILES`.

    Raises
    ------
    UnknownNameError
        For a profile not in :data:`PROFILES`; the message lists the valid ones.

    Examples
    --------
    >>> settings_for("full").n_seeds
    10
    """
    return checks.profile_settings(profile, PROFILES)


def run_seeds(seed: int, n_seeds: int) -> tuple[list[int], list[int]]:
    """The split seeds and the simulation seeds of one run, all spawned from the master ``seed``.

    Two children of ``seed`` (:func:`bearingkit.checks.child_seeds`) root the two streams, so the simulated
    data do not change with the number of split seeds, and the first split seeds of ``full`` are those of
    ``quick``. Simulation seeds: one healthy, then 3 faulty axial records per element (§7.2).
    """
    split_root, simulation_root = checks.child_seeds(seed, 2)
    n_simulations = 1 + len(AXIAL_ELEMENTS) * len(AXIAL_SEVERITIES)
    return checks.child_seeds(split_root, n_seeds), checks.child_seeds(simulation_root, n_simulations)
