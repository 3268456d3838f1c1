"""Windows over recordings: shapes, provenance columns, errors, subset and concatenation."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import concat_segments, load_cwru, segment
from bearingkit.data.segment import GROUP_COLUMNS
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
