"""The protocol of Di Maggio (2023), *Intelligent fault diagnosis of industrial bearings using transfer
learning and CNNs pre-trained for audio classification*, Sensors 23(1), 211 (notebook 01).

Data views
----------
* :func:`simulate_polito`: the Politecnico di Torino rig (§3, Tables 3-5) is not public; the embedded
  simulator (:mod:`bearingkit.physics.simulate`, rig ``"polito"``) stands in, labelled *simulated*
  everywhere: 3 classes x 4 load cases x 10 speeds, 30 s at 20,480 Hz, 18 non-overlapping chunks of 32,768
  samples per signal. So that a held-out operating condition is a real test, each condition gets its own
  transmission path and noise floor, as on a real rig (:func:`polito_condition_rig`, :func:`polito_snr_db`).
* :func:`cwru_view`: real CWRU drive-end data, normal / inner / outer race (our extension: the paper runs no
  CWRU experiment), see its docstring for how the single normal record is balanced.

Splits
------
:func:`stratified_split` is the paper's 80/10/10 (Table 6: 576 / 72 / 72 per class); chunks of one 30 s
signal land on both sides, so it may measure recording identification. :func:`held_out_speeds_split` tests on
speeds never trained on; :func:`held_out_size_split` (CWRU) on a fault size never trained on.

Methods (Table 7)
-----------------
VGGish transfer (frozen embedding + :func:`bearingkit.models.vggish.transfer_head`, Table 2), VGGish from
scratch, YAMNet transfer (its 1024-d embedding + the same head), VGG16 on CWT scalograms (frozen convolutional
base + the same head), and a baseline of the 46 hand-made features with a logistic regression. Table 2 covers
only the VGGish transfer; the settings of the other models are ours (:class:`Settings`).
"""

from __future__ import annotations

import dataclasses
import math
import os
import platform
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from bearingkit.checks import check_seed
from bearingkit.data import Segments, concat_segments, cwru_files, load_cwru, segment
from bearingkit.dsp import logmel
from bearingkit.dsp.spectral import resample
from bearingkit.errors import DataError, MissingDataError, ParameterError
from bearingkit.evaluation.splits import assert_disjoint
from bearingkit.features.handcrafted import extract_features
from bearingkit.physics import simulate as sim
from bearingkit.recording import Recording

CLASSES = ("normal", "inner", "outer")
LABELS = ("Normal", "IR", "OR")
POLITO_FS = 20_480.0
CHUNK_SAMPLES = 32_768                  # 1.6 s (Table 5)
CHUNKS_PER_SIGNAL = 18
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)       # Table 6
#: Speeds (rpm) the held-out-speeds split keeps for validation and for test (all load cases, all classes).
VALIDATION_SPEEDS = (607.0,)
TEST_SPEEDS = (457.0, 877.0)
CWRU_FS = 12_000.0
CWRU_CHUNK_SAMPLES = 12_000             # 1.0 s: one 0.96 s patch after resampling to 16 kHz
CWRU_NORMAL = (97, 98, 99, 100)         # 0-3 HP; only 97.mat is mirrored
CWRU_FAULT_SIZES = (0.007, 0.014, 0.021)
CWRU_TEST_SIZE = 0.014
METHODS = ("VGGish transfer", "VGGish from scratch", "YAMNet transfer", "VGG16 (ImageNet)",
           "VGG16 (random init)", "46 features + logistic regression")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Training options: Table 2 for the VGGish transfer, used as they are for the other networks (ours).

    Attributes
    ----------
    epochs, batch_size, learning_rate, drop_period, drop_factor, l2, dropout
        Table 2 and §2.3 (dropout 0.5 before the new dense layer).
    iterations : int or None
        Parameter updates to make whatever the training set's size: §4's "four (216 iterations)" = Table 2's
        54 iterations per epoch x 4 epochs. The epochs are then ``round(iterations / steps per epoch)`` and
        the learning rate drops every ``drop_period / epochs`` of them (every 108 updates), as the paper's
        2-epoch period does (:func:`training_schedule`). None: ``epochs`` epochs, whatever they hold.
    adam_epsilon : float
        Adam's epsilon: MATLAB's default 1e-8 (Keras' own default is 1e-7).
    class_weighted : bool
        Weight each class's loss by ``n / (k n_class)`` of the training set (:func:`balanced_class_weights`):
        1 for every class of a balanced set (the paper's), larger for CWRU's small normal class.
    resampler : str
        The front end's resampler (:func:`bearingkit.dsp.logmel.to_vggish_rate`).
    scalogram_size : int
        Scales and time bins of the VGG16 input (a square image); VGG16 accepts 32 and more.
    scalogram_samples : int
        Samples at the source rate from the start of each chunk that the scalogram covers.
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


# ----------------------------------------------------------------------------------------------- data


def polito_condition_rig(condition: sim.Condition, **physics) -> sim.Rig:
    """The ``"polito"`` rig as it behaves under one operating condition (our assumption, stated).

    A heavier load stiffens the contacts and the housing: each resonance rises by up to 6 % at the full
    124.8 kN radial and by 3 % more with the 49 kN axial load; a faster shaft warms the oil and the housing
    and lowers them by up to 3 % at 997 rpm. The gain of the second resonance grows with load (a stiffer path
    carries more high-frequency energy). ``physics`` replaces fields of the rig (``impact_law="constant_rms",
    compliance=0.0``: the simulator before issue 19, for the sensitivity of Table 7).
    """
    rig = dataclasses.replace(sim.get_rig("polito"), **physics)
    radial, axial = condition.load
    shift = 1 + 0.06 * radial / 124.8 + 0.03 * axial / 49.0 - 0.03 * condition.speed_rpm / 997.0
    sensors = []
    for sensor in rig.sensors:
        resonances = tuple(sim.Resonance(r.freq_hz * shift, r.damping,
                                         r.gain * (1 + 0.5 * i * radial / 124.8))
                           for i, r in enumerate(sensor.resonances))
        sensors.append(dataclasses.replace(sensor, resonances=resonances))
    return dataclasses.replace(rig, sensors=tuple(sensors))


def polito_snr_db(condition: sim.Condition) -> float:
    """Noise floor of one condition (our assumption): 3 dB more noise at 997 rpm than at rest."""
    return sim.DEFAULT_SNR_DB - 3.0 * condition.speed_rpm / 997.0


#: Rig fields that give the simulator's physics before issue 19: every speed the same fault RMS (the slowest
#: speed the strongest impacts) and no roller-pass vibration in the healthy bearing.
PHYSICS_BEFORE_ISSUE_19 = {"impact_law": "constant_rms", "compliance": 0.0}


def simulate_polito(*, n_chunks: int = CHUNKS_PER_SIGNAL, seed: int = 0,
                    conditions: Sequence[sim.Condition] | None = None,
                    physics: dict | None = None) -> Segments:
    """The simulated PoliTo data set: every class x condition, ``n_chunks`` chunks of 1.6 s each (Table 5).

    Parameters
    ----------
    n_chunks : int
        Chunks per signal: 18 (30 s, the paper) or fewer for a shorter run.
    seed : int
        Master seed; each (class, condition) signal gets its child from
        :func:`bearingkit.physics.simulate.design_seed`, so a subset gives the same signals.
    conditions : sequence of Condition, optional
        Subset of ``rig_conditions("polito")`` (all 40 by default, Table 4).
    physics : dict, optional
        Rig fields to replace (:func:`polito_condition_rig`), e.g. :data:`PHYSICS_BEFORE_ISSUE_19`.

    Returns
    -------
    Segments
        ``X`` float32 ``(n, 32768)``; ``groups`` name the signal (``record``), ``condition``, ``load`` (radial
        kN) and ``rpm``.
    """
    if not 1 <= n_chunks <= CHUNKS_PER_SIGNAL:
        raise ParameterError(f"n_chunks must be between 1 and {CHUNKS_PER_SIGNAL}, got {n_chunks!r}")
    seed = check_seed(seed)
    conditions = sim.rig_conditions("polito") if conditions is None else tuple(conditions)
    duration = n_chunks * CHUNK_SAMPLES / POLITO_FS
    parts = []
    for fault in CLASSES:
        for condition in conditions:
            child = sim.design_seed("polito", seed=seed, fault=fault, condition=condition)
            record = sim.simulate(polito_condition_rig(condition, **(physics or {})), fault=fault,
                                  speed=condition.speed_rpm, load=condition.load, duration=duration,
                                  seed=child, snr_db=polito_snr_db(condition))
            record = dataclasses.replace(record, extra={**record.extra, "condition": condition.name})
            parts.append(segment(record, length=CHUNK_SAMPLES))
    windows = concat_segments(parts)
    return Segments(windows.X.astype(np.float32), windows.y, windows.groups)


def _at_cwru_rate(record: Recording) -> Recording:
    if record.fs == CWRU_FS:
        return record
    return dataclasses.replace(record, signal=resample(record.signal, fs_in=record.fs, fs_out=CWRU_FS),
                               fs=CWRU_FS, extra={**record.extra, "resampled_from_hz": record.fs})


def cwru_normal_records(numbers: Sequence[int] = CWRU_NORMAL) -> tuple[list[Recording], dict[int, str]]:
    """The normal-baseline records that can be had, at 12 kHz, and why each missing one is missing.

    97.mat is sampled at 48 kHz (primer notebook): it is resampled to 12 kHz, so the normal class carries no
    more bandwidth than the 12 kHz fault records (a classifier could otherwise tell classes by bandwidth).
    """
    records, missing = [], {}
    for number in numbers:
        try:
            records.append(_at_cwru_rate(load_cwru(number)))
        except DataError as error:  # missing, or unpinned and not allowed: reported, never filled in
            missing[number] = f"{type(error).__name__}: {error}"
    if not records:
        raise MissingDataError(f"no CWRU normal-baseline record could be loaded: {missing}")
    return records, missing


def cwru_view(*, normal_numbers: Sequence[int] = CWRU_NORMAL, balance_normal: bool = False,
              ) -> tuple[Segments, dict[int, str]]:
    """Real CWRU drive-end chunks of 1 s at 12 kHz: normal, inner race, outer race (centred, 6 o'clock).

    Fault classes: every 12 kHz drive-end record of 0.007, 0.014 and 0.021 in at 0-3 HP (12 records per
    class), cut into non-overlapping 1 s chunks. The normal class has far less data (97.mat: about 5 s at 0 HP
    unless 98-100.mat can be fetched): by default its chunks do not overlap either, so it is a small class
    (a handful of chunks, all at 0 HP) and training weights it up (:func:`balanced_class_weights`).
    ``balance_normal=True`` gives the view before issue 19: the normal chunks overlap (about 97 % with
    97.mat alone) so that the class has as many chunks as a fault class, which makes any random split leak
    for that class.

    Returns
    -------
    (Segments, dict)
        The chunks (12 kHz) and, for each normal record that could not be loaded, why.
    """
    faults = []
    for location, position in (("IR", None), ("OR", 6)):
        numbers = cwru_files("12k_DE", location=location, size=list(CWRU_FAULT_SIZES), load=[0, 1, 2, 3],
                             or_position=position)
        faults.append(segment([load_cwru(n) for n in numbers], length=CWRU_CHUNK_SAMPLES))
    per_class = max(len(f) for f in faults)
    normal, missing = cwru_normal_records(normal_numbers)
    hop = CWRU_CHUNK_SAMPLES
    if balance_normal:
        span = sum(r.n_samples - CWRU_CHUNK_SAMPLES for r in normal)
        hop = max(1, math.floor(span / max(per_class - len(normal), 1)))
    chunks = concat_segments([segment(normal, length=CWRU_CHUNK_SAMPLES, hop=hop), *faults])
    return Segments(chunks.X.astype(np.float32), chunks.y, chunks.groups), missing


# ----------------------------------------------------------------------------------------------- splits


def label_index(y) -> np.ndarray:
    """Class index 0, 1, 2 of each label (:data:`CLASSES`)."""
    y = np.asarray(y)
    unknown = sorted(set(y) - set(CLASSES))
    if unknown:
        raise ParameterError(f"labels {unknown} are not among {CLASSES}")
    return np.array([CLASSES.index(v) for v in y], dtype=int)


def stratified_split(y, *, fractions: Sequence[float] = SPLIT_FRACTIONS, seed: int = 0,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The paper's random split (Table 6): per class, shuffle and cut at 80 % and 90 %.

    Returns
    -------
    (train, validation, test) : index arrays
        720 chunks per class give 576 / 72 / 72.
    """
    if len(fractions) != 3 or not math.isclose(sum(fractions), 1.0) or min(fractions) <= 0:
        raise ParameterError(f"fractions must be three positive numbers summing to 1, got {fractions!r}")
    rng = np.random.default_rng(check_seed(seed))
    parts: tuple[list, list, list] = ([], [], [])
    y = np.asarray(y)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        cuts = np.round(np.cumsum(fractions)[:2] * len(members)).astype(int)
        for part, chunk in zip(parts, np.split(members, cuts), strict=True):
            part.append(chunk)
    return tuple(np.sort(np.concatenate(p)) for p in parts)


def held_out_speeds_split(groups: pd.DataFrame, *, validation_speeds: Sequence[float] = VALIDATION_SPEEDS,
                          test_speeds: Sequence[float] = TEST_SPEEDS) -> tuple[np.ndarray, ...]:
    """Train on some shaft speeds, validate and test on others (every load case and class at each speed)."""
    rpm = groups["rpm"].to_numpy(dtype=float)
    test = np.isin(rpm, test_speeds)
    validation = np.isin(rpm, validation_speeds)
    if not test.any() or not validation.any() or (test & validation).any():
        raise ParameterError(f"speeds {sorted(set(rpm))}: validation {validation_speeds} and test "
                             f"{test_speeds} must be present and distinct")
    return np.flatnonzero(~(test | validation)), np.flatnonzero(validation), np.flatnonzero(test)


def held_out_size_split(groups: pd.DataFrame, *, test_size: float = CWRU_TEST_SIZE, normal_test_share=1 / 3,
                        validation_fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, ...]:
    """CWRU: test on one fault size never trained on; the normal class on a later, disjoint span.

    Fault chunks of ``test_size`` (all loads) are the test set, those of the other sizes train. The normal
    records (one, 97.mat, unless more could be fetched) cannot be held out whole: their last
    ``normal_test_share`` goes to test, the chunks before it to training, and the chunks that straddle the cut
    are dropped, so no sample is on both sides. For the normal class this tests only a later stretch of the
    same recording; for the faults it tests an unseen defect size. The validation set is a random
    ``validation_fraction`` of the training chunks: it monitors training and is not an independent test.
    """
    labels = groups["label"].to_numpy()
    normal = labels == "normal"
    cut = groups["record"].map(groups[normal].groupby("record")["stop"].max() * (1 - normal_test_share))
    test = (~normal & np.isclose(groups["fault_size"].to_numpy(dtype=float), test_size)) | \
           (normal & (groups["start"] >= cut)).to_numpy()
    train = (~normal & ~test) | (normal & (groups["stop"] <= cut)).to_numpy()
    if not test[~normal].any():
        raise ParameterError(f"no fault chunks of size {test_size} in the data")
    rng = np.random.default_rng(check_seed(seed))
    train_index = np.flatnonzero(train)
    validation = np.zeros(len(groups), bool)
    validation[rng.choice(train_index, round(validation_fraction * len(train_index)), replace=False)] = True
    train &= ~validation
    assert_disjoint(groups[train], groups[test])
    return np.flatnonzero(train), np.flatnonzero(validation), np.flatnonzero(test)


# ----------------------------------------------------------------------------------------------- inputs


def _one_patch_prefix(X: np.ndarray, fs: float) -> np.ndarray:
    """The start of each chunk that one patch needs, plus 25 ms for the resampling filter's reach."""
    needed = math.ceil((logmel.patch_input_samples(1) + logmel.WINDOW_SAMPLES) * fs / logmel.SAMPLE_RATE)
    if X.shape[-1] < needed:
        raise ParameterError(f"chunks of {X.shape[-1]} samples at {fs:g} Hz are shorter than one 0.96 s "
                             f"patch ({needed} samples with the resampler's margin)")
    return X[..., :needed]


def waveforms_16k(X, *, fs: float, settings: Settings = Settings()) -> np.ndarray:
    """Each chunk scaled to [-1, 1] (§2.3), its first 0.975 s resampled to 16 kHz: ``(n, 15600)`` float32.

    Only the samples the first patch uses are resampled (frames 0-95 of a 1.6 s chunk's 158; the rest are
    dropped by the front end anyway); the kaiser_best filter reaches 4 ms, the margin kept is 25 ms, so the
    result equals resampling the whole chunk.
    """
    X = logmel.scale_to_unit(np.asarray(X))
    at_16k = logmel.to_vggish_rate(_one_patch_prefix(X, fs), fs=fs, resampler=settings.resampler)
    return at_16k[..., :logmel.patch_input_samples(1)].astype(np.float32)


def vggish_inputs(waveforms) -> np.ndarray:
    """One 96 x 64 log-mel patch per 16 kHz chunk of :func:`waveforms_16k`, ``(n, 96, 64)`` float32 (§2.3)."""
    return logmel.vggish_patches(waveforms, fs=logmel.SAMPLE_RATE, normalise=False)[:, 0]


def scalograms(X, *, fs: float, size: int = 64, samples: int = 4096, block: int = 128) -> np.ndarray:
    """Morlet CWT magnitude of each chunk's first ``samples`` as a ``size x size`` image, 3 channels, 0-255.

    Scales are geometric from 2 to 128 samples (Morlet centre frequencies 0.81 fs/2 down to fs/158); the
    time axis is averaged into ``size`` bins, the magnitude taken in log and stretched to 0-255 per image (the
    form of Shao et al.'s wavelet time-frequency images for an ImageNet network).

    Returns
    -------
    np.ndarray [shape=(n, size, size, 3), dtype=float32]
    """
    import pywt

    X = np.asarray(X)
    if X.shape[-1] < samples or samples % size:
        raise ParameterError(f"need chunks of at least {samples} samples and samples divisible by size; got "
                             f"{X.shape[-1]}, samples={samples}, size={size}")
    scales = np.geomspace(2, 128, size)
    images = np.empty((len(X), size, size), np.float32)
    for start in range(0, len(X), block):
        coefficients, _ = pywt.cwt(X[start:start + block, :samples], scales, "morl", method="fft", axis=-1)
        pooled = np.abs(coefficients).reshape(size, -1, size, samples // size).mean(axis=-1)
        images[start:start + block] = np.log(pooled + 1e-12).transpose(1, 0, 2)
    low = images.min(axis=(1, 2), keepdims=True)
    high = images.max(axis=(1, 2), keepdims=True)
    images = 255 * (images - low) / np.where(high > low, high - low, 1)
    return np.repeat(images[..., None], 3, axis=-1)


def handcrafted_features(X, *, fs: float) -> np.ndarray:
    """The 46 features of notebook 03 (Sedira & Felkaoui 2026, Table 5) of each chunk."""
    return extract_features(np.asarray(X, dtype=float), fs=fs)


# ----------------------------------------------------------------------------------------------- methods


@dataclasses.dataclass
class MethodResult:
    """One method on one split: accuracies (%), the test predictions, training time and loss curves."""

    method: str
    split: str
    train_accuracy: float
    validation_accuracy: float
    test_accuracy: float
    train_seconds: float
    y_test: np.ndarray
    y_pred: np.ndarray
    history: dict = dataclasses.field(default_factory=dict)
    seed: int | None = None
    #: Chunks in each set (``train``, ``validation``, ``test``) and the schedule actually run (Keras models).
    sizes: dict = dataclasses.field(default_factory=dict)
    schedule: dict = dataclasses.field(default_factory=dict)

    def precision_recall(self) -> pd.DataFrame:
        """Precision and recall (%) of each class on the test set (Table 8)."""
        precision, recall, _, _ = precision_recall_fscore_support(
            self.y_test, self.y_pred, labels=range(len(CLASSES)), zero_division=0)
        return pd.DataFrame({"precision": 100 * precision, "recall": 100 * recall}, index=list(LABELS))

    def confusion(self) -> np.ndarray:
        """Test confusion matrix, rows true class, columns predicted (Fig. 11)."""
        return confusion_matrix(self.y_test, self.y_pred, labels=range(len(CLASSES)))


def _accuracy(y_true, y_pred) -> float:
    return float(100 * np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def training_schedule(n_train: int, *, batch_size: int = 32, iterations: int | None = 216, epochs: int = 4,
                      drop_period: int = 2) -> dict:
    """Epochs, steps per epoch and learning-rate drop interval that give Table 2's number of updates.

    The paper trains 4 epochs of 54 iterations (1,728 chunks / 32; §4: "four (216 iterations)") and halves
    the rate every 2 epochs, i.e. after 108 updates. A smaller training set gives fewer steps per epoch, so
    the same 4 epochs would make fewer updates; here the number of updates is kept instead: ``epochs =
    round(iterations / steps_per_epoch)`` and the rate drops every ``iterations * drop_period / epochs``
    updates. Keras takes ``ceil(n_train / batch_size)`` steps per epoch, the last one partial (MATLAB drops
    the partial mini-batch: ``floor``; the same for 1,728 chunks).

    Parameters
    ----------
    n_train : int >= 1
        Training chunks.
    batch_size : int >= 1
    iterations : int >= 1 or None
        Updates to make (216); None: ``epochs`` epochs as they are.
    epochs, drop_period : int >= 1
        Table 2's 4 epochs and 2-epoch drop period.

    Returns
    -------
    dict
        ``steps_per_epoch``, ``epochs``, ``iterations`` (made), ``drop_every`` (updates).

    Examples
    --------
    >>> training_schedule(1728)
    {'steps_per_epoch': 54, 'epochs': 4, 'iterations': 216, 'drop_every': 108}
    >>> training_schedule(384)
    {'steps_per_epoch': 12, 'epochs': 18, 'iterations': 216, 'drop_every': 108}
    """
    if min(n_train, batch_size, epochs, drop_period) < 1 or (iterations is not None and iterations < 1):
        raise ParameterError(f"need n_train, batch_size, epochs, drop_period and iterations >= 1; got "
                             f"{n_train}, {batch_size}, {epochs}, {drop_period}, {iterations}")
    steps = math.ceil(n_train / batch_size)
    if iterations is None:
        return {"steps_per_epoch": steps, "epochs": epochs, "iterations": steps * epochs,
                "drop_every": steps * drop_period}
    run_epochs = max(1, round(iterations / steps))
    return {"steps_per_epoch": steps, "epochs": run_epochs, "iterations": steps * run_epochs,
            "drop_every": max(1, round(iterations * drop_period / epochs))}


def balanced_class_weights(y, n_classes: int = len(CLASSES)) -> dict[int, float]:
    """Loss weight ``n / (k n_c)`` of each class ``c`` present in the training labels ``y`` (sklearn's
    ``"balanced"``): 1.0 for every class of a balanced set.

    Examples
    --------
    >>> balanced_class_weights([0, 1, 1, 2, 2, 2])
    {0: 2.0, 1: 1.0, 2: 0.6666666666666666}
    """
    counts = np.bincount(np.asarray(y, dtype=int), minlength=n_classes)
    present = counts > 0
    return {int(c): float(counts.sum() / (present.sum() * counts[c])) for c in np.flatnonzero(present)}


def binomial_standard_error(p_pct: float, n: int) -> float:
    """Standard error (percentage points) of a proportion ``p_pct`` measured on ``n`` independent chunks.

    ``100 sqrt(p (1 - p) / n)``: the spread of an accuracy, precision or recall from the size of the set it is
    counted on alone (the chunks are treated as independent trials, which chunks of one recording are not:
    a lower bound). 48 test chunks at 75 % give 6.25 points.

    Examples
    --------
    >>> round(binomial_standard_error(75.0, 48), 2)
    6.25
    """
    if n < 1 or not 0 <= p_pct <= 100:
        raise ParameterError(f"need n >= 1 and 0 <= p_pct <= 100, got n={n!r}, p_pct={p_pct!r}")
    p = p_pct / 100
    return 100 * math.sqrt(p * (1 - p) / n)


def binomial_tolerance(paper_pct: float, n_ours: int, *, n_paper: int | None = None, z: float = 2.0) -> float:
    """Tolerance (percentage points) for comparing our proportion on ``n_ours`` chunks with the paper's.

    ``z`` standard errors of the difference of two independent binomial proportions, both at the paper's
    value: ``z 100 sqrt(p (1 - p) (1 / n_ours + 1 / n_paper))`` (about a 95 % interval for ``z = 2``). It is
    fixed before our value is known (it uses the paper's ``p``, never ours) and grows as our test set
    shrinks. At ``p`` = 0 or 100 % the formula gives 0; a floor of one chunk, ``100 / n_ours``, stays.

    Parameters
    ----------
    paper_pct : float in [0, 100]
        The paper's value.
    n_ours : int >= 1
        Chunks our value is counted on (the test set; a class's test chunks for precision and recall).
    n_paper : int >= 1, optional
        Chunks the paper's value is counted on (Table 6: 216 test chunks, 72 per class); None: ours only.
    z : float > 0

    Examples
    --------
    >>> round(binomial_tolerance(91.2, 48, n_paper=216), 1)
    9.0
    >>> binomial_tolerance(100.0, 48, n_paper=216)
    2.0833333333333335
    """
    if z <= 0:
        raise ParameterError(f"z must be positive, got {z!r}")
    se = binomial_standard_error(paper_pct, n_ours)
    if n_paper is not None:
        se = math.hypot(se, binomial_standard_error(paper_pct, n_paper))
    return max(z * se, 100 / n_ours)


def train_keras(model, X, y, split, *, settings: Settings = Settings(), seed: int = 0,
                method: str, split_name: str) -> MethodResult:
    """Train ``model`` (softmax over 3 classes) with Table 2's options; accuracies on the three sets.

    The training accuracy is evaluated on the whole training set after training, dropout off (MATLAB's
    training-progress accuracy is that of the last mini-batch). The number of updates is Table 2's 216
    whatever the training set's size (:func:`training_schedule`); classes are weighted by
    :func:`balanced_class_weights` when ``settings.class_weighted``.
    """
    import keras

    from bearingkit.models.vggish import piecewise_adam

    keras.utils.set_random_seed(check_seed(seed))
    train, validation, test = split
    schedule = training_schedule(len(train), batch_size=settings.batch_size, iterations=settings.iterations,
                                 epochs=settings.epochs, drop_period=settings.drop_period)
    optimizer = piecewise_adam(steps_per_epoch=schedule["drop_every"], learning_rate=settings.learning_rate,
                               drop_period=1, drop_factor=settings.drop_factor, epsilon=settings.adam_epsilon)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    weights = balanced_class_weights(y[train]) if settings.class_weighted else None
    start = time.perf_counter()
    fitted = model.fit(X[train], y[train], validation_data=(X[validation], y[validation]) if len(validation)
                       else None, batch_size=settings.batch_size, epochs=schedule["epochs"], shuffle=True,
                       class_weight=weights, verbose=0)
    seconds = time.perf_counter() - start

    def predict(index, batch=128):
        # direct calls in inference mode: no compiled predict function retraced for every model
        scores = [np.asarray(model(X[index[i:i + batch]], training=False))
                  for i in range(0, len(index), batch)]
        return np.argmax(np.concatenate(scores), axis=1)

    y_pred = predict(test)
    return MethodResult(method=method, split=split_name, train_accuracy=_accuracy(y[train], predict(train)),
                        validation_accuracy=_accuracy(y[validation], predict(validation)),
                        test_accuracy=_accuracy(y[test], y_pred), train_seconds=seconds, y_test=y[test],
                        y_pred=y_pred, history={k: list(map(float, v)) for k, v in fitted.history.items()},
                        seed=int(seed), sizes=_sizes(split), schedule=schedule)


def _sizes(split) -> dict:
    return {"train": len(split[0]), "validation": len(split[1]), "test": len(split[2])}


def standardise(features, train) -> np.ndarray:
    """Features centred and scaled by the mean and standard deviation of the training rows only."""
    features = np.asarray(features, dtype=np.float32)
    mean, std = features[train].mean(axis=0), features[train].std(axis=0)
    return (features - mean) / np.where(std > 0, std, 1)


def run_head(embeddings, y, split, *, settings: Settings = Settings(), seed: int = 0, method: str,
             split_name: str, standardised: bool = False) -> MethodResult:
    """Transfer learning on frozen embeddings (§2.3): the new dropout + dense(3) + softmax, Table 2.

    With the backbone frozen and no dropout inside it, training the head on embeddings computed once is the
    same computation as the paper's whole network with frozen layers, minus the repeated forward passes.
    ``standardised`` scales the embeddings by training-set statistics first (:func:`standardise`; our choice
    for VGG16's pooled features, whose scale differs from the audio embeddings' by orders of magnitude);
    YAMNet's and VGGish's embeddings enter the head as they are, as in the paper's network.
    """
    import keras

    from bearingkit.models.vggish import transfer_head

    if standardised:
        embeddings = standardise(embeddings, split[0])
    keras.utils.set_random_seed(check_seed(seed))

    head = transfer_head(n_inputs=embeddings.shape[1], n_classes=len(CLASSES), dropout=settings.dropout,
                         l2=settings.l2)
    return train_keras(head, embeddings, y, split, settings=settings, seed=seed, method=method,
                       split_name=split_name)


def run_from_scratch(patches, y, split, *, settings: Settings = Settings(), seed: int = 0,
                     split_name: str) -> MethodResult:
    """VGGish with every layer trainable, from Keras' default initialisation (Table 7, second row)."""
    import keras

    from bearingkit.models.vggish import build_vggish, classifier

    keras.utils.set_random_seed(check_seed(seed))
    model = classifier(build_vggish(), n_classes=len(CLASSES), dropout=settings.dropout, l2=settings.l2)
    return train_keras(model, patches, y, split, settings=settings, seed=seed, method="VGGish from scratch",
                       split_name=split_name)


def vgg16_features(images, *, weights: str | None, seed: int = 0, batch_size: int = 64) -> np.ndarray:
    """Global-average-pooled output of VGG16's convolutional base (frozen), ``(n, 512)``.

    ``weights="imagenet"`` needs Keras' download of the ImageNet weights; None gives the randomly initialised
    network (seeded), whose row is labelled as such.
    """
    import keras

    keras.utils.set_random_seed(check_seed(seed))
    base = keras.applications.VGG16(include_top=False, weights=weights, input_shape=images.shape[1:],
                                    pooling="avg")
    inputs = keras.applications.vgg16.preprocess_input(np.array(images, dtype=np.float32))
    return np.asarray(base.predict(inputs, batch_size=batch_size, verbose=0))


def _logistic(features, y, split, *, method: str, split_name: str, max_iter: int) -> MethodResult:
    train, validation, test = split
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=max_iter, class_weight="balanced"))
    start = time.perf_counter()
    model.fit(features[train], y[train])
    seconds = time.perf_counter() - start
    y_pred = model.predict(features[test])
    n_iter = int(np.max(model[-1].n_iter_))
    return MethodResult(method=method, split=split_name,
                        train_accuracy=_accuracy(y[train], model.predict(features[train])),
                        validation_accuracy=_accuracy(y[validation], model.predict(features[validation]))
                        if len(validation) else float("nan"),
                        test_accuracy=_accuracy(y[test], y_pred), train_seconds=seconds, y_test=y[test],
                        y_pred=y_pred, sizes=_sizes(split),
                        schedule={"solver_iterations": n_iter, "converged": n_iter < max_iter})


def run_vgg16_finetune(images, y, split, *, settings: Settings = Settings(), seed: int = 0, split_name: str,
                       weights: str | None = "imagenet", trainable_from: str = "block5_conv1",
                       method: str = "VGG16 (ImageNet, block 5 fine-tuned)") -> MethodResult:
    """VGG16 with its last convolution block retrained, global pooling and the shared head (Table 7, §4).

    The paper fine-tunes an ImageNet VGG16 on wavelet time-frequency images after Shao et al. and blames its
    69 % on too few retrained layers; which layers it retrains is not stated. Here every layer from
    ``trainable_from`` on (block 5: 3 convolutions, 7.1 M parameters) trains with the head, for Table 2's
    216 updates. It needs the ImageNet weights (``weights="imagenet"``); ``weights=None`` runs the same code
    from a random initialisation (tests).
    """
    import keras

    from bearingkit.models.vggish import transfer_head

    keras.utils.set_random_seed(check_seed(seed))
    base = keras.applications.VGG16(include_top=False, weights=weights, input_shape=images.shape[1:],
                                    pooling="avg")
    trainable = False
    for layer in base.layers:
        trainable = trainable or layer.name == trainable_from
        layer.trainable = trainable
    head = transfer_head(n_inputs=base.output_shape[-1], n_classes=len(CLASSES), dropout=settings.dropout,
                         l2=settings.l2)
    model = keras.Model(base.input, head(base.output), name="vgg16_finetune")
    inputs = keras.applications.vgg16.preprocess_input(np.array(images, dtype=np.float32))
    return train_keras(model, inputs, y, split, settings=settings, seed=seed, method=method,
                       split_name=split_name)


def run_baseline(features, y, split, *, split_name: str) -> MethodResult:
    """46 hand-made features, standardised, and a multinomial logistic regression (our baseline), classes
    weighted ``"balanced"``."""
    return _logistic(features, y, split, method=METHODS[-1], split_name=split_name, max_iter=2000)


def run_linear_probe(embeddings, y, split, *, method: str, split_name: str, max_iter: int = 10_000,
                     ) -> MethodResult:
    """A linear probe: the frozen embeddings, standardised, and a logistic regression solved to convergence.

    The same model class as the transfer head (a linear map and a softmax on the embedding, §2.3) without
    dropout, fitted by L-BFGS until its gradient vanishes rather than for 216 Adam updates: what the head
    can reach on these embeddings, so that a low head accuracy can be told from an unfinished one.
    ``schedule`` records the solver's iterations and whether it converged.
    """
    return _logistic(embeddings, y, split, method=f"{method}: linear probe", split_name=split_name,
                     max_iter=max_iter)


def hardware() -> str:
    """The CPU this run trained on, as Table 7 names the paper's."""
    model = next((line.split(":", 1)[1].strip() for line in _cpuinfo().splitlines()
                  if line.startswith("model name")), platform.processor() or platform.machine())
    return f"{model}, {os.cpu_count()} cores visible"


def _cpuinfo() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            return handle.read()
    except OSError:
        return ""


def table7(results: Sequence[MethodResult]) -> pd.DataFrame:
    """Accuracies (%) and training time per method and split, mean over runs (Table 7)."""
    rows = [{"method": r.method, "split": r.split, "train": r.train_accuracy,
             "validation": r.validation_accuracy, "test": r.test_accuracy, "train time (s)": r.train_seconds}
            for r in results]
    return pd.DataFrame(rows).groupby(["split", "method"], sort=False).mean()


# ----------------------------------------------------------------------------------------------- protocol

NOTEBOOK = "01_dimaggio2023_vggish_transfer"
PAPER = "dimaggio2023"
#: Standard errors of the difference (ours vs the paper's, both binomial) within which a comparable row is
#: called reproduced (:func:`binomial_tolerance`).
TOLERANCE_Z = 2.0
#: Chunks behind each of the paper's numbers (Table 6 x 3 classes; 72 per class for precision and recall).
PAPER_N = {"train": 1728, "validation": 216, "test": 216, "class": 72}
SIMULATED_SPLITS = ("paper", "held-out speeds")
CWRU_SPLITS = ("paper", "held-out fault size")
#: Run profiles (:func:`bearingkit.checks.profile_settings`): ``quick`` fits CI on 2 CPU cores; ``full`` is
#: the paper's data size, the reference resampler and VGGish from scratch on every split. VGGish from
#: scratch (72 M parameters trained for Table 2's 216 updates) is too slow for the quick profile: 48 updates
#: took 510 s on 2 shared cores in the quick run before issue 19, so 216 would take over half an hour.
PROFILES = {
    "quick": {"n_chunks": 4, "n_runs": 2, "resampler": "polyphase", "scratch_on": (),
              "scalogram_size": 32, "scalogram_samples": 2048},
    "full": {"n_chunks": CHUNKS_PER_SIGNAL, "n_runs": 3, "resampler": "kaiser_best",
             "scratch_on": (("simulated", "paper"), ("simulated", "held-out speeds"), ("CWRU", "paper"),
                            ("CWRU", "held-out fault size")),
             "scalogram_size": 64, "scalogram_samples": 4096},
}
#: Our methods with rows in Tables 7-8 and the paper's row each stands beside (None: the paper has none).
#: "VGG16 (random init)" is not the paper's ImageNet VGG16 and is given no paper value.
PAPER_METHOD = {"VGGish transfer": "VGGish transfer", "VGGish transfer (ReLU on fc2)": "VGGish transfer",
                "VGGish from scratch": "VGGish from scratch", "YAMNet transfer": "YAMNet transfer",
                "VGG16 (ImageNet)": "VGG16", "VGG16 (ImageNet, block 5 fine-tuned)": "VGG16",
                "VGG16 (random init)": None}
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


@dataclasses.dataclass
class Inputs:
    """Everything the methods read, computed once per data set: labels, VGGish patches, frozen embeddings
    (None where the network is unavailable), VGG16 features per weight source, the 46 features, timings."""

    y: np.ndarray
    patches: np.ndarray
    embeddings: dict[str, np.ndarray | None]
    features: np.ndarray
    seconds: dict[str, float]
    images: np.ndarray | None = None


def prepare_inputs(X, y, *, fs: float, settings: Settings, yamnet=None, vggish=None,
                   vgg16_weights: dict[str, str | None] | None = None, seed: int = 0) -> Inputs:
    """Front end, frozen embeddings and hand-made features of every chunk, each step timed.

    Parameters
    ----------
    X : np.ndarray [shape=(n, time)]
        Chunks at ``fs``.
    y : array_like
        Labels (:data:`CLASSES`).
    yamnet : YamnetTFLite or None
    vggish : keras.Model or None
        The pretrained VGGish; None when its weights could not be had.
    vgg16_weights : dict
        Method name -> ``"imagenet"`` or None (random initialisation), for each VGG16 variant to run.
    """
    seconds = {}
    clock = time.perf_counter()
    waveforms = waveforms_16k(X, fs=fs, settings=settings)
    patches = vggish_inputs(waveforms)
    seconds["front end"] = time.perf_counter() - clock
    embeddings: dict[str, np.ndarray | None] = dict.fromkeys(
        ("VGGish transfer", "VGGish transfer (ReLU on fc2)", "YAMNet transfer"))
    if vggish is not None:
        clock = time.perf_counter()
        embeddings["VGGish transfer"] = np.asarray(vggish.predict(patches, batch_size=128, verbose=0))
        # Table 1 / MATLAB's 24-layer vggish: a ReLU after fc2; ReLU of the linear fc2 output is exactly that
        embeddings["VGGish transfer (ReLU on fc2)"] = np.maximum(embeddings["VGGish transfer"], 0)
        seconds["VGGish embeddings"] = time.perf_counter() - clock
    if yamnet is not None:
        clock = time.perf_counter()
        embeddings["YAMNet transfer"] = yamnet.embeddings(waveforms)
        seconds["YAMNet embeddings"] = time.perf_counter() - clock
    images = None
    if vgg16_weights:
        clock = time.perf_counter()
        images = scalograms(X, fs=fs, size=settings.scalogram_size, samples=settings.scalogram_samples)
        for method, weights in vgg16_weights.items():
            embeddings[method] = vgg16_features(images, weights=weights, seed=seed)
        seconds["scalograms + VGG16 features"] = time.perf_counter() - clock
    clock = time.perf_counter()
    features = handcrafted_features(X, fs=fs)
    seconds["46 features"] = time.perf_counter() - clock
    return Inputs(y=label_index(y), patches=patches, embeddings=embeddings, features=features,
                  seconds=seconds, images=images)


def run_split(inputs: Inputs, split, split_name: str, *, settings: Settings, seeds: Sequence[int],
              from_scratch: bool, probes: Sequence[str] = ("YAMNet transfer", "VGGish transfer"),
              finetune_vgg16: bool = False) -> list[MethodResult]:
    """Every available method on one split, once per seed (from scratch and the VGG16 fine-tuning: first
    seed only, they are costly), plus a converged linear probe (:func:`run_linear_probe`) on each embedding
    named in ``probes``."""
    out = []
    for method, embeddings in inputs.embeddings.items():
        if embeddings is None:
            continue
        for seed in seeds:
            out.append(run_head(embeddings, inputs.y, split, settings=settings, seed=seed, method=method,
                                split_name=split_name, standardised=method.startswith("VGG16")))
        if method in probes:
            out.append(run_linear_probe(embeddings, inputs.y, split, method=method, split_name=split_name))
    if finetune_vgg16 and inputs.images is not None:
        out.append(run_vgg16_finetune(inputs.images, inputs.y, split, settings=settings, seed=seeds[0],
                                      split_name=split_name))
    if from_scratch:
        out.append(run_from_scratch(inputs.patches, inputs.y, split, settings=settings, seed=seeds[0],
                                    split_name=split_name))
    out.append(run_baseline(inputs.features, inputs.y, split, split_name=split_name))
    return out


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


def row_tolerance(paper_value: float | None, n_ours: int, n_paper: int) -> float | None:
    """:func:`binomial_tolerance` at the paper's value for ``n_ours`` of our chunks and ``n_paper`` of the
    paper's (:data:`PAPER_N`); None without a paper value."""
    if paper_value is None or n_ours < 1:
        return None
    return binomial_tolerance(paper_value, n_ours, n_paper=n_paper, z=TOLERANCE_Z)


def result_rows(runs: Sequence[MethodResult], *, dataset: str, data_kind: str, split: str,
                not_run: dict[str, str]) -> list[dict]:
    """Rows of Tables 7 and 8 for one data set and split: ours (one value per run) beside the paper's.

    A method without runs gets ``not run`` rows with the reason in ``not_run``. Rows with our numbers are
    *not comparable* where the data or the method differ from the paper's (:func:`comparability`); the
    tolerance is :func:`binomial_tolerance` at the paper's value for our set's size (the whole set for
    accuracies, the class's test chunks for precision and recall), stated in every row.
    """
    from bearingkit.report import reference, results

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
                                    tolerance=row_tolerance(paper_value, n, PAPER_N[part]),
                                    ours=[getattr(r, attribute) for r in mine] or None, **common))
        for k, label in enumerate(LABELS):
            n = int(np.sum(mine[0].y_test == k)) if mine else 0
            for j, measure in enumerate(("precision", "recall")):
                ours = [r.precision_recall().iloc[k, j] for r in mine] or None
                paper_value = table8_ref[paper_method][label][j] if paper_method else None
                rows.append(results.row(item="Table 8", quantity=f"{measure}, {method}, {label}",
                                        paper_value=paper_value,
                                        tolerance=row_tolerance(paper_value, n, PAPER_N["class"]),
                                        ours=ours, **common))
    return rows
