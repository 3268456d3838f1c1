"""VGGish (Hershey et al. 2017) in Keras 3, layer by layer as Di Maggio et al. (2023), Table 1.

Written with Keras layers and ``keras.ops`` only, so the same code trains under TensorFlow on a CPU and under
JAX or PyTorch on a GPU. Layer names follow the variable scopes of the reference model (tensorflow/models
``research/audioset/vggish/vggish_slim.py``: ``conv1``, ``conv2``, ``conv3_1`` ... ``fc1_2``, ``fc2``), so
pretrained variables map onto layers by name (:mod:`bearingkit.models.pretrained`).

Table 1 puts a ReLU on Fc 2; in the reference model, whose weights the transfer uses, the 128-d embedding
``fc2`` is linear (``activation_fn=None``). We follow the weights: ``embedding_activation=None`` by default.

Parameter count: the paper says 62 million; Table 1 adds up to 72,141,184 (the two 4096-unit layers alone
hold 67.1 million: 6 x 4 x 512 = 12,288 inputs to Fc 1_1). :func:`parameter_table` counts them per layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import pandas as pd

from bearingkit.errors import ParameterError

__all__ = ["CONV_BLOCKS", "EMBEDDING_SIZE", "FC_UNITS", "INPUT_SHAPE", "PAPER_PARAMETERS", "build_vggish",
           "classifier", "parameter_table", "piecewise_adam", "transfer_head"]

INPUT_SHAPE = (96, 64)
#: Convolution blocks of Table 1: (layer names, channels); a 2 x 2 max pooling follows each block.
CONV_BLOCKS = ((("conv1",), 64), (("conv2",), 128), (("conv3_1", "conv3_2"), 256),
               (("conv4_1", "conv4_2"), 512))
FC_UNITS = (4096, 4096)
EMBEDDING_SIZE = 128
PAPER_PARAMETERS = 62_000_000


def build_vggish(*, widths: Sequence[int] = (64, 128, 256, 512), fc_units: Sequence[int] = FC_UNITS,
                 embedding_size: int = EMBEDDING_SIZE, embedding_activation: str | None = None,
                 name: str = "vggish") -> keras.Model:
    """The VGGish feature extractor: a 96 x 64 log-mel patch in, a 128-d embedding out (Table 1).

    Parameters
    ----------
    widths : sequence of 4 int
        Channels of the four convolution blocks (64, 128, 256, 512 in Table 1); smaller values build a
        miniature with the same layers, for tests.
    fc_units : sequence of 2 int
        Units of Fc 1_1 and Fc 1_2 (4096 each).
    embedding_size : int
        Units of Fc 2, the embedding (128).
    embedding_activation : str or None
        None (linear, as the reference weights) or ``"relu"`` (as Table 1 prints).

    Returns
    -------
    keras.Model
        Input ``(batch, 96, 64)``, output ``(batch, embedding_size)``; 3 x 3 convolutions with stride 1 and
        "same" padding, 2 x 2 max pooling with stride 2, ReLU everywhere but the embedding.
    """
    if len(widths) != len(CONV_BLOCKS) or len(fc_units) != 2:
        raise ParameterError(f"VGGish has {len(CONV_BLOCKS)} convolution blocks and 2 hidden dense layers; "
                             f"got widths={tuple(widths)}, fc_units={tuple(fc_units)}")
    if embedding_activation not in (None, "relu"):
        raise ParameterError(f"embedding_activation must be None or 'relu', got {embedding_activation!r}")
    patch = keras.Input(shape=INPUT_SHAPE, name="log_mel")
    x = keras.layers.Reshape((*INPUT_SHAPE, 1), name="add_channel")(patch)
    for block, ((names, _), width) in enumerate(zip(CONV_BLOCKS, widths, strict=True), start=1):
        for layer_name in names:
            x = keras.layers.Conv2D(int(width), 3, padding="same", activation="relu", name=layer_name)(x)
        x = keras.layers.MaxPooling2D(2, strides=2, padding="same", name=f"pool{block}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(int(fc_units[0]), activation="relu", name="fc1_1")(x)
    x = keras.layers.Dense(int(fc_units[1]), activation="relu", name="fc1_2")(x)
    embedding = keras.layers.Dense(int(embedding_size), activation=embedding_activation, name="fc2")(x)
    return keras.Model(patch, embedding, name=name)


def transfer_head(*, n_inputs: int = EMBEDDING_SIZE, n_classes: int = 3, dropout: float = 0.5,
                  l2: float = 1e-6, name: str = "transfer_head") -> keras.Model:
    """The layers Di Maggio et al. put on the frozen embedding (§2.3): dropout 0.5, dense(3), softmax.

    ``l2`` is MATLAB's L2 regularisation factor (Table 2: 1e-6), which adds ``l2 / 2 * ||W||^2`` to the loss;
    Keras' ``L2(c)`` adds ``c * ||W||^2``, so ``c = l2 / 2``.
    """
    features = keras.Input(shape=(int(n_inputs),), name="embedding")
    x = keras.layers.Dropout(dropout, name="dropout")(features)
    probabilities = keras.layers.Dense(int(n_classes), activation="softmax", name="fc_out",
                                       kernel_regularizer=keras.regularizers.L2(l2 / 2))(x)
    return keras.Model(features, probabilities, name=name)


def classifier(backbone: keras.Model, *, n_classes: int = 3, dropout: float = 0.5, l2: float = 1e-6,
               trainable_backbone: bool = True, name: str = "vggish_classifier") -> keras.Model:
    """``backbone`` followed by :func:`transfer_head`: VGGish trained end to end ("from scratch", Table 7)."""
    backbone.trainable = trainable_backbone
    head = transfer_head(n_inputs=backbone.output_shape[-1], n_classes=n_classes, dropout=dropout, l2=l2)
    return keras.Model(backbone.input, head(backbone.output), name=name)


def parameter_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer with weights: output shape, activation and parameter count (Table 1, counted).

    Examples
    --------
    >>> int(parameter_table(build_vggish())["parameters"].sum())
    72141184
    """
    rows = []
    for layer in model.layers:
        count = int(sum(np.prod(w.shape) for w in layer.weights))
        if count or layer.name.startswith("pool"):
            activation = getattr(layer, "activation", None)
            rows.append({"layer": layer.name, "type": type(layer).__name__,
                         "output": tuple(layer.output.shape[1:]),
                         "activation": getattr(activation, "__name__", "-") if activation else "-",
                         "parameters": count})
    return pd.DataFrame(rows).set_index("layer")


def piecewise_adam(*, steps_per_epoch: int, learning_rate: float = 5e-4, drop_period: int = 2,
                   drop_factor: float = 0.5, epsilon: float = 1e-8) -> keras.optimizers.Adam:
    """Adam with MATLAB's piecewise learning-rate schedule (Table 2: 5e-4, halved every 2 epochs).

    The rate is ``learning_rate * drop_factor ** floor(step / (drop_period * steps_per_epoch))``.
    ``epsilon`` is MATLAB's default 1e-8 (``trainingOptions('adam')``); Keras' default would be 1e-7.
    """
    if steps_per_epoch < 1 or drop_period < 1 or not 0 < drop_factor <= 1:
        raise ParameterError(f"need steps_per_epoch >= 1, drop_period >= 1 and 0 < drop_factor <= 1; got "
                             f"{steps_per_epoch}, {drop_period}, {drop_factor}")
    schedule = keras.optimizers.schedules.ExponentialDecay(
        learning_rate, decay_steps=drop_period * steps_per_epoch, decay_rate=drop_factor, staircase=True)
    return keras.optimizers.Adam(learning_rate=schedule, epsilon=epsilon)
