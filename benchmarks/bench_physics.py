"""Hot paths of the physics layer: envelope analysis and the simulator."""

from __future__ import annotations

import numpy as np
from harness import case

from bearingkit.dsp.spectral import envelope_spectrum
from bearingkit.physics.simulate import simulate_design


@case("envelope spectrum of 10 s at 12 kHz", target_s=0.1, target_mib=500, repeat=3)
def envelope():
    x = np.random.default_rng(0).standard_normal(120_000)
    return lambda: envelope_spectrum(x, fs=12_000)


@case("simulate the PoliTo design: 3 x 40 x 30 s at 20,480 Hz (74 M samples)", target_s=15, target_mib=2048)
def polito_design():
    def run():
        total = 0
        for recording in simulate_design("polito", seed=0):   # generated and discarded one by one
            total += recording.n_samples
        assert total == 3 * 40 * 30 * 20_480
    return run
