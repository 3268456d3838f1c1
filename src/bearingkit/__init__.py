"""bearingkit: the tested helpers behind the bearing-diagnosis research compendium.

Data flows ``data`` -> ``Recording`` -> segments -> features / spectrograms / ``simulate``
-> models -> ``evaluation`` -> ``results`` + ``plots`` (see ``../shared/DESIGN.md``).
"""

from bearingkit.errors import BearingkitError, DataError, ParameterError
from bearingkit.recording import Recording

__all__ = ["BearingkitError", "DataError", "ParameterError", "Recording"]
__version__ = "0.1.0"
