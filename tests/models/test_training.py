"""The training engine: hyperparameters as variables, one traced step reused by folds and trials."""

import keras
import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.models import training


def _tiny(depth=1, width=3, dropout=0.0, n_classes=3):
    inputs = keras.Input((5,))
    h = keras.layers.Dense(4, name="features")(inputs)
    outputs = training.GatedHead(n_classes, depth=depth, width=width, dropout=dropout, max_depth=2,
                                 max_width=8)(h)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize(("depth", "width"), [(0, 8), (1, 3), (2, 5)])
def test_the_gated_head_computes_the_plain_head_of_its_depth_and_width(depth, width):
    keras.utils.set_random_seed(0)
    model = _tiny(depth, width)
    head = model.layers[-1]
    x = np.random.default_rng(0).normal(size=(6, 5)).astype("float32")
    h = keras.ops.convert_to_numpy(model.get_layer("features")(x))
    for d in range(depth):   # the plain head: only the active block of every layer
        kernel, bias = (keras.ops.convert_to_numpy(v) for v in (head.kernels[d], head.biases[d]))
        h = np.maximum(h @ kernel[:h.shape[1], :width] + bias[:width], 0)
    out = keras.ops.convert_to_numpy(head.outputs[depth])[:h.shape[1]]
    logits = h @ out + keras.ops.convert_to_numpy(head.output_biases[depth])
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected / expected.sum(axis=1, keepdims=True),
                               atol=1e-5)


def test_masked_units_stay_zero_while_training_with_every_rule():
    keras.utils.set_random_seed(1)
    model = _tiny(depth=2, width=3, dropout=0.2)
    optimizer = training.SwitchOptimizer(training.OPTIMIZERS[0], 1e-2)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    optimizer.build(model.trainable_variables)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 5)), rng.integers(0, 3, 32)
    head = model.layers[-1]
    for rule in training.OPTIMIZERS:        # each rule in turn through the one traced training step
        optimizer.set_rule(rule)
        model.fit(X, y, epochs=3, batch_size=8, verbose=0)
        for kernel in head.kernels:
            assert np.all(keras.ops.convert_to_numpy(kernel)[:, 3:] == 0), rule
        assert np.all(keras.ops.convert_to_numpy(head.kernels[1])[3:] == 0), rule
        assert np.all(keras.ops.convert_to_numpy(head.outputs[1])[3:] == 0), rule


@pytest.mark.parametrize(("rule", "reference"), [("adam", lambda: keras.optimizers.Adam(1e-2)),
                                                 ("adamw", lambda: keras.optimizers.AdamW(1e-2)),
                                                 ("rmsprop", lambda: keras.optimizers.RMSprop(1e-2))])
def test_every_rule_of_the_switch_optimizer_is_keras_own(rule, reference):
    rng = np.random.default_rng(0)
    start = [rng.normal(size=(5, 8)).astype("float32"), rng.normal(size=8).astype("float32")]  # kernel, bias
    steps = [[rng.normal(size=w.shape).astype("float32") for w in start] for _ in range(8)]
    weights = []
    for optimizer in (training.SwitchOptimizer(rule, 1e-2), reference()):
        variables = [keras.Variable(w) for w in start]
        for gradients in steps:                    # the same 8 gradients of a kernel and a bias, in order
            optimizer.apply_gradients(zip(gradients, variables, strict=True))
        weights.append([keras.ops.convert_to_numpy(v) for v in variables])
    for ours, keras_own, before in zip(*weights, start, strict=True):
        np.testing.assert_allclose(ours, keras_own, rtol=1e-4, atol=1e-5)
        assert np.abs(ours - before).max() > 1e-2                          # the steps moved the weights


def test_variable_dropout_is_the_identity_at_inference_and_drops_its_rate_in_training():
    layer = training.VariableDropout(0.3, seed=0)
    x = np.ones((200, 50), dtype="float32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), x)
    dropped = keras.ops.convert_to_numpy(layer(x, training=True))
    assert abs((dropped == 0).mean() - 0.3) < 0.02
    np.testing.assert_allclose(dropped[dropped > 0], 1 / 0.7, rtol=1e-5)
    layer.rate.assign(0.0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=True)), x)


def _trial(engine, *, seed, width, dropout, rule="adam"):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)).astype("float32"), rng.integers(0, 3, 40)
    network = engine.start("tiny", lambda: _tiny(depth=1, width=width, dropout=dropout), seed=seed,
                           optimizer=rule)
    engine.restore(network, engine.initial_state(network))
    for _ in range(2):
        engine.train_epoch(network, X, y, np.arange(30), batch=8, rng=np.random.default_rng(seed),
                           learning_rate=lambda step: 1e-2)
    return engine.predict(network, X, np.arange(30, 40))


def test_a_trial_on_a_reused_network_gives_what_a_fresh_engine_gives():
    shared = training.Engine()
    _trial(shared, seed=0, width=8, dropout=0.4, rule="rmsprop")           # another trial trains it first
    reused = _trial(shared, seed=1, width=3, dropout=0.1)
    fresh = _trial(training.Engine(), seed=1, width=3, dropout=0.1)
    np.testing.assert_allclose(reused, fresh, atol=1e-6)
    assert shared.timings.compiled == 1 and shared.timings.steps > 0
    assert 0 < shared.timings.outside_training < 1


def test_a_trial_leaves_tensorflows_graph_seed_alone_so_the_cached_steps_are_not_traced_again():
    if keras.config.backend() != "tensorflow":
        pytest.skip("the graph-level seed is TensorFlow's")
    import tensorflow as tf

    tf.random.set_seed(123)
    engine = training.Engine()
    first = _trial(engine, seed=0, width=3, dropout=0.1)
    second = _trial(engine, seed=0, width=3, dropout=0.1)           # the cached network, seeded again
    assert tf.compat.v1.get_seed(None)[0] == 123                  # a new graph seed would retrace every step
    np.testing.assert_allclose(first, second, atol=1e-6)          # and the seed still fixes the trial


def test_a_saved_fold_state_is_a_copy_that_later_training_leaves_as_it_was():
    engine = training.Engine()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)).astype("float32"), rng.integers(0, 3, 40)
    network = engine.start("tiny", lambda: _tiny(width=3), seed=0, optimizer="adam")
    initial = engine.initial_state(network)
    engine.restore(network, initial)

    def epoch():
        engine.train_epoch(network, X, y, np.arange(30), batch=8, rng=np.random.default_rng(1),
                           learning_rate=lambda step: 1e-2)

    epoch()
    saved, after_one = engine.save(network), engine.predict(network, X)
    epoch()                                                    # training goes on past the saved state
    assert not np.allclose(engine.predict(network, X), after_one)
    engine.restore(network, saved)
    np.testing.assert_array_equal(engine.predict(network, X), after_one)
    assert int(training.to_numpy(network.optimizer.iterations)) == 4
    engine.restore(network, initial)                           # a fold's start: the optimizer zeroed
    assert int(training.to_numpy(network.optimizer.iterations)) == 0
    epoch()
    np.testing.assert_array_equal(engine.predict(network, X), after_one)   # the same fold, trained again
    assert engine.timings.state > 0


def test_every_batch_of_an_epoch_has_one_shape_and_every_item_is_seen():
    batches = training.epoch_batches(np.arange(13), batch=4, rng=np.random.default_rng(0))
    assert {len(b) for b in batches} == {4}
    assert set(np.concatenate(batches)) == set(range(13))
    assert len(training.epoch_batches(np.arange(3), batch=8, rng=np.random.default_rng(0))[0]) == 8


@pytest.mark.parametrize(("call", "match"), [
    (lambda: training.SwitchOptimizer("sgd"), "unknown optimizer"),
    (lambda: training.learning_rate_at(0, base=1e-3, scheduler="step", total_steps=3), "unknown scheduler"),
    (lambda: training.VariableDropout(1.0), "dropout"),
    (lambda: training.GatedHead(3, depth=3, width=4, dropout=0.0), "depth"),
    (lambda: training.epoch_batches(np.arange(3), batch=0, rng=np.random.default_rng(0)), "batch size"),
])
def test_bad_parameters_are_refused(call, match):
    with pytest.raises(ParameterError, match=match):
        call()
