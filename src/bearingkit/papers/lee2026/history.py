"""The run's History DB (§2.4) and its resumable pieces.

Every record of a notebook run goes to one History DB (:class:`bearingkit.hpo.HistoryDB`), checked against
the run's configuration so that a database is never silently reused by another run
(:func:`open_history`). Every complete Stage 2 trial stores its posteriors there under a digest of its
parameters (:func:`params_key`), so a run stopped by its deadline (:func:`piece_deadline`) resumes without
retraining.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Mapping

import numpy as np

from bearingkit import paths
from bearingkit.errors import ParameterError
from bearingkit.hpo import HistoryDB
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.settings import Settings

__all__ = ["notebook_history", "open_history", "params_key", "piece_deadline", "remaining",
           "stored_posteriors"]


def open_history(url: str, configuration: Mapping, *, resume: bool) -> HistoryDB:
    """The History DB of one notebook run, checked against the run's configuration.

    The first run records ``configuration`` (profile, seed, settings...). A later run on the same database
    continues it only when ``resume`` is true and its configuration is identical; a database written with
    another configuration, or holding studies of unknown origin, is refused rather than silently reused
    (its finished trials and stored posteriors would belong to another run).

    Raises
    ------
    ParameterError
        The database holds another run, or ``resume`` is false and it is not empty.
    """
    history = HistoryDB(url)
    wanted = json.loads(json.dumps(configuration, default=str))
    try:
        stored = history.get("run", "configuration")
    except KeyError:
        stored = None
    where = repr(history)
    if stored is None and history.study_names():
        raise ParameterError(f"{where} holds studies but no run configuration: not this notebook's; give a "
                             f"fresh history_url")
    if stored is not None and stored != wanted:
        changed = sorted(k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k))
        raise ParameterError(f"{where} was written by a run with another configuration (differs in "
                             f"{changed}); give a fresh history_url or delete it")
    if stored is not None and not resume:
        raise ParameterError(f"{where} already holds a run; resume it (resume=True) or give a fresh "
                             f"history_url")
    if stored is None:
        history.put("run", "configuration", wanted)
    return history


def notebook_history(url: str | None, *, notebook: str, profile: str, seed: int, settings: Settings,
                     resume: bool) -> HistoryDB:
    """The notebook's History DB: ``url``, or ``build/lee2026/history_<profile>_seed<seed>.db`` when None.

    The default database is the notebook's own: without ``resume`` it starts afresh (the old file is
    deleted); a database at ``url`` is never deleted, and is checked by :func:`open_history`.
    """
    if url is None:
        target = paths.BUILD_DIR / "lee2026" / f"history_{profile}_seed{seed}.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not resume:
            target.unlink(missing_ok=True)
        url = sqlite_url(target)
    configuration = {"notebook": notebook, "profile": profile, "seed": seed,
                     "settings": dataclasses.asdict(settings)}
    return open_history(url, configuration, resume=resume)


def piece_deadline(piece_seconds: float | None, *, start: float | None = None) -> float | None:
    """The :func:`time.monotonic` value after which no trial starts (None without a piece limit).

    ``start`` is the piece's start (a :func:`time.monotonic` value; now when None).
    """
    if piece_seconds is None:
        return None
    return (time.monotonic() if start is None else start) + float(piece_seconds)


def remaining(deadline: float | None) -> float | None:
    """Seconds left until ``deadline`` (a :func:`time.monotonic` value); None without a deadline."""
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


def params_key(params: Mapping) -> str:
    """The History DB key of a trial's posteriors: a digest of its parameters (same parameters, same key)."""
    text = json.dumps({k: params[k] for k in sorted(params)}, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


def stored_posteriors(history: HistoryDB, study: str, params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """The out-of-fold and test posteriors a trial of ``study`` stored (see ``branch_search.run_branch``)."""
    stored = history.get(study, f"posteriors/{params_key(params)}")
    return np.asarray(stored["oof"], dtype=float), np.asarray(stored["test"], dtype=float)
