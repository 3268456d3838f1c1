"""One search-space definition for LHS, Kriging (scikit-optimize) and BOHB (Optuna) alike."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np
import optuna

if TYPE_CHECKING:
    import skopt.space

from bearingkit.errors import ParameterError

__all__ = ["Dimension", "SearchSpace", "categorical", "integer", "plain", "real"]


def plain(value):
    """A NumPy scalar as the Python scalar JSON and Optuna accept (scikit-optimize returns ``np.int64``).

    Examples
    --------
    >>> type(plain(np.int64(3))), type(plain(np.float64(0.5))), plain("adam")
    (<class 'int'>, <class 'float'>, 'adam')
    """
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class Dimension:
    """One hyperparameter: a real or integer range (optionally log-scaled) or a set of choices."""

    name: str
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    log: bool = False
    integer: bool = False

    def __post_init__(self):
        if self.choices is not None:
            if len(self.choices) < 1:
                raise ParameterError(f"{self.name}: a categorical dimension needs at least one choice")
            return
        if not (isinstance(self.low, Real) and isinstance(self.high, Real) and self.low < self.high):
            raise ParameterError(f"{self.name}: need low < high, got {self.low!r}, {self.high!r}")
        if self.log and self.low <= 0:
            raise ParameterError(f"{self.name}: a log-scaled range must be positive, got low={self.low!r}")

    def from_unit(self, u: float):
        """The value at position ``u`` in [0, 1) of the dimension (uniform in log space when ``log``)."""
        if self.choices is not None:
            return self.choices[min(int(u * len(self.choices)), len(self.choices) - 1)]
        top = self.high + 1 if self.integer else self.high
        low, high = (math.log(self.low), math.log(top)) if self.log else (self.low, top)
        value = low + u * (high - low)
        value = math.exp(value) if self.log else value
        return int(min(math.floor(value), self.high)) if self.integer else float(value)

    def suggest(self, trial):
        """Ask an Optuna trial for this dimension (an enqueued trial's fixed value comes back as it is)."""
        if self.choices is not None:
            return trial.suggest_categorical(self.name, list(self.choices))
        if self.integer:
            return trial.suggest_int(self.name, int(self.low), int(self.high), log=self.log)
        return trial.suggest_float(self.name, float(self.low), float(self.high), log=self.log)

    def to_optuna(self) -> optuna.distributions.BaseDistribution:
        """The Optuna distribution :meth:`suggest` asks for (what a sampler proposes a value in)."""
        if self.choices is not None:
            return optuna.distributions.CategoricalDistribution(list(self.choices))
        if self.integer:
            return optuna.distributions.IntDistribution(int(self.low), int(self.high), log=self.log)
        return optuna.distributions.FloatDistribution(float(self.low), float(self.high), log=self.log)

    def to_skopt(self) -> skopt.space.Dimension:
        """The scikit-optimize dimension (imported here: it takes seconds, and only Kriging needs it)."""
        import skopt.space

        if self.choices is not None:
            return skopt.space.Categorical(list(self.choices), name=self.name)
        prior = "log-uniform" if self.log else "uniform"
        if self.integer:
            return skopt.space.Integer(int(self.low), int(self.high), prior=prior, name=self.name)
        return skopt.space.Real(float(self.low), float(self.high), prior=prior, name=self.name)


def real(name: str, low: float, high: float, *, log: bool = False) -> Dimension:
    """A real range ``[low, high]``."""
    return Dimension(name, low=low, high=high, log=log)


def integer(name: str, low: int, high: int, *, log: bool = False) -> Dimension:
    """An integer range ``low..high`` (both included)."""
    if not (isinstance(low, Integral) and isinstance(high, Integral)):
        raise ParameterError(f"{name}: integer bounds must be integers, got {low!r}, {high!r}")
    return Dimension(name, low=low, high=high, log=log, integer=True)


def categorical(name: str, choices: Sequence) -> Dimension:
    """A set of choices (str, int, float or bool)."""
    return Dimension(name, choices=tuple(choices))


@dataclass(frozen=True)
class SearchSpace:
    """An ordered set of :class:`Dimension`; parameters travel as ``{name: value}`` dicts."""

    dimensions: tuple[Dimension, ...]

    def __post_init__(self):
        names = [d.name for d in self.dimensions]
        if not names or len(set(names)) != len(names):
            raise ParameterError(f"a search space needs distinct dimension names, got {names}")

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    def from_unit(self, u) -> dict:
        """Parameters at a point ``u`` of the unit hypercube (one coordinate per dimension)."""
        return {d.name: d.from_unit(float(v)) for d, v in zip(self.dimensions, u, strict=True)}

    def suggest(self, trial) -> dict:
        """Parameters from an Optuna trial."""
        return {d.name: d.suggest(trial) for d in self.dimensions}

    def to_skopt(self) -> list[skopt.space.Dimension]:
        return [d.to_skopt() for d in self.dimensions]

    def to_optuna(self) -> dict[str, optuna.distributions.BaseDistribution]:
        """``{name: Optuna distribution}``, the search space an Optuna sampler proposes in."""
        return {d.name: d.to_optuna() for d in self.dimensions}

    def as_list(self, params: dict) -> list:
        """Parameters in dimension order (scikit-optimize's points)."""
        missing = [n for n in self.names if n not in params]
        if missing:
            raise ParameterError(f"parameters lack {missing}; the space has {self.names}")
        return [params[n] for n in self.names]

    def as_dict(self, point: Sequence) -> dict:
        """A scikit-optimize point as plain-Python parameters."""
        return {n: plain(v) for n, v in zip(self.names, point, strict=True)}
