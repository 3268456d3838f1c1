"""The time-frequency branch of Lee et al. (2026), §2.2.2: EfficientNetV2 over multi-channel STFT maps.

Eq. 7 turns a raw segment into an energy map ``x_n in R^{224 x 224 x ch}``, one STFT spectrogram per sensor
axis stacked along the channel axis (done by the caller; stored as uint8 to keep memory small); Eq. 8 maps
it through an EfficientNetV2 backbone (Tan & Le 2021) and a classification head to ``softmax(f_CNN(x_n))``.

The backbone comes from ``keras.applications`` with ``weights=None`` (ImageNet weights have three colour
channels; our maps have one channel per sensor axis) and ``include_preprocessing=False``: the model's first
layer maps the uint8 codes 0..255 linearly onto [-1, 1]. The paper names EfficientNetV2 but neither its
variant nor pretraining: B0 from scratch is our choice. Keras 3 only, so the same code runs under TensorFlow,
JAX or PyTorch.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import keras

from bearingkit.errors import ParameterError
from bearingkit.models.training import GatedHead

__all__ = ["MIN_IMAGE_SIZE", "VARIANTS", "build_efficientnet"]

#: The EfficientNetV2 variants of ``keras.applications`` by name.
VARIANTS = {"B0": "EfficientNetV2B0", "B1": "EfficientNetV2B1", "B2": "EfficientNetV2B2",
            "B3": "EfficientNetV2B3", "S": "EfficientNetV2S"}
#: The backbone downsamples by 32: smaller images leave no spatial extent.
MIN_IMAGE_SIZE = 32


def build_efficientnet(*, image_size: int, channels: int, n_classes: int, variant: str = "B0",
                       head_depth: int = 1, head_width: int = 128, dropout: float = 0.2,
                       max_head_depth: int = 2, max_head_width: int = 256) -> keras.Model:
    """The CNN branch ``f_CNN`` of Eq. 8, uncompiled.

    Parameters
    ----------
    image_size : int >= 32
        Height and width of the energy maps (224 in the paper).
    channels : int >= 1
        Sensor axes stacked as channels (6 on MAFAULDA: two triaxial accelerometers).
    n_classes : int >= 2
    variant : str
        A key of :data:`VARIANTS`.
    head_depth, head_width : int
        Dense ReLU layers between the pooled backbone features and the softmax, and their width (the
        "depth" and "width" of the paper's search space, applied to the head; the backbone is fixed).
    dropout : float in [0, 1)
        Dropout before every dense layer of the head.
    max_head_depth, max_head_width : int
        The head is built at this size, units beyond ``head_width`` masked and the output after
        ``head_depth`` layers gated in (:class:`~bearingkit.models.training.GatedHead`): every head of the
        search space has one architecture, so a trial reuses the training step traced for another.

    Returns
    -------
    keras.Model
        Input ``(image_size, image_size, channels)`` uint8 codes (any numeric type is accepted), output
        ``(n_classes,)`` posteriors.
    """
    if variant not in VARIANTS:
        raise ParameterError(f"unknown EfficientNetV2 variant {variant!r}; valid: {', '.join(VARIANTS)}")
    for name, value, low in (("image_size", image_size, MIN_IMAGE_SIZE), ("channels", channels, 1),
                             ("n_classes", n_classes, 2), ("head_depth", head_depth, 0),
                             ("head_width", head_width, 1)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
            raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")
    if not 0 <= dropout < 1:
        raise ParameterError(f"dropout must lie in [0, 1), got {dropout!r}")
    if head_depth > max_head_depth or head_width > max_head_width:
        raise ParameterError(f"a head of {head_depth} x {head_width} exceeds the largest one, "
                             f"{max_head_depth} x {max_head_width}")
    inputs = keras.Input(shape=(int(image_size), int(image_size), int(channels)), name="energy_map")
    scaled = keras.layers.Rescaling(scale=2.0 / 255.0, offset=-1.0, name="uint8_to_unit")(inputs)
    with warnings.catch_warnings():  # "usually expects 1 or 3 input channels": we mean ch sensor axes
        warnings.filterwarnings("ignore", message="This model usually expects 1 or 3 input channels")
        backbone = getattr(keras.applications, VARIANTS[variant])(
            include_top=False, weights=None, input_shape=(int(image_size), int(image_size), int(channels)),
            include_preprocessing=False, pooling="avg")
    outputs = GatedHead(int(n_classes), depth=int(head_depth), width=int(head_width), dropout=dropout,
                        max_depth=int(max_head_depth), max_width=int(max_head_width), name="posterior")(
        backbone(scaled))
    return keras.Model(inputs, outputs, name=f"efficientnetv2_{variant.lower()}_branch")
