"""The optimisation container's History DB (Lee, Park & Kook 2026, §2.4), without Keras in the process.

Target from the issue: History DB overhead <= 20 ms per trial on SQLite (50 trials with a trivial objective,
set-up included: <= 1 s), and the same on PostgreSQL when ``BEARINGKIT_TEST_POSTGRES_URL`` names a server.
Each case runs in a fresh process that imports this module only, so its peak memory is the container's and
the database's, not a deep-learning framework's.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from harness import case

from bearingkit.hpo import HistoryDB, SearchSpace, real, run_stage
from bearingkit.hpo.history import sqlite_url

#: A PostgreSQL database for the History DB case on a server, when one is named (the tests start their own).
POSTGRES_URL = os.environ.get("BEARINGKIT_TEST_POSTGRES_URL")


def _fifty_trials(history: HistoryDB) -> None:
    """50 LHS trials of a trivial objective: all the time is the container's and the History DB's."""
    space = SearchSpace((real("x", 0.0, 1.0), real("y", 0.0, 1.0)))
    run_stage(lambda p, report: p["x"], space, history=history, study_name=f"bench-{uuid.uuid4().hex}",
              seed=0, max_trials=50, n_lhs=50, n_kriging=0, patience=100)


@case("History DB: 50 container trials, trivial objective, SQLite", target_s=1.0, target_mib=600)
def history_overhead():
    def work():
        with tempfile.TemporaryDirectory() as tmp:
            _fifty_trials(HistoryDB(sqlite_url(Path(tmp) / "history.db")))

    return work


if POSTGRES_URL:       # without a server named, the case is left out
    @case("History DB: 50 container trials, trivial objective, PostgreSQL", target_s=1.0, target_mib=600)
    def history_overhead_postgresql():
        return lambda: _fifty_trials(HistoryDB(POSTGRES_URL))
