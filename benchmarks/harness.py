"""A tiny benchmark harness: each case runs in a fresh process; wall time and peak memory are reported.

A benchmark module ``benchmarks/bench_<area>.py`` declares cases with :func:`case`::

    @case("envelope spectrum, 10 s at 12 kHz", target_s=0.5, target_mib=500)
    def envelope():
        x = make_input()            # set-up: not timed
        return lambda: envelope_spectrum(x, fs=12_000)   # the timed work

``python benchmarks/run.py`` (``make bench``) prints one row per case. The timed callable may return a
mapping of further measures (throughput, a share of time); ``limits`` gives each an upper (``"<="``) or lower
(``">="``) target, checked like the time and memory targets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Case:
    """One benchmark: ``setup()`` returns the callable whose wall time is measured."""

    name: str
    setup: Callable[[], Callable[[], object]]
    target_s: float | None
    target_mib: float | None
    repeat: int
    limits: dict[str, tuple[str, float]] = dataclasses.field(default_factory=dict)


CASES: list[Case] = []


def case(name: str, *, target_s: float | None = None, target_mib: float | None = None, repeat: int = 1,
         limits: dict[str, tuple[str, float]] | None = None):
    """Register ``setup`` as a benchmark case (``repeat`` runs; the best time is reported)."""

    def register(setup):
        CASES.append(Case(name, setup, target_s, target_mib, repeat, dict(limits or {})))
        return setup

    return register
