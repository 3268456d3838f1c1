"""Windows over recordings: shapes, provenance columns, errors, subset and concatenation; windows spread
evenly over a record."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import concat_segments, load_cwru, segment
from bearingkit.data.segment import GROUP_COLUMNS, evenly_spaced, spread_starts, spread_windows
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording


def _rec(n=1000, *, channels=None, fs=1000.0, source="sim/a", label="normal", load=1.0, **extra):
    shape = (n,) if channels is None else (channels, n)
    signal = np.arange(np.prod(shape), dtype=float).reshape(shape)
    return Recording(signal=signal, fs=fs, label=label, dataset="sim", source=source, load=load,
                     fault_size=0.0, extra=extra)


def test_one_dimensional_windows_and_their_groups():
    rec = _rec(condition="c1")
    seg = segment(rec, length=100, hop=50)
    assert seg.X.shape == (19, 100) and len(seg) == 19 and seg.length == 100 and seg.fs == 1000.0
    np.testing.assert_array_equal(seg.X[3], rec.signal[150:250])
    assert tuple(seg.groups.columns) == GROUP_COLUMNS
    assert seg.groups["start"].tolist() == list(range(0, 901, 50))
    assert (seg.groups["stop"] - seg.groups["start"]).eq(100).all()
    first = seg.groups.iloc[0]
    assert (first["record"], first["dataset"], first["label"], first["load"], first["condition"]) == \
        ("sim/a", "sim", "normal", 1.0, "c1")
    assert list(seg.y) == ["normal"] * 19


def test_default_hop_is_the_length_and_the_tail_is_dropped():
    seg = segment(_rec(1050), length=100)
    assert seg.X.shape == (10, 100)
    assert seg.groups["start"].iloc[-1] == 900


def test_multichannel_windows():
    rec = _rec(500, channels=3)
    seg = segment([rec], length=128, hop=64)
    assert seg.X.shape == (6, 3, 128)
    np.testing.assert_array_equal(seg.X[2], rec.signal[:, 128:256])


def test_record_id_from_extra_and_several_recordings():
    recs = [_rec(300, source="p/file.mat", record="p/file.mat#0", label="inner"),
            _rec(300, source="p/file.mat", record="p/file.mat#1", label="outer")]
    seg = segment(recs, length=100)
    assert seg.groups["record"].tolist() == ["p/file.mat#0"] * 3 + ["p/file.mat#1"] * 3
    assert list(seg.y) == ["inner"] * 3 + ["outer"] * 3


@pytest.mark.parametrize(("length", "hop"), [(0, None), (-5, None), (10.0, None), (True, None), (100, 0),
                                             (100, 2.5)])
def test_invalid_length_or_hop(length, hop):
    with pytest.raises(ParameterError, match="positive integer"):
        segment(_rec(), length=length, hop=hop)


def test_recording_shorter_than_one_window():
    with pytest.raises(ParameterError, match="sim/short: 50 samples is shorter than one window of 100"):
        segment([_rec(), _rec(50, source="sim/short")], length=100)


def test_mixed_rates_and_layouts_are_refused():
    with pytest.raises(ParameterError, match="different rates"):
        segment([_rec(), _rec(fs=2000.0)], length=100)
    seg = segment([_rec(), _rec(fs=2000.0, source="sim/b")], length=100, allow_mixed_fs=True)
    assert seg.fs is None and set(seg.groups["fs"]) == {1000.0, 2000.0}
    with pytest.raises(ParameterError, match="channel layouts"):
        segment([_rec(), _rec(channels=2)], length=100)
    with pytest.raises(ParameterError, match="no recordings"):
        segment([], length=100)


def test_subset_and_concat():
    seg = segment(_rec(), length=100)
    part = seg.subset(seg.groups["start"] >= 500)
    assert len(part) == 5 and part.groups.index.tolist() == list(range(5))
    np.testing.assert_array_equal(part.X, seg.X[5:])
    both = concat_segments([seg, part])
    assert len(both) == 15 and both.groups.index.is_unique
    with pytest.raises(ParameterError, match="different shapes"):
        concat_segments([seg, segment(_rec(), length=50)])


def test_real_cwru_segments_carry_load_and_size(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("BEARINGKIT_CACHE", str(tmp_path / "cache"))
    seg = segment([load_cwru(n) for n in (105, 106, 118)], length=2048, hop=1024)
    assert seg.X.shape[1:] == (2048,)
    summary = seg.groups.groupby("record")[["load", "fault_size", "condition"]].first()
    assert summary.loc["cwru/106.mat"].tolist() == [1.0, 0.007, "1hp"]
    assert set(seg.y) == {"inner", "ball"}


@pytest.mark.parametrize(("n_available", "n"), [(10, 4), (7, 7), (1000, 3), (5, 1), (12, 11), (97, 40)])
def test_evenly_spaced_keeps_both_ends_and_spaces_within_one(n_available, n):
    index = evenly_spaced(n_available, n)
    assert index.size == n and index[0] == 0
    if n > 1:
        gaps = np.diff(index)
        assert index[-1] == n_available - 1 and gaps.min() >= 1 and gaps.max() - gaps.min() <= 1


def test_evenly_spaced_takes_everything_when_asked_for_as_many_or_more():
    np.testing.assert_array_equal(evenly_spaced(5, None), np.arange(5))
    np.testing.assert_array_equal(evenly_spaced(5, 9), np.arange(5))


@pytest.mark.parametrize(("n_available", "n"), [(0, 3), (5, 0), (5, -1), (5, 2.0), (5, True)])
def test_evenly_spaced_refuses_what_is_not_a_count(n_available, n):
    with pytest.raises(ParameterError, match="positive integer"):
        evenly_spaced(n_available, n)


@pytest.mark.parametrize(("n_samples", "n", "length"), [(10_000, 4, 1_000), (60_984, 29, 2_048),
                                                         (60_984, 48, 1_024), (5_000, 5, 1_000)])
def test_spread_starts_without_overlap_span_the_record(n_samples, n, length):
    starts = spread_starts(n_samples, n=n, length=length)
    assert starts.size == n and starts[0] == 0 and starts[-1] + length == n_samples
    assert np.diff(starts).min() >= length


def test_spread_starts_without_overlap_take_as_many_as_fit():
    np.testing.assert_array_equal(spread_starts(60_984, n=160, length=2_048),
                                  spread_starts(60_984, n=29, length=2_048))
    assert spread_starts(999, n=3, length=500).tolist() == [0]


def test_spread_starts_with_overlap_place_exactly_n():
    starts = spread_starts(121_265, n=150, length=2_048, allow_overlap=True)
    assert starts.size == 150 and starts[0] == 0 and starts[-1] == 121_265 - 2_048
    assert np.diff(starts).max() - np.diff(starts).min() <= 1
    assert spread_starts(1_003, n=4, length=1_000, allow_overlap=True).tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(("n_samples", "n", "length", "allow_overlap", "match"), [
    (999, 2, 1_000, False, "holds no window"),
    (1_002, 4, 1_000, True, "distinct starts"),
    (5_000, 0, 1_000, False, "positive integer"),
    (5_000, 2, 0, True, "positive integer"),
])
def test_spread_starts_errors(n_samples, n, length, allow_overlap, match):
    with pytest.raises(ParameterError, match=match):
        spread_starts(n_samples, n=n, length=length, allow_overlap=allow_overlap)


def test_spread_windows_cut_the_windows_at_the_starts_with_their_groups():
    recs = [_rec(5_000, channels=2, source="sim/a"), _rec(3_000, channels=2, source="sim/b", label="inner")]
    seg = spread_windows(recs, n=3, length=1_000)
    assert seg.X.shape == (6, 2, 1_000) and tuple(seg.groups.columns) == GROUP_COLUMNS
    assert seg.groups["start"].tolist() == [0, 2_000, 4_000, 0, 1_000, 2_000]
    assert seg.groups["record"].tolist() == ["sim/a"] * 3 + ["sim/b"] * 3
    assert list(seg.y) == ["normal"] * 3 + ["inner"] * 3
    for window, row in zip(seg.X, seg.groups.itertuples(), strict=True):
        source = recs[0] if row.record == "sim/a" else recs[1]
        np.testing.assert_array_equal(window, source.signal[:, row.start:row.stop])


def test_spread_windows_with_a_hop_that_divides_the_span_are_segment_windows():
    rec = _rec(1_000)
    spread = spread_windows(rec, n=10, length=100)
    cut = segment(rec, length=100)
    np.testing.assert_array_equal(spread.X, cut.X)
    assert spread.groups.equals(cut.groups)


def test_spread_windows_overlap_only_when_allowed():
    assert len(spread_windows(_rec(1_000), n=20, length=100)) == 10
    overlapping = spread_windows(_rec(1_000), n=20, length=100, allow_overlap=True)
    assert len(overlapping) == 20 and overlapping.groups["stop"].iloc[-1] == 1_000


def test_spread_windows_errors_name_the_recording():
    with pytest.raises(ParameterError, match="sim/short.*shorter than one window"):
        spread_windows([_rec(500, source="sim/short")], n=2, length=600)
    with pytest.raises(ParameterError, match="sim/a.*distinct starts"):
        spread_windows(_rec(105), n=10, length=100, allow_overlap=True)
    with pytest.raises(ParameterError, match="different rates"):
        spread_windows([_rec(), _rec(fs=2000.0)], n=2, length=100)
