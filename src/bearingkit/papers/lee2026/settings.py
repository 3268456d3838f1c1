"""Every knob of Lee et al.'s protocol, one :class:`Settings` per run profile.

The paper fixes the pools (77 GRU and 26 CNN candidates, §3.1), K = 5 (§3.3.2), 5 folds x 3 seeds (§4.1),
224 px maps and Hyperband's eta = 3; everything else (search ranges, windows, epochs, trial caps) it leaves
open, and our choices are the defaults below, each documented. ``smoke`` runs every stage at a size that
trains nothing (the tests' profile), ``quick`` is what 2 CPU cores train to a plateau, ``medium`` the
paper's pools, K and folds at the quick profile's size, ``full`` the paper's protocol (a GPU's work).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from bearingkit.checks import profile_settings
from bearingkit.errors import ParameterError, UnknownNameError

__all__ = ["BRANCHES", "DATASETS", "MAIN_RUN", "PAPER", "PROFILES", "Settings", "branch_epochs",
           "half_epochs", "settings_for"]

#: The key of the paper's published numbers (``data/reference/lee2026.json``).
PAPER = "lee2026"
#: The two branches of the hybrid: the GRU on time series and the EfficientNetV2 on STFT maps (§2.2).
BRANCHES = ("gru", "cnn")
#: The data sets a profile may run: real CWRU and Paderborn, and the simulated MAFAULDA-like rig.
DATASETS = ("cwru", "paderborn", "mafaulda-simulated")
#: The run every figure of §3 (Figs. 7-9) is drawn from: CWRU under the paper's split.
MAIN_RUN = ("cwru", "paper")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every knob of the protocol; the defaults are the paper's values or, where it gives none, ours.

    Attributes
    ----------
    datasets : tuple of str
        Data sets run, among :data:`DATASETS`; CWRU (the main run) always.
    windows_per_record : int
        Non-overlapping windows taken per CWRU fault record, evenly spread (the healthy record gives as many
        as fit, up to ``4 * windows_per_record``) and per simulated acquisition (ours).
    cwru_sizes, cwru_loads : tuple
        CWRU fault sizes (in) and motor loads (HP) used.
    length : int
        Window length in samples at the data set's rate (CWRU 12 kHz; Paderborn's segments are 2560; ours).
    gru_frame : int
        Samples per GRU step (:func:`bearingkit.models.gru.frame_steps`; ours).
    image_size : int
        Side of the EfficientNetV2 energy maps (224 in the paper).
    gru_pool, cnn_pool : int
        Stage 1 pool sizes (77 and 26 in the paper, §3.1).
    gru_trials, cnn_trials : int
        Stage 2 trial caps per branch (ours).
    n_lhs, n_kriging : int
        Trials of the LHS and Kriging phases of Stage 2; the rest are BOHB (ours).
    learning_rates : (float, float)
        The log-uniform learning-rate range of Stage 2's search space (ours; the paper gives none).
    batch_sizes : tuple of int
        The batch sizes of Stage 2's search space (ours).
    epochs : int
        Stage 2 budget axis of the GRU branch: Hyperband prunes between 1 and ``epochs`` (27 = 3**3, ours).
    cnn_epochs : int or None
        The same for the EfficientNetV2 branch (None: ``epochs``).
    folds : int
        Stage 2 CV folds of the paper's split (5 in §4.1).
    top_k : int
        K of Eq. 5 (5 in §3.3.2); capped by the completed trials.
    fusion_folds, fusion_seeds : int
        §4.1: 5-fold CV repeated with 3 seeds for the fusion comparison.
    sim_duration : float
        Seconds per simulated MAFAULDA-like acquisition.
    sim_speeds : int
        Speeds of the simulated design used (of its 7).
    paderborn_windows : int or None
        Paderborn segments kept per class and operating condition, evenly spread over the file (None: all
        100).
    head_trees : int
        Trees of the random-forest and LightGBM heads of Stage 3 (ours).
    halving_eta : int
        Reduction factor of the successive halving of Stage 1 (over segments) and Stage 3 (over CV folds).
    css_check_candidates : int
        Candidates of CWRU's GRU pool trained to check the CSS ranking (ours).
    """

    datasets: tuple[str, ...] = DATASETS
    windows_per_record: int = 40
    cwru_sizes: tuple[float, ...] = (0.007, 0.014, 0.021)
    cwru_loads: tuple[int, ...] = (0, 1, 2, 3)
    length: int = 2048
    gru_frame: int = 16
    image_size: int = 224
    gru_pool: int = 77
    cnn_pool: int = 26
    gru_trials: int = 30
    cnn_trials: int = 20
    n_lhs: int = 8
    n_kriging: int = 6
    learning_rates: tuple[float, float] = (1e-4, 1e-2)
    batch_sizes: tuple[int, ...] = (8, 16, 32)
    epochs: int = 27
    cnn_epochs: int | None = None
    folds: int = 5
    top_k: int = 5
    fusion_folds: int = 5
    fusion_seeds: int = 3
    sim_duration: float = 5.0
    sim_speeds: int = 7
    paderborn_windows: int | None = None
    head_trees: int = 200
    halving_eta: int = 3
    css_check_candidates: int = 10

    def __post_init__(self):
        unknown = [name for name in self.datasets if name not in DATASETS]
        if unknown or MAIN_RUN[0] not in self.datasets:
            raise ParameterError(f"datasets must include {MAIN_RUN[0]!r} and come from {DATASETS}, got "
                                 f"{self.datasets}")
        low, high = self.learning_rates
        if not 0 < low < high or not self.batch_sizes or min(self.batch_sizes) < 1:
            raise ParameterError(f"learning_rates must be 0 < low < high and batch_sizes positive, got "
                                 f"{self.learning_rates} and {self.batch_sizes}")
        if self.halving_eta < 2:
            raise ParameterError(f"the reduction factor halving_eta must be >= 2, got {self.halving_eta}")


#: One budget for every run (CWRU and Paderborn, paper and held-out split) of a profile.
#: smoke: every stage, branch and run of the notebook at a size that trains nothing to a plateau, in a few
#: minutes: what ``make test`` runs (its convergence checks say *not converged*; its numbers are no evidence);
#: one batch size, so that each network is traced for one batch shape only.
#: quick: what 2 CPU cores train to a plateau: 32 px maps (EfficientNetV2-B0's smallest input), GRU 6 trials
#: of 24 epochs and CNN 3 trials of 16 (at 12, the best branch of CWRU's half-budget runs fell 5-22 points
#: short; at 16 epochs the GRU of CWRU's held-out run moved 2.2-2.9 points between half and full budget, at 24
#: 1.4),
#: learning rates 2e-3..1e-2 and batches of 8 or 16 (measured on CWRU's quick windows: in batches of 32 the
#: CNN was at 0.93 macro-F1 after 12 epochs at 1e-3 and reached 0.99 only at epoch 12 at 3e-3; at 1e-2 in
#: batches of 16 the GRU reaches 0.98 at epoch 4, the CNN 0.99 at epoch 5), small Stage 1 pools, 3 folds,
#: K = 2; 192 CWRU windows and 16 Paderborn segments per class and condition. Each run's half-budget check
#: says whether it converged.
#: medium: the paper's pools (77 / 26), K = 5 and 5 folds, GRU 12 and CNN 8 trials, on the quick profile's
#: windows, maps, epochs and learning rates: the paper's protocol in 44 min on 2 cores (measured, seed 0).
#: full: the paper's pools, 224 px maps, K = 5, 5 folds, 30 / 20 trials of 27 epochs, every Paderborn
#: segment and the simulated MAFAULDA-like rig (a GPU's work).
_SMALL = {"datasets": ("cwru", "paderborn"), "windows_per_record": 12, "cwru_sizes": (0.007,), "length": 1024,
          "gru_frame": 16, "sim_duration": 1.0, "sim_speeds": 2, "paderborn_windows": 16,
          "learning_rates": (2e-3, 1e-2), "batch_sizes": (8, 16)}
PROFILES: Mapping[str, Settings] = MappingProxyType({
    "smoke": Settings(**{**_SMALL, "windows_per_record": 6, "paderborn_windows": 8, "batch_sizes": (8,)},
                      image_size=32, gru_pool=6, cnn_pool=4, gru_trials=3, cnn_trials=3, n_lhs=2, n_kriging=1,
                      epochs=2, cnn_epochs=2, folds=2, top_k=2, head_trees=10, css_check_candidates=3),
    "quick": Settings(**_SMALL, image_size=32, gru_pool=12, cnn_pool=8, gru_trials=6, cnn_trials=3, n_lhs=3,
                      n_kriging=1, epochs=24, cnn_epochs=16, folds=3, top_k=2, head_trees=50,
                      css_check_candidates=4),
    "medium": Settings(**_SMALL, image_size=32, gru_trials=12, cnn_trials=8, n_lhs=4, n_kriging=2, epochs=24,
                       cnn_epochs=16),
    "full": Settings(),
})


def settings_for(profile: str) -> Settings:
    """The settings of one run ``profile`` (papermill's ``-p profile quick``).

    Raises
    ------
    UnknownNameError
        For a profile not in :data:`PROFILES`; the message lists the valid ones.

    Examples
    --------
    >>> settings_for("quick").folds, settings_for("full").folds
    (3, 5)
    """
    return profile_settings(profile, PROFILES)


def branch_epochs(settings: Settings, branch: str) -> int:
    """The epochs of one branch's trials (Stage 2's budget axis)."""
    if branch not in BRANCHES:
        raise UnknownNameError(f"unknown branch {branch!r}; valid: {BRANCHES}")
    return settings.cnn_epochs or settings.epochs if branch == "cnn" else settings.epochs


def half_epochs(settings: Settings, branch: str) -> int:
    """The epochs of one branch in the half-budget run of the convergence check (at least 1)."""
    return max(branch_epochs(settings, branch) // 2, 1)
