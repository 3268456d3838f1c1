"""Lee et al. (2026) §2.2.2: EfficientNetV2 over energy maps with one channel per sensor axis."""

import keras
import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.models.efficientnet import build_efficientnet


@pytest.fixture(scope="module")
def six_axis_model():
    keras.utils.set_random_seed(0)
    return build_efficientnet(image_size=32, channels=6, n_classes=4, head_depth=1, head_width=16)


def test_six_channel_uint8_maps_give_posteriors(six_axis_model):
    images = np.random.default_rng(0).integers(0, 256, size=(3, 32, 32, 6), dtype=np.uint8)
    p = keras.ops.convert_to_numpy(six_axis_model(images, training=False))   # no traced predict function
    assert p.shape == (3, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_uint8_codes_are_mapped_onto_minus_one_to_one(six_axis_model):
    rescale = six_axis_model.get_layer("uint8_to_unit")
    out = keras.ops.convert_to_numpy(rescale(np.array([[0.0, 127.5, 255.0]])))
    np.testing.assert_allclose(out, [[-1.0, 0.0, 1.0]], atol=1e-6)


def test_no_pretrained_weights_are_loaded(six_axis_model):
    backbone = next(layer for layer in six_axis_model.layers if "efficientnetv2" in layer.name)
    assert backbone.input_shape[-1] == 6


@pytest.mark.parametrize(("kwargs", "match"), [({"variant": "B9"}, "variant"), ({"image_size": 16}, "32")])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        build_efficientnet(**{"image_size": 32, "channels": 2, "n_classes": 3, **kwargs})
