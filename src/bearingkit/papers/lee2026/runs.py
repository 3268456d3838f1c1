"""Every data set x split of one notebook run, in this process or in a worker process, resumable in pieces.

Without a piece deadline the runs of the other data sets go on in a second process while this one runs CWRU's
two (each process traces its networks once per data shape: on 2 cores a second process halves the wall
time); in pieces, every run stays in this process. A run stopped by the deadline is *unfinished*: what it
finished is in the History DB, it gets no numbers, and the next piece continues it.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import time
from collections.abc import Mapping

from bearingkit.errors import ParameterError, Unfinished
from bearingkit.hpo import HistoryDB
from bearingkit.papers.lee2026.data import Dataset, run_plan
from bearingkit.papers.lee2026.history import piece_deadline, remaining
from bearingkit.papers.lee2026.pipeline import (
    PipelineResult,
    background_runner,
    pipeline_in_worker,
    run_pipeline,
)
from bearingkit.papers.lee2026.settings import MAIN_RUN, Settings

__all__ = ["NotebookRuns"]


@dataclasses.dataclass
class NotebookRuns:
    """The runs of one notebook: their results, the unfinished ones and the wall time each took.

    Attributes
    ----------
    datasets : mapping of str to Dataset
    settings : Settings
    history : HistoryDB
        Shared by this process and the worker (by its URL).
    seed : int
        The master seed of every run.
    piece_seconds : float or None
        No trial starts after this many seconds from ``started`` (None: no limit).
    started : float or None
        When the piece started, a :func:`time.monotonic` value (None: when these runs are made).
    results : dict
        ``(data set key, split) -> PipelineResult`` of every finished run, in the order they finished.
    unfinished : dict
        ``(data set key, split) -> reason`` of every run stopped by the deadline.
    wall_s : dict
        ``(data set key, split) -> seconds``, summed over the calls that ran it.
    deadline : float or None
        The :func:`time.monotonic` value of the piece's end, from ``piece_seconds``.
    """

    datasets: Mapping[str, Dataset]
    settings: Settings
    history: HistoryDB
    seed: int
    piece_seconds: float | None = None
    started: float | None = None
    results: dict[tuple[str, str], PipelineResult] = dataclasses.field(default_factory=dict, init=False)
    unfinished: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict, init=False)
    wall_s: dict[tuple[str, str], float] = dataclasses.field(default_factory=dict, init=False)
    deadline: float | None = dataclasses.field(default=None, init=False)
    _worker: concurrent.futures.Executor | None = dataclasses.field(default=None, init=False, repr=False)
    _pending: dict = dataclasses.field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.deadline = piece_deadline(self.piece_seconds, start=self.started)

    def start_worker(self) -> None:
        """Submit every run of the data sets other than CWRU to a worker process (none in pieces)."""
        if self.deadline is not None:
            return
        self._worker = background_runner()
        self._pending = {(key, split): self._worker.submit(
            pipeline_in_worker, self.datasets[key], split=split, settings=self.settings,
            history_url=self.history.url, seed=self.seed)
            for key, split in run_plan(self.datasets) if key != MAIN_RUN[0]}

    def run(self, key: str, split: str, *, seconds: float | None = None) -> None:
        """One data set x split, for at most ``seconds`` in this call; a run stopped early is never scored.

        A finished run, or an unfinished one when the piece has no time left, is not run again; a run
        submitted to the worker is waited for and its progress lines printed.
        """
        if (key, split) in self.results or ((key, split) in self.unfinished and self.remaining() == 0):
            return
        if (key, split) in self._pending:
            result, lines, self.wall_s[key, split] = self._pending.pop((key, split)).result()
            self.results[key, split] = result
            print("\n".join(lines))
            return
        stop_at = [t for t in (self.deadline, None if seconds is None else time.monotonic() + seconds)
                   if t is not None]
        self.unfinished.pop((key, split), None)
        start = time.perf_counter()
        try:
            self.results[key, split] = run_pipeline(self.datasets[key], split=split, settings=self.settings,
                                                    history=self.history, seed=self.seed,
                                                    deadline=min(stop_at, default=None))
        except Unfinished as stop:
            self.unfinished[key, split] = f"unfinished: rerun to continue ({stop})"
            print(self.unfinished[key, split] if self.remaining() == 0
                  else f"continued in the next cell: {stop}")
        finally:
            self.wall_s[key, split] = self.wall_s.get((key, split), 0.0) + time.perf_counter() - start

    def run_all(self, split: str) -> None:
        """The ``"paper"`` or the ``"held-out"`` split of every data set, in the order of ``datasets``."""
        if split not in ("paper", "held-out"):
            raise ParameterError(f"split must be 'paper' or 'held-out', got {split!r}")
        for key, data in self.datasets.items():
            self.run(key, "paper" if split == "paper" else data.held_out_split)

    def close(self) -> None:
        """Shut the worker down and say how many runs a rerun has to continue."""
        if self.unfinished:
            print(self.unfinished_note())
        if self._worker is not None:
            self._worker.shutdown()

    def unfinished_note(self) -> str:
        """How many runs a rerun has to continue, from which History DB ("" when every run finished)."""
        if not self.unfinished:
            return ""
        return (f"UNFINISHED: {len(self.unfinished)} run(s) stopped by piece_seconds = {self.piece_seconds} "
                f"(not scored: their rows are 'not run'); rerun the notebook to continue from "
                f"{self.history!r}")

    def remaining(self) -> float | None:
        """Seconds left in this piece (None without a piece limit)."""
        return remaining(self.deadline)

    def why_not_run(self, key: str, split: str) -> str:
        """Why a run has no result: its unfinished reason, or no time left in this piece."""
        no_time = "unfinished: rerun to continue (no time left in this piece)"
        return self.unfinished.get((key, split)) or no_time
