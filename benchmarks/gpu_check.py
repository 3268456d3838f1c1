"""Notebook 02's full profile on the simulated MAFAULDA-like rig, on a GPU, under one Keras backend.

Run by ``make gpu-check`` (once per backend, JAX and PyTorch, each in its own process since Keras picks its
backend at import): the full profile's settings (224 px maps, 27 epochs, 5 folds, the paper's pools) on the
simulated rig, Stage 1 and Stage 2 under a time budget, then each branch's trials with their wall time. A
GPU is not needed to run it, only to make it fast; CI never runs it.

    KERAS_BACKEND=jax python benchmarks/gpu_check.py --seconds 240
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=240.0,
                        help="no trial starts after this many seconds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import keras

    from bearingkit.checks import child_seeds
    from bearingkit.errors import Unfinished
    from bearingkit.hpo.history import HistoryDB, sqlite_url
    from bearingkit.papers.lee2026.branch_search import shared_engine
    from bearingkit.papers.lee2026.data import load_mafaulda_simulated
    from bearingkit.papers.lee2026.pipeline import run_pipeline
    from bearingkit.papers.lee2026.settings import settings_for

    started = time.perf_counter()
    settings = settings_for("full")
    data = load_mafaulda_simulated(settings, seed=child_seeds(args.seed, 1)[0])
    print(f"backend {keras.config.backend()}; {data.name}: {len(data.y)} windows of {data.X.shape[-1]} "
          f"samples, {len(data.channels)} axes; simulated in {time.perf_counter() - started:.0f} s",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        history = HistoryDB(sqlite_url(Path(tmp) / "history.db"))
        try:
            run_pipeline(data, split="paper", settings=settings, history=history, seed=args.seed,
                             deadline=time.monotonic() + args.seconds,
                             log=lambda line: print(line, flush=True))
            print("the run finished inside the budget")
        except Unfinished as stop:
            print(f"stopped by the budget: {stop}")
        import optuna

        for name in history.study_names():
            if "/stage2/" not in name:
                continue
            trials = optuna.load_study(study_name=name, storage=history.storage).trials
            done = [t for t in trials if t.duration is not None]
            seconds = [t.duration.total_seconds() for t in done]
            epochs = [max(t.intermediate_values, default=0) for t in done]
            if seconds:
                per_epoch = sum(seconds) / max(sum(epochs), 1)
                print(f"{name}: {len(done)} trials, {sum(seconds) / len(seconds):.1f} s per trial "
                      f"(min {min(seconds):.1f}, max {max(seconds):.1f}), {per_epoch:.2f} s per epoch of 5 "
                      f"folds; states {[t.state.name for t in done]}")
            else:
                print(f"{name}: no trial finished inside the budget")
    timings = shared_engine().timings
    print(f"engine: {timings.compiled} networks compiled, trace {timings.trace:.1f} s, training steps "
          f"{timings.train:.1f} s, outside training {timings.outside_training:.0%}; "
          f"KERAS_BACKEND={os.environ.get('KERAS_BACKEND', 'tensorflow')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
