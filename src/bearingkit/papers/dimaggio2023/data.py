"""The data of Di Maggio (2023): the simulated PoliTo rig, real CWRU chunks, and their splits.

* :func:`simulate_polito`: the Politecnico di Torino rig (§3, Tables 3-5) is not public; the embedded
  simulator (:mod:`bearingkit.physics.simulate`, rig ``"polito"``) stands in, labelled *simulated*
  everywhere: 3 classes x 4 load cases x 10 speeds, 30 s at 20,480 Hz, 18 non-overlapping chunks of 32,768
  samples per signal. So that a held-out operating condition is a real test, each condition gets its own
  transmission path and noise floor, as on a real rig (:func:`polito_condition_rig`, :func:`polito_snr_db`).
* :func:`cwru_view`: real CWRU drive-end data, normal / inner / outer race (our extension: the paper runs no
  CWRU experiment), see its docstring for how the single normal record is balanced.
* :func:`stratified_split` is the paper's 80/10/10 (Table 6: 576 / 72 / 72 per class); chunks of one 30 s
  signal land on both sides, so it may measure recording identification. :func:`held_out_speeds_split` tests
  on speeds never trained on; :func:`held_out_size_split` (CWRU) on a fault size never trained on.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bearingkit.checks import check_seed
from bearingkit.data import Segments, concat_segments, cwru_files, load_cwru, segment
from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.errors import DataError, MissingDataError, ParameterError
from bearingkit.evaluation.splits import held_out_split
from bearingkit.papers.dimaggio2023.settings import (
    CHUNK_SAMPLES,
    CHUNKS_PER_SIGNAL,
    CLASSES,
    CWRU_CHUNK_SAMPLES,
    CWRU_FAULT_SIZES,
    CWRU_FS,
    CWRU_NORMAL,
    POLITO_FS,
    Settings,
)
from bearingkit.physics import simulate as sim
from bearingkit.recording import Recording

__all__ = [
    "PHYSICS_BEFORE_ISSUE_19", "cwru_normal_details", "cwru_normal_records", "cwru_splits",
    "cwru_view", "held_out_size_split", "held_out_speeds_split", "impact_severity", "label_index",
    "normal_hop_before_issue_19", "overlap_pct", "polito_condition_rig", "polito_snr_db", "polito_splits",
    "simulate_polito", "stratified_split",
]

#: Rig fields that give the simulator's physics before issue 19: every speed the same fault RMS (the slowest
#: speed the strongest impacts) and no roller-pass vibration in the healthy bearing.
PHYSICS_BEFORE_ISSUE_19 = {"impact_law": "constant_rms", "compliance": 0.0}


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


def impact_severity(*, speeds: Sequence[float] = (127.0, 457.0, 997.0),
                    load: tuple[float, float] = (124.8, 0.0), seed: int = 7) -> pd.DataFrame:
    """Outer-race impact peak, fault RMS and SNR, and the healthy bearing's RMS, against speed (issue 19).

    Noise-free 1.6 s signals of one load case under the simulator's law (impacts grow with speed) and
    under :data:`PHYSICS_BEFORE_ISSUE_19` (every speed the same fault RMS). The fault's part is the
    outer-race signal minus the healthy one of the same seed; its SNR is against the noise floor the
    condition would get (:func:`polito_snr_db`).

    Returns
    -------
    pd.DataFrame
        Indexed by ``law`` ("speed (now)", "1/sqrt(BPFO) (before)") and ``rpm``.
    """
    conditions = {c.speed_rpm: c for c in sim.rig_conditions("polito") if c.load == tuple(load)}
    rows = []
    for law, physics in (("speed (now)", {}), ("1/sqrt(BPFO) (before)", PHYSICS_BEFORE_ISSUE_19)):
        for rpm in speeds:
            rig = polito_condition_rig(conditions[rpm], **physics)
            kwargs = {"speed": rpm, "load": tuple(load), "duration": 1.6, "snr_db": None, "seed": seed}
            normal = sim.simulate(rig, fault="normal", **kwargs).signal
            fault = sim.simulate(rig, fault="outer", **kwargs).signal - normal
            noise_rms = rig.fault_rms * 10 ** (-polito_snr_db(conditions[rpm]) / 20)
            rows.append({"law": law, "rpm": rpm, "OR impact peak (g)": np.abs(fault).max(),
                         "OR fault RMS (g)": fault.std(),
                         "OR fault SNR (dB)": 20 * np.log10(fault.std() / noise_rms),
                         "healthy RMS without noise (g)": normal.std()})
    return pd.DataFrame(rows).set_index(["law", "rpm"])


def cwru_normal_records(numbers: Sequence[int] = CWRU_NORMAL) -> tuple[list[Recording], dict[int, str]]:
    """The normal-baseline records that can be had, at 12 kHz, and why each missing one is missing.

    97.mat is sampled at 48 kHz (primer notebook): it is resampled to 12 kHz, so the normal class carries no
    more bandwidth than the 12 kHz fault records (a classifier could otherwise tell classes by bandwidth).
    """
    records, missing = [], {}
    for number in numbers:
        try:
            records.append(at_rate(load_cwru(number), CWRU_FS))
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
    (a handful of chunks, all at 0 HP) and training weights it up. ``balance_normal=True`` gives the view
    before issue 19: the normal chunks overlap (about 97 % with 97.mat alone) so that the class has as many
    chunks as a fault class, which makes any random split leak for that class.

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
        hop = _balancing_hop(normal, per_class)
    chunks = concat_segments([segment(normal, length=CWRU_CHUNK_SAMPLES, hop=hop), *faults])
    return Segments(chunks.X.astype(np.float32), chunks.y, chunks.groups), missing


def _balancing_hop(records: Sequence[Recording], per_class: int) -> int:
    span = sum(r.n_samples - CWRU_CHUNK_SAMPLES for r in records)
    return max(1, math.floor(span / max(per_class - len(records), 1)))


def normal_hop_before_issue_19(labels) -> int:
    """The hop (samples) between normal chunks before issue 19, when they overlapped to match the larger
    fault class of ``labels`` (:func:`cwru_view` with ``balance_normal=True``)."""
    counts = np.bincount(label_index(labels), minlength=len(CLASSES))
    records, _ = cwru_normal_records()
    return _balancing_hop(records, int(counts[1:].max()))


def overlap_pct(hop: int, length: int = CWRU_CHUNK_SAMPLES) -> float:
    """Share (%) of samples two consecutive chunks of ``length`` share when cut every ``hop`` samples."""
    return 100 * (1 - hop / length)


def cwru_normal_details(chunks: Segments, missing: dict[int, str]) -> dict:
    """What a run records about CWRU's normal class: the records it lacks, its chunks, and how much its
    chunks overlapped before issue 19 (%)."""
    return {"cwru_normal_missing": list(missing), "cwru_normal_chunks": int(np.sum(chunks.y == "normal")),
            "cwru_normal_overlap_before_pct": overlap_pct(normal_hop_before_issue_19(chunks.y))}


def label_index(y) -> np.ndarray:
    """Class index 0, 1, 2 of each label (:data:`CLASSES`)."""
    y = np.asarray(y)
    unknown = sorted(set(y) - set(CLASSES))
    if unknown:
        raise ParameterError(f"labels {unknown} are not among {CLASSES}")
    return np.array([CLASSES.index(v) for v in y], dtype=int)


def stratified_split(y, *, fractions: Sequence[float] = Settings.split_fractions, seed: int = 0,
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


def held_out_speeds_split(groups: pd.DataFrame, *,
                          validation_speeds: Sequence[float] = Settings.validation_speeds,
                          test_speeds: Sequence[float] = Settings.test_speeds) -> tuple[np.ndarray, ...]:
    """Train on some shaft speeds, validate and test on others (every load case and class at each speed)."""
    rpm = groups["rpm"].to_numpy(dtype=float)
    test = np.isin(rpm, test_speeds)
    validation = np.isin(rpm, validation_speeds)
    if not test.any() or not validation.any() or (test & validation).any():
        raise ParameterError(f"speeds {sorted(set(rpm))}: validation {validation_speeds} and test "
                             f"{test_speeds} must be present and distinct")
    return np.flatnonzero(~(test | validation)), np.flatnonzero(validation), np.flatnonzero(test)


def held_out_size_split(groups: pd.DataFrame, *, test_size: float = Settings.cwru_test_size,
                        normal_test_share=1 / 3, validation_fraction: float = 0.1,
                        seed: int = 0) -> tuple[np.ndarray, ...]:
    """CWRU: test on one fault size never trained on; the normal class on a later, disjoint span.

    Fault chunks of ``test_size`` (all loads) are the test set, those of the other sizes train
    (:func:`bearingkit.evaluation.splits.held_out_split`). The normal records (one, 97.mat, unless more
    could be fetched) cannot be held out whole: the cut lies ``normal_test_share`` of each record's span
    from its end, the chunks after it go to test, those before it to training, and those that straddle it
    are dropped, so no sample is on both sides. For the normal class this tests only a later stretch of the
    same recording; for the faults it tests an unseen defect size. The validation set is a random
    ``validation_fraction`` of the training chunks: it monitors training and is not an independent test.

    Raises
    ------
    ParameterError
        No fault chunk of ``test_size``, or a record whose chunks have several fault sizes.
    """
    train, test = held_out_split(groups, by="fault_size", test_values=(test_size,),
                                 healthy_test_fraction=normal_test_share, healthy_block="last_samples")
    rng = np.random.default_rng(check_seed(seed))
    validation = np.sort(rng.choice(train, round(validation_fraction * len(train)), replace=False))
    return np.setdiff1d(train, validation), validation, test


def polito_splits(chunks: Segments, *, settings: Settings, seed: int) -> dict[str, tuple[np.ndarray, ...]]:
    """The simulated rig's two splits (:data:`~bearingkit.papers.dimaggio2023.settings.SIMULATED_SPLITS`):
    the paper's random one and held-out speeds."""
    held_out = held_out_speeds_split(chunks.groups, validation_speeds=settings.validation_speeds,
                                     test_speeds=settings.test_speeds)
    return {"paper": stratified_split(label_index(chunks.y), fractions=settings.split_fractions, seed=seed),
            "held-out speeds": held_out}


def cwru_splits(chunks: Segments, *, settings: Settings, seed: int) -> dict[str, tuple[np.ndarray, ...]]:
    """CWRU's two splits (:data:`~bearingkit.papers.dimaggio2023.settings.CWRU_SPLITS`): the paper's random
    one and a held-out fault size."""
    return {"paper": stratified_split(label_index(chunks.y), fractions=settings.split_fractions, seed=seed),
            "held-out fault size": held_out_size_split(chunks.groups, test_size=settings.cwru_test_size,
                                                       seed=seed)}
