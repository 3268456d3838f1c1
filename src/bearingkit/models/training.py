"""A training engine that traces each network once and trains it many times (folds and trials).

Tracing a Keras training step costs more than training at the sizes the notebooks use: on 2 CPU cores the
TensorFlow trace of an EfficientNetV2-B0 step takes about 30 s, a 48 px epoch of a few hundred windows a few
seconds. So the trial's hyperparameters that do not change a tensor's shape are *variables* of one compiled
network, not constants baked into its graph:

* the dropout rate (:class:`VariableDropout`);
* the depth and width of a classification head (:class:`GatedHead`: layers at their largest size, units
  beyond the trial's width masked, the trial's depth selected by a one-hot gate; the function it computes is
  the trial's head exactly, and masked units receive zero gradient);
* the optimizer (:class:`SwitchOptimizer`: Adam, AdamW or RMSprop with Keras' defaults, chosen by a variable)
  and the learning rate (set before every step, so a cosine schedule is a Python function of the step);
* the batch size (after a second batch shape, TensorFlow traces one shape-generic step).

:class:`Engine` keeps one compiled network per architecture key (input shape, classes and the parameters that
do change shapes, such as a GRU's width) and, for every trial, copies into it the variables of a freshly
built, seeded network with the trial's parameters: hyperparameters stored as variables travel with the
weights. Every fold then restarts from those variables and a zeroed optimizer, as separate models would.

Written with ``keras.ops`` only: the same code trains under TensorFlow, JAX or PyTorch (``KERAS_BACKEND``).
"""

from __future__ import annotations

import collections
import dataclasses
import math
import random
import time
from collections.abc import Callable, Hashable

import keras
import numpy as np
from keras import ops

from bearingkit.errors import ParameterError

__all__ = ["OPTIMIZERS", "SCHEDULERS", "VariableDropout", "GatedHead", "SwitchOptimizer", "rule_code",
           "learning_rate_at", "epoch_batches", "glorot_block", "Timings", "FoldState", "StateCopies",
           "Engine", "seed_construction", "to_numpy", "model_state"]

#: The optimizers a trial may choose (§3.1 of Lee et al. 2026 names the choice, not the set).
OPTIMIZERS = ("adam", "adamw", "rmsprop")
SCHEDULERS = ("constant", "cosine")


@keras.saving.register_keras_serializable(package="bearingkit")
class VariableDropout(keras.layers.Layer):
    """Inverted dropout whose rate is a non-trainable variable (Srivastava et al. 2014).

    ``keras.layers.Dropout`` bakes its rate into the traced graph; here the rate is state, so trials with
    other rates reuse one traced step. At inference the layer is the identity.

    Parameters
    ----------
    rate : float in [0, 1)
        Fraction of units set to zero while training.
    seed : int, optional
        Seed of the layer's random stream.
    """

    def __init__(self, rate: float = 0.0, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ParameterError(f"dropout must lie in [0, 1), got {rate!r}")
        self.initial_rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.rate = self.add_weight(shape=(), initializer=keras.initializers.Constant(self.initial_rate),
                                    trainable=False, name="rate")

    def call(self, inputs, training=False):
        if not training:
            return inputs
        rate = ops.cast(self.rate, inputs.dtype)
        draw = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        return inputs * ops.cast(draw >= rate, inputs.dtype) / (1.0 - rate)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.initial_rate, "seed": self.seed}


def glorot_block(shape: tuple[int, int], active: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A ``shape`` kernel whose ``active`` top-left block is Glorot-uniform for its own fan-in and fan-out.

    The rest is zero: units beyond a head's width start (and stay) silent.
    """
    kernel = np.zeros(shape, dtype=np.float32)
    limit = math.sqrt(6.0 / (active[0] + active[1]))
    kernel[:active[0], :active[1]] = rng.uniform(-limit, limit, size=active)
    return kernel


@keras.saving.register_keras_serializable(package="bearingkit")
class GatedHead(keras.layers.Layer):
    """A classification head of ``depth`` dense ReLU layers of ``width`` units, built at its largest size.

    Layer ``d`` has ``max_width`` units of which the first ``width`` are active (a 0/1 mask, a variable); one
    softmax output layer per depth 0..max_depth reads the features after that many layers, and a one-hot
    gate (a variable) selects the trial's. Dropout precedes every dense layer, as in the plain head. With the
    active blocks initialised for their own size (:func:`glorot_block`) and the rest zero, the head computes
    the function of a plain ``depth`` x ``width`` head, and masked units get zero gradient, so they stay zero
    under Adam, AdamW and RMSprop.

    Parameters
    ----------
    n_classes : int >= 2
    depth, width : int
        The trial's depth (0..max_depth) and width (1..max_width).
    dropout : float in [0, 1)
    max_depth, max_width : int
        The largest head the search space allows.
    seed : int, optional
        Seed of the initial weights and of the dropout streams.
    """

    def __init__(self, n_classes: int, *, depth: int, width: int, dropout: float, max_depth: int = 2,
                 max_width: int = 256, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= depth <= max_depth:
            raise ParameterError(f"head depth must lie in 0..{max_depth}, got {depth!r}")
        if not 1 <= width <= max_width:
            raise ParameterError(f"head width must lie in 1..{max_width}, got {width!r}")
        self.n_classes, self.depth, self.width = int(n_classes), int(depth), int(width)
        self.max_depth, self.max_width = int(max_depth), int(max_width)
        self.dropout, self.seed = dropout, seed
        # without a seed, the weights follow Python's global stream (seed_construction seeds it)
        self._init_seed = random.randrange(2**31 - 1) if seed is None else int(seed)
        self.drops = [VariableDropout(dropout, seed=None if seed is None else seed + d, name=f"dropout_{d}")
                      for d in range(self.max_depth + 1)]

    def build(self, input_shape):
        features = int(input_shape[-1])
        rng = np.random.default_rng(self._init_seed)
        self.kernels, self.biases, self.outputs, self.output_biases = [], [], [], []
        fan_in, active_in = features, features
        for d in range(self.max_depth):
            kernel = glorot_block((fan_in, self.max_width), (active_in, self.width), rng)
            self.kernels.append(self.add_weight(shape=kernel.shape, name=f"kernel_{d}",
                                                initializer=keras.initializers.Constant(kernel)))
            self.biases.append(self.add_weight(shape=(self.max_width,), initializer="zeros",
                                               name=f"bias_{d}"))
            fan_in, active_in = self.max_width, self.width
        for d in range(self.max_depth + 1):
            size_in, active = (features, features) if d == 0 else (self.max_width, self.width)
            kernel = glorot_block((size_in, self.n_classes), (active, self.n_classes), rng)
            self.outputs.append(self.add_weight(shape=kernel.shape, name=f"output_kernel_{d}",
                                                initializer=keras.initializers.Constant(kernel)))
            self.output_biases.append(self.add_weight(shape=(self.n_classes,), initializer="zeros",
                                                      name=f"output_bias_{d}"))
        mask = (np.arange(self.max_width) < self.width).astype(np.float32)
        gate = (np.arange(self.max_depth + 1) == self.depth).astype(np.float32)
        self.mask = self.add_weight(shape=mask.shape, initializer=keras.initializers.Constant(mask),
                                    trainable=False, name="width_mask")
        self.gate = self.add_weight(shape=gate.shape, initializer=keras.initializers.Constant(gate),
                                    trainable=False, name="depth_gate")
        for drop in self.drops:
            drop.build(input_shape)

    def call(self, inputs, training=False):
        h, logits = inputs, 0.0
        for d in range(self.max_depth + 1):
            dropped = self.drops[d](h, training=training)
            logits = logits + self.gate[d] * (ops.matmul(dropped, self.outputs[d]) + self.output_biases[d])
            if d < self.max_depth:
                h = ops.relu(ops.matmul(dropped, self.kernels[d]) + self.biases[d]) * self.mask
        return ops.softmax(logits, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.n_classes)

    def get_config(self):
        return {**super().get_config(), "n_classes": self.n_classes, "depth": self.depth, "width": self.width,
                "dropout": self.dropout, "max_depth": self.max_depth, "max_width": self.max_width,
                "seed": self.seed}


class SwitchOptimizer(keras.optimizers.Optimizer):
    """Adam, AdamW or RMSprop, chosen by a variable: every choice runs through one traced update.

    The three rules are Keras' own with its defaults (Adam and AdamW: beta_1 0.9, beta_2 0.999, epsilon 1e-7,
    AdamW's decoupled weight decay 0.004 (Loshchilov & Hutter 2019); RMSprop: rho 0.9, epsilon 1e-7, no
    momentum); each step computes the chosen rule's increment (the others' state is kept but unused).

    Parameters
    ----------
    rule : {"adam", "adamw", "rmsprop"}
    learning_rate : float
    """

    BETA_1, BETA_2, RHO, EPSILON, WEIGHT_DECAY = 0.9, 0.999, 0.9, 1e-7, 0.004

    def __init__(self, rule: str = "adam", learning_rate: float = 1e-3, name: str = "switch", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self._initial_rule = rule_code(rule)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._rule = self.add_variable((), initializer=keras.initializers.Constant(float(self._initial_rule)),
                                       dtype="float32", name="rule")
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        self._rms = self.add_optimizer_variables(var_list, "rms")

    def set_rule(self, rule: str) -> None:
        """Choose the update rule of the next steps (the optimizer must be built)."""
        self._rule.assign(float(rule_code(rule)))

    def zeroed_state(self) -> list[np.ndarray]:
        """Values for :attr:`variables` that restart the optimizer: every moment and the step count at zero,
        the chosen rule and the learning rate kept (the optimizer must be built)."""
        kept = {self._rule.path, self._learning_rate.path}
        return [to_numpy(v) if v.path in kept else np.zeros(v.shape, dtype=v.dtype) for v in self.variables]

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        lr, gradient = ops.cast(learning_rate, dtype), ops.cast(gradient, dtype)
        rule = ops.cast(self._rule, dtype)
        is_adamw, is_rmsprop = ops.cast(ops.equal(rule, 1.0), dtype), ops.cast(ops.equal(rule, 2.0), dtype)
        step = ops.cast(self.iterations + 1, dtype)
        m, v, rms = self._momentums[index], self._velocities[index], self._rms[index]
        self.assign_sub(variable, is_adamw * self.WEIGHT_DECAY * lr * variable)
        self.assign_add(m, (gradient - m) * (1 - self.BETA_1))
        self.assign_add(v, (ops.square(gradient) - v) * (1 - self.BETA_2))
        self.assign(rms, self.RHO * rms + (1 - self.RHO) * ops.square(gradient))
        alpha = lr * ops.sqrt(1 - ops.power(self.BETA_2, step)) / (1 - ops.power(self.BETA_1, step))
        adam = m * alpha / (ops.sqrt(v) + self.EPSILON)
        rmsprop = lr * gradient / ops.sqrt(rms + self.EPSILON)
        self.assign_sub(variable, is_rmsprop * rmsprop + (1 - is_rmsprop) * adam)

    def get_config(self):
        return {**super().get_config(), "rule": OPTIMIZERS[self._initial_rule]}


def rule_code(rule: str) -> int:
    """The index of an optimizer name in :data:`OPTIMIZERS`; a clear error for an unknown one."""
    if rule not in OPTIMIZERS:
        raise ParameterError(f"unknown optimizer {rule!r}; valid: {OPTIMIZERS}")
    return OPTIMIZERS.index(rule)


def learning_rate_at(step: int, *, base: float, scheduler: str, total_steps: int) -> float:
    """The learning rate of ``step`` (0-based): constant, or cosine decay to 0 over ``total_steps``.

    The cosine is Keras' ``CosineDecay`` without warm-up (Loshchilov & Hutter 2017, without restarts).

    Examples
    --------
    >>> learning_rate_at(5, base=1e-3, scheduler="cosine", total_steps=10)
    0.0005
    >>> learning_rate_at(5, base=1e-3, scheduler="constant", total_steps=10)
    0.001
    """
    if scheduler not in SCHEDULERS:
        raise ParameterError(f"unknown scheduler {scheduler!r}; valid: {SCHEDULERS}")
    if scheduler == "constant":
        return float(base)
    fraction = min(step, total_steps) / max(total_steps, 1)
    return float(round(base * 0.5 * (1.0 + math.cos(math.pi * fraction)), 15))


def epoch_batches(index: np.ndarray, *, batch: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's batches of ``index``, shuffled, all of size ``batch``.

    Every item appears once; the last batch is filled up with items drawn again at random, so that every
    step has one shape (a partial batch would be traced again).

    Examples
    --------
    >>> [len(b) for b in epoch_batches(np.arange(10), batch=4, rng=np.random.default_rng(0))]
    [4, 4, 4]
    """
    if batch < 1:
        raise ParameterError(f"batch size must be >= 1, got {batch!r}")
    order = rng.permutation(np.asarray(index))
    extra = -len(order) % batch
    if extra and len(order) >= batch:
        order = np.concatenate([order, rng.choice(order[:-(batch - extra)] if len(order) > batch else order,
                                                  size=extra, replace=False)])
    elif extra:
        order = np.concatenate([order, rng.choice(order, size=extra, replace=True)])
    return np.split(order, len(order) // batch)


@dataclasses.dataclass
class Timings:
    """Where an engine's seconds went: building fresh weights, the first step of a new network (its trace),
    the other training steps, prediction and the state copies between folds."""

    build: float = 0.0
    trace: float = 0.0
    train: float = 0.0
    predict: float = 0.0
    state: float = 0.0
    compiled: int = 0
    steps: int = 0
    samples: int = 0

    @property
    def total(self) -> float:
        return self.build + self.trace + self.train + self.predict + self.state

    @property
    def outside_training(self) -> float:
        """The share of the time outside the training steps' arithmetic (build, trace, predict, copies)."""
        return 1.0 - self.train / self.total if self.total else 0.0


@dataclasses.dataclass
class FoldState:
    """A network's variables and its optimizer's state: immutable backend tensors or NumPy arrays."""

    variables: list
    optimizer: list


class StateCopies:
    """Copies of one network's variables and optimizer state, taken and put back in one call each way.

    Under TensorFlow each direction is one compiled function (traced once per network) whose values stay
    tensors: on EfficientNetV2-B0 (1,148 variables, 25 M values) a save took 0.008 s and a restore 0.04 s
    this way, against 0.29 s and 0.52 s for a Python loop through NumPy (the copies other backends make),
    after one trace of about 6.5 s per network.
    """

    def __init__(self, network: keras.Model):
        self.variables = [*model_state(network), *network.optimizer.variables]
        self.n_model = len(model_state(network))
        self._take = self._put = None
        if keras.config.backend() == "tensorflow":
            import tensorflow as tf

            values = [v.value for v in self.variables]
            self._take = tf.function(lambda: [tf.identity(v) for v in values])
            self._put = tf.function(lambda new: [v.assign(x) for v, x in zip(values, new, strict=True)])

    def take(self) -> FoldState:
        """The current values."""
        values = self._take() if self._take else [to_numpy(v) for v in self.variables]
        return FoldState(list(values[:self.n_model]), list(values[self.n_model:]))

    def put(self, state: FoldState) -> None:
        """Set every variable to ``state``'s values."""
        values = [*state.variables, *state.optimizer]
        if self._put:
            self._put(values)
            return
        for variable, value in zip(self.variables, values, strict=True):
            variable.assign(value)

    def as_backend(self, state: FoldState) -> FoldState:
        """``state``'s values as the backend's tensors, converted once (a fold's start is put back often)."""
        return FoldState([ops.convert_to_tensor(v) for v in state.variables],
                         [ops.convert_to_tensor(v) for v in state.optimizer])


class Engine:
    """Compiled networks cached by architecture key, reused across folds and trials.

    Parameters
    ----------
    capacity : int
        Networks kept (least recently used dropped first).
    """

    def __init__(self, capacity: int = 8):
        self.capacity = capacity
        self.networks: collections.OrderedDict[Hashable, keras.Model] = collections.OrderedDict()
        self.timings = Timings()
        self._untraced: set[int] = set()         # ids of cached networks whose training step is not traced
        self._copies: dict[int, StateCopies] = {}

    def start(self, key: Hashable, build: Callable[[], keras.Model], *, seed: int,
              optimizer: str) -> keras.Model:
        """The compiled network of ``key``, holding the variables of ``build()`` made under ``seed``.

        ``build`` must make the same architecture for every call with the same ``key``; its hyperparameter
        variables (dropout rates, head mask and gate) come along with its weights.
        """
        start = time.perf_counter()
        seed_construction(seed)
        fresh = build()
        network = self.networks.get(key)
        if network is None:        # the first network of its kind is compiled and kept
            network = fresh
            network.compile(optimizer=SwitchOptimizer(optimizer), loss="sparse_categorical_crossentropy",
                            jit_compile=False)
            network.optimizer.build(network.trainable_variables)
            self.networks[key] = network
            self._untraced.add(id(network))
            self.timings.compiled += 1
            while len(self.networks) > self.capacity:
                _, dropped = self.networks.popitem(last=False)
                self._untraced.discard(id(dropped))
                self._copies.pop(id(dropped), None)
        else:
            for target, source in zip(model_state(network), model_state(fresh), strict=True):
                target.assign(source.value)
        self.networks.move_to_end(key)
        network.optimizer.set_rule(optimizer)
        self.timings.build += time.perf_counter() - start
        return network

    def _copies_of(self, network: keras.Model) -> StateCopies:
        if id(network) not in self._copies:
            self._copies[id(network)] = StateCopies(network)
        return self._copies[id(network)]

    def initial_state(self, network: keras.Model) -> FoldState:
        """The network's variables and a zeroed optimizer: the start of every fold."""
        start = time.perf_counter()
        copies = self._copies_of(network)
        state = copies.as_backend(FoldState(copies.take().variables, network.optimizer.zeroed_state()))
        self.timings.state += time.perf_counter() - start
        return state

    def save(self, network: keras.Model) -> FoldState:
        """The network's variables and optimizer state now (a fold's place between the pruner's rungs)."""
        start = time.perf_counter()
        state = self._copies_of(network).take()
        self.timings.state += time.perf_counter() - start
        return state

    def restore(self, network: keras.Model, state: FoldState) -> None:
        """Put back a state from :meth:`save` or :meth:`initial_state` of the same network."""
        start = time.perf_counter()
        self._copies_of(network).put(state)
        self.timings.state += time.perf_counter() - start

    def train_epoch(self, network: keras.Model, X: np.ndarray, y: np.ndarray, index: np.ndarray, *,
                    batch: int, rng: np.random.Generator,
                    learning_rate: Callable[[int], float]) -> None:
        """One epoch over ``X[index]`` in equal batches, the learning rate set before every step.

        ``learning_rate(step)`` receives the optimizer's own step count (its ``iterations``), so a fold
        restored from its state continues its schedule.
        """
        step = int(to_numpy(network.optimizer.iterations))
        for members in epoch_batches(index, batch=batch, rng=rng):
            network.optimizer.learning_rate.assign(learning_rate(step))
            start = time.perf_counter()
            network.train_on_batch(X[members], y[members])
            elapsed = time.perf_counter() - start
            if id(network) in self._untraced:
                self._untraced.discard(id(network))
                self.timings.trace += elapsed
            else:
                self.timings.train += elapsed
                self.timings.steps += 1
                self.timings.samples += len(members)
            step += 1

    def predict(self, network: keras.Model, X: np.ndarray, index: np.ndarray | None = None, *,
                chunk: int = 256) -> np.ndarray:
        """Posteriors of ``X[index]`` (all of ``X`` when ``index`` is None), in chunks of ``chunk``."""
        start = time.perf_counter()
        index = np.arange(len(X)) if index is None else np.asarray(index)
        parts = [np.asarray(network.predict_on_batch(X[index[i:i + chunk]]))
                 for i in range(0, len(index), chunk)]
        self.timings.predict += time.perf_counter() - start
        return np.concatenate(parts) if parts else np.empty((0, network.output_shape[-1]))


def seed_construction(seed: int) -> None:
    """Seed what making a network draws from: Python's global stream.

    Keras draws the seed of each unseeded initializer and dropout layer from Python's stream when the layer
    is made (as :class:`GatedHead` does), so this fixes a network's initial weights and its dropout masks, as
    ``keras.utils.set_random_seed`` does. Unlike that function it leaves TensorFlow's graph-level seed alone
    (and NumPy's global stream, which no network reads): a new graph seed makes every compiled step of a
    cached network trace again (measured on EfficientNetV2-B0 at 32 px, batches of 8, one thread: a second
    trial's training steps took 0.6 s each instead of 0.11 s, 12 s more per trial), and no op of these
    networks reads it (their random ops take explicit seeds from Keras' seed generators).
    """
    random.seed(seed)


def to_numpy(variable) -> np.ndarray:
    """A copy of a Keras variable's value as a NumPy array, under any backend (a PyTorch value that
    requires grad is detached)."""
    return np.array(keras.ops.convert_to_numpy(variable.value), copy=True)


def model_state(network: keras.Model) -> list:
    """The variables that make a network's function and randomness: its weights, hyperparameter variables
    and seed-generator states (``network.variables``; the networks compile no metrics)."""
    return list(network.variables)

