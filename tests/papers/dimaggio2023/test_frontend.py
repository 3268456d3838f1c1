"""What each method of Di Maggio (2023) reads from a chunk: log-mel patches, embeddings, scalograms and the
46 hand-made features."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from bearingkit.data import Segments
from bearingkit.dsp import logmel
from bearingkit.errors import MissingDataError, ParameterError
from bearingkit.models import pretrained
from bearingkit.papers.dimaggio2023 import frontend
from bearingkit.papers.dimaggio2023.backbones import Backbones
from bearingkit.papers.dimaggio2023.settings import POLITO_FS, settings_for

QUICK = settings_for("quick")


def _chunks(n: int = 6, seed: int = 4) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, 32_768)).astype(np.float32)


def test_only_the_first_patch_is_resampled_and_equals_the_whole_chunk_resampled():
    resampy = pytest.importorskip("resampy")
    x = np.random.default_rng(4).standard_normal((2, 32_768))
    ours = frontend.waveforms_16k(x, fs=POLITO_FS)
    whole = resampy.resample(logmel.scale_to_unit(x), POLITO_FS, 16_000, filter="kaiser_best", axis=-1)
    assert ours.shape == (2, 15_600)
    np.testing.assert_allclose(ours, whole[:, :15_600], atol=1e-6)
    assert frontend.vggish_inputs(ours).shape == (2, 96, 64)
    with pytest.raises(ParameterError, match="shorter than one 0.96 s"):
        frontend.waveforms_16k(x[:, :19_000], fs=POLITO_FS)


def test_scalograms_are_square_three_channel_images_in_0_255():
    x = np.random.default_rng(5).standard_normal((3, 2048))
    images = frontend.scalograms(x, fs=POLITO_FS, size=32, samples=2048)
    assert images.shape == (3, 32, 32, 3)
    assert images.min() == 0 and images.max() == pytest.approx(255)
    with pytest.raises(ParameterError, match="divisible"):
        frontend.scalograms(x, fs=POLITO_FS, size=30, samples=2048)


def test_resampler_difference_is_measured_on_chunks_spread_over_the_set():
    difference = frontend.resampler_difference(_chunks(48), fs=POLITO_FS, count=12)
    assert difference["n"] == 12
    assert 0 < difference["mean"] < difference["max"] < 2
    assert difference["low"] < difference["high"]


def test_yamnet_cross_check_reports_the_agreement_or_why_it_could_not_run(monkeypatch):
    seen = {}

    def agreement(waveforms, **_):
        seen["shape"] = waveforms.shape
        return {"n": len(waveforms), "top1_agreement": 1.0}

    monkeypatch.setattr(pretrained, "yamnet_agreement", agreement)
    assert frontend.yamnet_cross_check(_chunks(8), fs=POLITO_FS, count=4)["n"] == 4
    assert seen["shape"] == (4, 15_600)

    def missing(waveforms, **_):
        raise MissingDataError("yamnet_scores_only.tflite is not in the mirror. Set BEARINGKIT_MODEL_MIRROR")

    monkeypatch.setattr(pretrained, "yamnet_agreement", missing)
    assert frontend.yamnet_cross_check(_chunks(8), fs=POLITO_FS) == {
        "n": 0, "reason": "second conversion unavailable: yamnet_scores_only.tflite is not in the mirror"}


class _FakeYamnet:
    """A stand-in for the TFLite YAMNet: the first 16 samples of each clip as its embedding."""

    def embeddings(self, waveforms):
        return np.asarray(waveforms)[:, :16]


def test_prepare_inputs_computes_what_each_available_method_reads():
    chunks = Segments(_chunks(6), np.repeat(["normal", "inner", "outer"], 2), pd.DataFrame(index=range(6)))
    none = Backbones(vggish=None, yamnet=None, vgg16_weights={}, vggish_handle="", unavailable={})
    inputs = frontend.prepare_inputs(chunks, fs=POLITO_FS, settings=QUICK, backbones=none)
    np.testing.assert_array_equal(inputs.y, [0, 0, 1, 1, 2, 2])
    assert inputs.patches.shape == (6, 96, 64) and inputs.features.shape == (6, 46)
    assert all(e is None for e in inputs.embeddings.values()) and inputs.images is None
    assert set(inputs.seconds) == {"front end", "46 features"}
    yamnet = dataclasses.replace(none, yamnet=_FakeYamnet())
    inputs = frontend.prepare_inputs(chunks, fs=POLITO_FS, settings=QUICK, backbones=yamnet)
    np.testing.assert_array_equal(inputs.embeddings["YAMNet transfer"],
                                  frontend.waveforms_16k(chunks.X, fs=POLITO_FS, settings=QUICK)[:, :16])
    assert inputs.embeddings["VGGish transfer"] is None
