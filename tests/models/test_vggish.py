"""VGGish in Keras 3: Table 1's layers and parameter count, the transfer head, the learning-rate schedule."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from bearingkit.errors import ParameterError  # noqa: E402
from bearingkit.models import vggish  # noqa: E402

MINI = {"widths": (2, 4, 4, 8), "fc_units": (16, 16), "embedding_size": 8}


def test_full_size_vggish_has_table1_layers_and_72_million_parameters():
    table = vggish.parameter_table(vggish.build_vggish())
    assert list(table.index) == ["conv1", "pool1", "conv2", "pool2", "conv3_1", "conv3_2", "pool3", "conv4_1",
                                 "conv4_2", "pool4", "fc1_1", "fc1_2", "fc2"]
    assert table.loc["pool4", "output"] == (6, 4, 512)
    assert table.loc["fc1_1", "parameters"] == 12_288 * 4096 + 4096
    assert table["parameters"].sum() == 72_141_184
    assert table.loc["fc2", "activation"] == "linear"


def test_miniature_maps_patches_to_embeddings_and_relu_embedding_is_non_negative():
    x = np.random.default_rng(0).standard_normal((3, 96, 64)).astype("float32")
    linear = vggish.build_vggish(**MINI)
    relu = vggish.build_vggish(**MINI, embedding_activation="relu")
    assert linear(x).shape == (3, 8)
    assert (np.asarray(relu(x)) >= 0).all()


def test_classifier_freezes_or_trains_the_backbone():
    frozen = vggish.classifier(vggish.build_vggish(**MINI), trainable_backbone=False)
    head_weights = 8 * 3 + 3
    assert sum(int(np.prod(w.shape)) for w in frozen.trainable_weights) == head_weights
    free = vggish.classifier(vggish.build_vggish(**MINI))
    assert len(free.trainable_weights) > 2
    probabilities = np.asarray(free(np.zeros((2, 96, 64), "float32")))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_learning_rate_halves_every_two_epochs():
    adam = vggish.piecewise_adam(steps_per_epoch=54)
    schedule = adam.learning_rate if callable(adam.learning_rate) else adam._learning_rate
    rates = [float(schedule(step)) for step in (0, 107, 108, 215, 216)]
    np.testing.assert_allclose(rates, [5e-4, 5e-4, 2.5e-4, 2.5e-4, 1.25e-4], rtol=1e-6)


def test_head_l2_is_half_matlabs_factor():
    head = vggish.transfer_head(l2=1e-6)
    assert head.get_layer("fc_out").kernel_regularizer.l2 == pytest.approx(5e-7)


@pytest.mark.parametrize("kwargs", [{"widths": (1, 2, 3)}, {"embedding_activation": "tanh"}])
def test_bad_architecture_is_refused(kwargs):
    with pytest.raises(ParameterError):
        vggish.build_vggish(**kwargs)
