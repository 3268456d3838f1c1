"""Exceptions raised by bearingkit: every message says what went wrong and how to fix it.

Catch them by kind::

    BearingkitError
    ├── ParameterError (ValueError)       an argument bearingkit does not accept (range, NaN, rate, ...)
    │   └── UnknownNameError (KeyError)   a name that is not in a table: data set, file, profile, model, ...
    ├── DataError                         a data file that is not what the registry says it is
    │   ├── MissingDataError              not in the cache, the mirror or reachable online
    │   └── ChecksumError                 its sha256 (or size, or git blob id) differs from the pinned one
    ├── LeakageError                      a train and a test set share samples
    ├── ResultsError                      a results row that breaks the schema, or results that are missing
    └── Unfinished                        a run stopped by its time budget; rerun it to continue
"""

__all__ = [
    "BearingkitError", "ParameterError", "UnknownNameError", "DataError", "MissingDataError", "ChecksumError",
    "LeakageError", "ResultsError", "Unfinished",
]


class BearingkitError(Exception):
    """Base class of every error bearingkit raises on purpose."""


class ParameterError(BearingkitError, ValueError):
    """An argument has a value bearingkit does not accept (wrong range, NaN, wrong sampling rate, ...)."""


class UnknownNameError(ParameterError, KeyError):
    """A name that is not in the table it was looked up in; the message lists the valid names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DataError(BearingkitError):
    """A data file is missing, corrupt, or does not hold what the registry says it holds."""


class MissingDataError(DataError):
    """A registered file is in neither the cache nor the mirror and cannot be downloaded."""


class ChecksumError(DataError):
    """A file's sha256 (or size, or git blob id) differs from the registry's pin; the file was not kept."""


class LeakageError(BearingkitError):
    """A train and a test set share samples (the same recording's overlapping windows, or the same window)."""


class ResultsError(BearingkitError):
    """A results row that breaks the schema of :mod:`bearingkit.report.results`, or absent results."""


class Unfinished(BearingkitError):
    """A run stopped by its time budget: what it finished is in its History DB; rerun to continue."""
