"""The primer's data: records at one rate, a misread rate, and the record sets of each section."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.papers.primer import data
from bearingkit.recording import Recording


def _tone(freq, *, fs, seconds=1.0, label="normal", source="tone"):
    t = np.arange(int(seconds * fs)) / fs
    return Recording(np.sin(2 * np.pi * freq * t), fs=fs, label=label, dataset="cwru", source=source)


def _dominant(rec):
    spectrum = np.abs(np.fft.rfft(rec.signal))
    return np.fft.rfftfreq(rec.signal.size, 1 / rec.fs)[np.argmax(spectrum)]


def test_misread_moves_every_frequency_by_the_rate_ratio():
    rec = _tone(1_000.0, fs=48_000.0)
    wrong = data.misread(rec, 12_000.0)
    assert np.array_equal(wrong.signal, rec.signal)
    assert wrong.duration == pytest.approx(4 * rec.duration)
    assert _dominant(wrong) == pytest.approx(250.0, abs=1.0)


def test_cwru_view_brings_97mat_to_12khz_and_measures_every_shaft_rate(mirror):
    view = data.cwru_view()
    assert {r.fs for r in view.records.values()} == {12_000.0}
    overview = view.overview()
    assert overview["fs_file_hz"].to_dict() == {"normal": 48_000.0, "inner": 12_000.0, "ball": 12_000.0,
                                                "outer": 12_000.0}
    for label, record in view.records.items():
        assert abs(view.shaft_hz[label] / (record.rpm / 60) - 1) < 0.002, label
        assert view.lines[label].shaft == pytest.approx(record.rpm / 60)
    assert [r.label for r in view.faulty()] == ["inner", "ball", "outer"]
    assert view.faulty_numbers() == [105, 118, 130]


def test_record_sets_hold_every_size_and_load(mirror):
    trend = data.trend_records(at_rate(data.load_cwru(97), 12_000.0))
    assert len(trend) == 10 and next(iter(trend)) == "97.mat"
    assert {r.load for r in trend.values()} == {0.0}
    numbers = data.split_numbers()
    assert len(numbers) == 36 and numbers == sorted(numbers)
    assert data.outer_race_numbers((0.007,)) == [130, 131, 132, 133]


def test_blind_records_hide_their_order_behind_a_seed(mirror):
    first = data.blind_records([105, 118, 130], seed=0, names="ABC")
    again = data.blind_records([105, 118, 130], seed=0, names="ABC")
    assert [r.extra["number"] for r in first.values()] == [r.extra["number"] for r in again.values()]
    assert sorted(r.extra["number"] for r in first.values()) == [105, 118, 130]
