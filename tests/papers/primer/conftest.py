"""Inputs shared by the primer's tests: four synthetic records with known lines, a short simulation, and a
small split study on real CWRU files (from the data mirror)."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pytest

from bearingkit.papers.primer.bands import stft_sk_study
from bearingkit.papers.primer.data import CwruView
from bearingkit.papers.primer.settings import settings_for
from bearingkit.papers.primer.simulated import simulated_study
from bearingkit.papers.primer.traps import split_study
from bearingkit.physics.kinematics import BEARINGS, defect_frequencies
from bearingkit.recording import Recording

FS = 12_000.0
RPM = 1797.0
NUMBERS = {"normal": 97, "inner": 105, "ball": 118, "outer": 130}


def _record(label: str, seconds: float = 4.0, seed: int = 0) -> Recording:
    """White noise modulated at the label's defect line (the normal record: unmodulated), shaft harmonics."""
    t = np.arange(int(seconds * FS)) / FS
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=RPM)
    rate = {"outer": lines.bpfo, "inner": lines.bpfi, "ball": lines.bsf_2x}.get(label)
    modulation = 1.0 if rate is None else 1 + 0.8 * np.cos(2 * np.pi * rate * t)
    shaft = sum(0.2 / k * np.cos(2 * np.pi * k * lines.shaft * t) for k in (1, 2, 3, 4))
    rng = np.random.default_rng(seed)
    x = modulation * rng.standard_normal(t.size) + shaft
    return Recording(x, fs=FS, label=label, dataset="cwru", source=f"synthetic/{label}", rpm=RPM,
                     fault_size=0.0 if label == "normal" else 0.007, load=0.0,
                     extra={"number": NUMBERS[label]})


@pytest.fixture(scope="session")
def synthetic_view() -> CwruView:
    """The four records of Sect. 2, synthetic: each fault modulates a carrier at its own defect line."""
    records = {label: _record(label, seed=k) for k, label in enumerate(NUMBERS)}
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=RPM)
    return CwruView(numbers=MappingProxyType(dict(NUMBERS)), records=MappingProxyType(records),
                    shaft_hz=MappingProxyType(dict.fromkeys(NUMBERS, lines.shaft)),
                    lines=MappingProxyType(dict.fromkeys(NUMBERS, lines)), fs=FS)


@pytest.fixture(scope="session")
def sk_study(synthetic_view):
    """:func:`stft_sk_study` (frames of 32 and 256 samples, AR order 8) of each synthetic record's first
    second: over a hundred periods of every fault line, at a quarter of the cost of the whole records."""
    signals = {key: x[:int(FS)] for key, x in synthetic_view.signals().items()}
    return stft_sk_study(signals, fs=FS, frames=(32, 256), ar_order=8)


@pytest.fixture(scope="session")
def short_settings():
    """The quick profile with 1 s simulations."""
    return dataclasses.replace(settings_for("quick"), sim_duration=1.0)


@pytest.fixture(scope="session")
def simulated(short_settings):
    """The simulated rigs of Sect. 4, 1 s each."""
    return simulated_study(short_settings, seed=0)


#: Inner and outer (6 o'clock) races, 0.007 and 0.021 in, 0 and 1 HP: two locations, sizes and loads.
SPLIT_FILES = (105, 106, 130, 131, 209, 210, 234, 235)


@pytest.fixture(scope="session")
def small_split_study():
    """:func:`split_study` of a 5-tree forest on eight CWRU files, non-overlapping 2048-sample windows."""
    return split_study(SPLIT_FILES, fs=FS, window=2048, hop=2048, classifier="random_forest", n_estimators=5,
                       test_fraction=0.2, split_seed=1, model_seed=2, repeats=1)
