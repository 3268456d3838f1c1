"""Exceptions raised by bearingkit: every message says what went wrong and how to fix it."""


class BearingkitError(Exception):
    """Base class of every error bearingkit raises on purpose."""


class ParameterError(BearingkitError, ValueError):
    """An argument has a value bearingkit does not accept (unknown name, wrong range, NaN, ...)."""


class DataError(BearingkitError):
    """A data file is missing, corrupt, or does not hold what the registry says it holds."""
