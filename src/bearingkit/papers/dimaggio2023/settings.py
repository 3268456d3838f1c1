"""Every knob of the Di Maggio (2023) protocol, its run profiles, and the fixed facts of the paper's data.

:class:`Settings` holds the options a run can change: Table 2's training options (used as they are for the
networks Table 2 does not cover: our choice), the splits, the data size, the front end's resampler and the
VGG16 images. :data:`PROFILES` names two of them: ``"quick"`` fits CI on 2 CPU cores, ``"full"`` is the
paper's data size. The module constants are facts of the data (§3, Tables 3-6) and of the method catalogue.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from bearingkit.checks import child_seeds, profile_settings

__all__ = [
    "CHUNKS_PER_SIGNAL", "CHUNK_SAMPLES", "CLASSES", "CWRU_CHUNK_SAMPLES", "CWRU_FAULT_SIZES", "CWRU_FS",
    "CWRU_NORMAL", "CWRU_SPLITS", "DATASETS", "DEFAULT_SETTINGS", "LABELS", "METHODS", "NOTEBOOK", "PAPER",
    "PAPER_METHOD", "POLITO_FS", "PROFILES", "SIMULATED_SPLITS", "Seeds", "Settings", "seeds_for",
    "settings_for",
]

NOTEBOOK = "01_dimaggio2023_vggish_transfer"
PAPER = "dimaggio2023"
CLASSES = ("normal", "inner", "outer")
LABELS = ("Normal", "IR", "OR")
POLITO_FS = 20_480.0                    # Table 5
CHUNK_SAMPLES = 32_768                  # 1.6 s (Table 5)
CHUNKS_PER_SIGNAL = 18                  # 30 s per signal (Table 5)
CWRU_FS = 12_000.0
CWRU_CHUNK_SAMPLES = 12_000             # 1.0 s: one 0.96 s patch after resampling to 16 kHz
CWRU_NORMAL = (97, 98, 99, 100)         # 0-3 HP; only 97.mat is mirrored
CWRU_FAULT_SIZES = (0.007, 0.014, 0.021)
SIMULATED_SPLITS = ("paper", "held-out speeds")
CWRU_SPLITS = ("paper", "held-out fault size")
#: Each data set's key in the runs, its name in the results rows and its kind (real or simulated).
DATASETS = MappingProxyType({"simulated": ("PoliTo rig (SIMULATED)", "simulated"), "CWRU": ("CWRU", "real")})
METHODS = ("VGGish transfer", "VGGish from scratch", "YAMNet transfer", "VGG16 (ImageNet)",
           "VGG16 (random init)", "46 features + logistic regression")
#: Our methods with rows in Tables 7-8 and the paper's row each stands beside (None: the paper has none).
#: "VGG16 (random init)" is not the paper's ImageNet VGG16 and is given no paper value.
PAPER_METHOD = MappingProxyType({
    "VGGish transfer": "VGGish transfer", "VGGish transfer (ReLU on fc2)": "VGGish transfer",
    "VGGish from scratch": "VGGish from scratch", "YAMNet transfer": "YAMNet transfer",
    "VGG16 (ImageNet)": "VGG16", "VGG16 (ImageNet, block 5 fine-tuned)": "VGG16",
    "VGG16 (random init)": None})


@dataclasses.dataclass(frozen=True)
class Settings:
    """One run of the protocol: Table 2's training options, the splits, the data size and the front end.

    Attributes
    ----------
    epochs, batch_size, learning_rate, drop_period, drop_factor, l2, dropout
        Table 2 and §2.3 (dropout 0.5 before the new dense layer).
    iterations : int or None
        Parameter updates to make whatever the training set's size: §4's "four (216 iterations)" = Table 2's
        54 iterations per epoch x 4 epochs. The epochs are then ``round(iterations / steps per epoch)`` and
        the learning rate drops every ``drop_period / epochs`` of them (every 108 updates), as the paper's
        2-epoch period does (:func:`~bearingkit.papers.dimaggio2023.training.training_schedule`). None:
        ``epochs`` epochs, whatever they hold.
    adam_epsilon : float
        Adam's epsilon: MATLAB's default 1e-8 (Keras' own default is 1e-7).
    class_weighted : bool
        Weight each class's loss by ``n / (k n_class)`` of the training set: 1 for every class of a balanced
        set (the paper's), larger for CWRU's small normal class.
    resampler : str
        The front end's resampler (:func:`bearingkit.dsp.logmel.to_vggish_rate`): the reference's
        ``"kaiser_best"``, or scipy's ``"polyphase"`` (quick profile).
    scalogram_size : int
        Scales and time bins of the VGG16 input (a square image); VGG16 accepts 32 and more.
    scalogram_samples : int
        Samples at the source rate from the start of each chunk that the scalogram covers.
    n_chunks : int
        Chunks per simulated signal: 18 (30 s, Table 5) or fewer for a shorter run.
    n_runs : int
        Training runs (seeds) per method and split.
    scratch_on : tuple of (data set, split)
        Where VGGish from scratch (72 M parameters) is trained; it is too slow for 2 CPU cores.
    split_fractions : (train, validation, test)
        The paper's random split, Table 6: 576 / 72 / 72 of 720 chunks per class.
    validation_speeds, test_speeds : tuple of float
        Shaft speeds (rpm) the held-out-speeds split keeps for validation and for test (ours).
    cwru_test_size : float
        The CWRU fault size (inches) the held-out-size split tests on (ours).
    tolerance_z : float
        Standard errors of the difference (ours vs the paper's, both binomial) within which a comparable row
        is called reproduced.
    plateau_iterations : int
        Updates of the YAMNet head trained to its plateau beside Table 2's schedule (first run seed only;
        ours: 8 x 216, the learning rate dropping at the same fractions of the run). Measured on the simulated
        rig's quick profile (seed 0): 216 updates gave 47.9 / 43.8 % test on the paper's split, 1,728 gave
        50.0 / 52.1 % and 5,184 gave 52.1 / 52.1 %; on held-out speeds 63.5 / 61.5, 64.6 / 63.5 and 62.5 /
        61.5 %.
    """

    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 5e-4
    drop_period: int = 2
    drop_factor: float = 0.5
    l2: float = 1e-6
    dropout: float = 0.5
    iterations: int | None = 216
    adam_epsilon: float = 1e-8
    class_weighted: bool = True
    resampler: str = "kaiser_best"
    scalogram_size: int = 64
    scalogram_samples: int = 4096
    n_chunks: int = CHUNKS_PER_SIGNAL
    n_runs: int = 3
    scratch_on: tuple[tuple[str, str], ...] = (("simulated", "paper"), ("simulated", "held-out speeds"),
                                               ("CWRU", "paper"), ("CWRU", "held-out fault size"))
    split_fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
    validation_speeds: tuple[float, ...] = (607.0,)
    test_speeds: tuple[float, ...] = (457.0, 877.0)
    cwru_test_size: float = 0.014
    tolerance_z: float = 2.0
    plateau_iterations: int = 1728


#: The paper's protocol (Table 2, Tables 5-6) with our documented choices where it states none.
DEFAULT_SETTINGS = Settings()
#: ``quick``: 4 chunks per signal, 2 runs, scipy's polyphase resampler, small scalograms and no VGGish from
#: scratch (216 updates of 72 M parameters took over half an hour on 2 shared cores); ``full``: the paper's
#: data size, the reference resampler and VGGish from scratch on every split.
PROFILES: Mapping[str, Settings] = MappingProxyType({
    "quick": Settings(n_chunks=4, n_runs=2, resampler="polyphase", scratch_on=(), scalogram_size=32,
                      scalogram_samples=2048),
    "full": DEFAULT_SETTINGS,
})


def settings_for(profile: str) -> Settings:
    """The settings of run ``profile`` (:data:`PROFILES`).

    Raises
    ------
    UnknownNameError
        For a profile that is not in :data:`PROFILES`; the message lists the valid ones.

    Examples
    --------
    >>> settings_for("quick").n_chunks
    4
    """
    return profile_settings(profile, PROFILES)


@dataclasses.dataclass(frozen=True)
class Seeds:
    """The child seeds of one master seed: the simulation's, the random splits', one per training run."""

    simulation: int
    split: int
    runs: tuple[int, ...]


def seeds_for(seed: int, settings: Settings) -> Seeds:
    """``2 + settings.n_runs`` children of ``seed`` (:func:`bearingkit.checks.child_seeds`), in that order."""
    simulation, split, *runs = child_seeds(seed, 2 + settings.n_runs)
    return Seeds(simulation=simulation, split=split, runs=tuple(runs))
