"""Sect. 3: a file's sampling rate from its content, and what the wrong rate makes a classifier learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.errors import ParameterError
from bearingkit.papers.primer import rate
from bearingkit.recording import Recording


def _shaft_family(fs: float = 48_000.0, rpm: float = 1_800.0, seconds: float = 4.0) -> Recording:
    """A motor's first three shaft harmonics and a little noise, as the file holds it at ``fs``."""
    t = np.arange(int(seconds * fs)) / fs
    x = sum(np.cos(2 * np.pi * k * rpm / 60 * t) / k for k in range(1, 4))
    x = x + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    return Recording(x, fs=fs, label="normal", dataset="cwru", source="family", rpm=rpm, load=0.0,
                     extra={"number": 97})


def test_rate_evidence_decides_the_true_rate():
    evidence = rate.rate_evidence(_shaft_family(), n_harmonics=4)
    assert evidence.decided_fs == 48_000.0
    assert evidence.harmonics_found[48_000.0] == 3 > evidence.harmonics_found[12_000.0]
    counts = evidence.family_counts
    assert counts.loc[48_000.0, "fractional_in_place"] == 0 < counts.loc[12_000.0, "fractional_in_place"]
    table = evidence.shaft_peak_table()
    assert table.index.names == ["read at (Hz)", "harmonic"] and len(table) == 6


def _noise_at_48k(label, seed, seconds):
    """White noise at 12 kHz brought to 48 kHz: a file whose content stops at 6 kHz, like 97.mat."""
    x = np.random.default_rng(seed).standard_normal(int(seconds * 12_000))
    rec = Recording(x, fs=12_000.0, label=label, dataset="cwru", source=f"{label}{seed}")
    return at_rate(rec, 48_000.0)


def test_rate_trap_separates_normal_by_the_rate_alone():
    faulty = [at_rate(_noise_at_48k(label, seed, 4.0), 12_000.0)
              for seed, label in enumerate(("inner", "ball", "outer"))]
    normal = _noise_at_48k("normal", 9, 2.0)     # same content as the faulty records, only its rate differs
    trap = rate.rate_trap(faulty, normal, window=256, split_seed=1, model_seed=2)
    table = trap.table()
    assert list(table.index) == ["read at 12 kHz (wrong)", "resampled 48 -> 12 kHz (right)"]
    assert table.loc["read at 12 kHz (wrong)", "balanced_accuracy"] == 1.0
    assert table.loc["resampled 48 -> 12 kHz (right)", "balanced_accuracy"] < 0.75
    assert table.loc["read at 12 kHz (wrong)", "normal_duration_s"] == pytest.approx(8.0)
    assert table["normal_windows"].tolist() == [375, 93]      # 8 s and 2 s of 256-sample windows
    assert trap.wrong_stump_calls_resampled_normal < 0.1
    assert trap.faulty_durations_s == pytest.approx((4.0, 4.0, 4.0))
    again = rate.rate_trap(faulty, normal, window=256, split_seed=1, model_seed=2)
    pd.testing.assert_frame_equal(table, again.table())
    with pytest.raises(ParameterError, match="already at"):
        rate.rate_trap(faulty, at_rate(normal, 12_000.0), window=256)


def test_other_data_sets_give_two_rates_and_coarse_segments():
    others = rate.other_data_sets()
    assert others["mfpt_baseline_fs"] == 2 * others["mfpt_fault_fs"]
    assert 1 / others["paderborn_segment_s"] > others["paderborn"].bpfo / 4   # bins too coarse for the line
