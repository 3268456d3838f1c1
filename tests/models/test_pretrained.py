"""Pretrained networks: a small VGGish SavedModel built here, copied into Keras; YAMNet through TFLite."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from bearingkit.dsp import logmel  # noqa: E402
from bearingkit.errors import ChecksumError, MissingDataError, ParameterError  # noqa: E402
from bearingkit.models import pretrained, vggish  # noqa: E402

MINI = {"widths": (2, 3, 4, 5), "fc_units": (7, 6), "embedding_size": 4}


class TinyVggish(tf.Module):
    """A SavedModel with TF-Hub VGGish's signature (16 kHz waveform -> (patches, embedding)) and variable
    names, at miniature sizes, computing the front end and the network with plain TensorFlow ops."""

    def __init__(self, seed: int = 0):
        super().__init__()
        rng = np.random.default_rng(seed)
        widths, (fc1, fc2), emb = MINI["widths"], MINI["fc_units"], MINI["embedding_size"]
        shapes = {"conv1": (3, 3, 1, widths[0]), "conv2": (3, 3, widths[0], widths[1]),
                  "conv3_1": (3, 3, widths[1], widths[2]), "conv3_2": (3, 3, widths[2], widths[2]),
                  "conv4_1": (3, 3, widths[2], widths[3]), "conv4_2": (3, 3, widths[3], widths[3]),
                  "fc1_1": (6 * 4 * widths[3], fc1), "fc1_2": (fc1, fc2), "fc2": (fc2, emb)}
        self.params = {}
        for layer, shape in shapes.items():
            scope = pretrained.VGGISH_SCOPES[layer]
            self.params[layer] = (
                tf.Variable(rng.normal(0, 0.3, shape).astype("float32"), name=f"{scope}/weights"),
                tf.Variable(rng.normal(0, 0.1, shape[-1]).astype("float32"), name=f"{scope}/biases"))
        self.mel = tf.constant(logmel.mel_matrix().astype("float32"))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def __call__(self, waveform):
        frames = tf.signal.frame(waveform, 400, 160)
        window = tf.signal.hann_window(400, periodic=True)
        magnitude = tf.abs(tf.signal.rfft(frames * window, fft_length=[512]))
        log_mel = tf.math.log(tf.matmul(magnitude, self.mel) + 0.01)
        x = tf.signal.frame(log_mel, 96, 96, axis=0)[..., None]
        for block in (("conv1",), ("conv2",), ("conv3_1", "conv3_2"), ("conv4_1", "conv4_2")):
            for name in block:
                w, b = self.params[name]
                x = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME") + b)
            x = tf.nn.max_pool2d(x, 2, 2, "SAME")
        x = tf.reshape(x, [tf.shape(x)[0], -1])
        for name in ("fc1_1", "fc1_2"):
            w, b = self.params[name]
            x = tf.nn.relu(tf.matmul(x, w) + b)
        w, b = self.params["fc2"]
        return tf.matmul(x, w) + b


@pytest.fixture(scope="module")
def saved_vggish(tmp_path_factory):
    target = tmp_path_factory.mktemp("hub") / "tiny_vggish"
    tf.saved_model.save(TinyVggish(), str(target))
    return target


def test_copied_keras_model_reproduces_the_saved_models_embeddings(saved_vggish):
    waveform = np.random.default_rng(1).uniform(-1, 1, 2 * 15_360 + 240).astype("float32")
    expected = pretrained.load_hub(str(saved_vggish))(waveform).numpy()
    model = pretrained.load_vggish(str(saved_vggish), **MINI)
    patches = logmel.vggish_patches(waveform[None], fs=16_000, normalise=False)[0]
    assert patches.shape[0] == expected.shape[0] == 2
    np.testing.assert_allclose(np.asarray(model(patches)), expected, rtol=1e-4, atol=1e-4)
    assert np.abs(expected).max() > 1e-2


def test_wrong_sizes_or_foreign_models_are_refused_before_anything_is_copied(saved_vggish):
    source = pretrained.load_hub(str(saved_vggish))
    model = vggish.build_vggish(**{**MINI, "embedding_size": 5})
    before = [w.copy() for w in model.get_layer("conv1").get_weights()]
    with pytest.raises(ParameterError, match="vggish/fc2/weights has shape"):
        pretrained.copy_vggish_variables(pretrained.saved_variables(source), model)
    np.testing.assert_array_equal(model.get_layer("conv1").get_weights()[0], before[0])
    with pytest.raises(ParameterError, match="is it VGGish"):
        pretrained.copy_vggish_variables({"other/kernel": np.zeros(3)}, vggish.build_vggish(**MINI))


def test_unreachable_or_unknown_handles_give_clear_errors(tmp_path, monkeypatch):
    cache = tmp_path / "hub-cache"
    with pytest.raises(MissingDataError, match="TFHUB_CACHE_DIR"):
        pretrained.load_hub(str(tmp_path / "nowhere"), cache_dir=cache)
    assert "unreachable" in pretrained.check_handle("https://localhost:9/vggish/1", timeout=0.5)
    with pytest.raises(ParameterError, match="unknown model handle"):
        pretrained.check_handle("ftp://example.org/vggish")


@pytest.fixture(scope="module")
def yamnet():
    return pretrained.YamnetTFLite(num_threads=1)


def test_yamnet_embeds_clips_and_hears_a_1_khz_tone_as_a_beep(yamnet):
    t = np.arange(pretrained.YAMNET_INPUT_SAMPLES) / 16_000
    clips = np.stack([0.5 * np.sin(2 * np.pi * 1_000 * t), np.zeros_like(t)])
    embeddings = yamnet.embeddings(clips)
    assert embeddings.shape == (2, 1024)
    assert not np.allclose(embeddings[0], embeddings[1])
    assert np.argmax(yamnet.scores(clips[:1])) == 475          # "Beep, bleep" in yamnet_class_map.csv


def test_two_yamnet_conversions_agree_on_a_tone():
    t = np.arange(15_600) / 16_000
    clips = np.stack([0.5 * np.sin(2 * np.pi * 1000 * t), 0.3 * np.sin(2 * np.pi * 440 * t)])
    clips = clips.astype("float32")
    agreement = pretrained.yamnet_agreement(clips, num_threads=1)
    assert agreement["n"] == 2 and agreement["top1_agreement"] == 1.0
    assert agreement["median_correlation"] > 0.8


def test_yamnet_refuses_wrong_lengths_and_nan(yamnet):
    with pytest.raises(ParameterError, match="15600"):
        yamnet.embeddings(np.zeros((1, 16_000)))
    with pytest.raises(ParameterError, match="NaN"):
        yamnet.embeddings(np.full((1, 15_600), np.nan))


def test_a_wrong_hash_yamnet_file_is_refused(tmp_path, monkeypatch):
    source = pretrained.YamnetTFLite(num_threads=1).path
    tampered = tmp_path / "mirror" / "yamnet"
    tampered.mkdir(parents=True)
    data = bytearray(source.read_bytes())
    data[-1] ^= 0xFF
    (tampered / source.name).write_bytes(bytes(data))
    shutil.copy(source.with_name("yamnet_class_map.csv"), tampered)
    monkeypatch.setenv("BEARINGKIT_MODEL_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("BEARINGKIT_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ChecksumError):
        pretrained.YamnetTFLite()
