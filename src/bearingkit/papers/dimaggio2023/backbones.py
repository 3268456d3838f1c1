"""The pretrained networks of Di Maggio (2023): which can be reached from here, and why the others cannot.

VGGish's weights come from TF-Hub (:func:`bearingkit.models.pretrained.load_vggish`), VGG16's ImageNet weights
from Keras' download site, YAMNet from the sha256-pinned TFLite conversion the package registers. A network
that cannot be had leaves its methods *not run*, with the reason (:func:`load_backbones`); it is never
replaced by a number from elsewhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from bearingkit.errors import MissingDataError, ParameterError
from bearingkit.models import pretrained
from bearingkit.papers.dimaggio2023.settings import Settings

__all__ = ["Backbones", "availability_table", "from_scratch_reason", "load_backbones", "not_run_reasons"]

PRETRAINED_CHOICES = ("auto", "off")


@dataclasses.dataclass(frozen=True)
class Backbones:
    """The networks a run has: the pretrained VGGish (None when its weights cannot be had), YAMNet, the VGG16
    variants to run (method name -> ``"imagenet"`` or None for a random initialisation), the VGGish handle
    tried, and why each unavailable method is not run."""

    vggish: object | None
    yamnet: object | None
    vgg16_weights: Mapping[str, str | None]
    vggish_handle: str
    unavailable: Mapping[str, str]

    @property
    def yamnet_provenance(self) -> str:
        """What the YAMNet file is: a third-party int8 TFLite conversion, not Google's float model."""
        return pretrained.YAMNET_PROVENANCE


def _vggish_or_reason(pretrained_choice: str, handle: str, cache_dir) -> tuple[object | None, str | None]:
    if pretrained_choice == "off":
        return None, "not run: pretrained='off'"
    try:
        return pretrained.load_vggish(handle, cache_dir=cache_dir), None
    except MissingDataError as error:
        return None, f"not run: VGGish weights unreachable ({str(error).split('. ')[0]})"


def load_backbones(pretrained_choice: str = "auto", *, vggish_handle: str = pretrained.VGGISH_HANDLE,
                   cache_dir=None, yamnet_threads: int = 2) -> Backbones:
    """Load every network that can be reached; record why each other one is not run.

    Parameters
    ----------
    pretrained_choice : {"auto", "off"}
        ``"auto"``: load VGGish (TF-Hub) and use VGG16's ImageNet weights when they are reachable; ``"off"``:
        never (their methods are *not run*). YAMNet's TFLite file is read from the registry either way.
    vggish_handle : str
        TF-Hub / Kaggle handle or a local SavedModel folder.
    cache_dir : path, optional
        Where TF-Hub keeps downloads (None: ``$TFHUB_CACHE_DIR`` or hub's default).

    Raises
    ------
    ParameterError
        For a ``pretrained_choice`` other than ``"auto"`` or ``"off"``.
    """
    if pretrained_choice not in PRETRAINED_CHOICES:
        raise ParameterError(f"pretrained must be 'auto' or 'off', got {pretrained_choice!r}")
    unavailable = {}
    vggish, reason = _vggish_or_reason(pretrained_choice, vggish_handle, cache_dir)
    if reason:
        unavailable["VGGish transfer"] = unavailable["VGGish transfer (ReLU on fc2)"] = reason
    vgg16_reason = ("pretrained='off'" if pretrained_choice == "off"
                    else pretrained.vgg16_imagenet_unavailable())
    vgg16_weights = {"VGG16 (random init)": None}
    if vgg16_reason:
        for method in ("VGG16 (ImageNet)", "VGG16 (ImageNet, block 5 fine-tuned)"):
            unavailable[method] = f"not run: ImageNet weights unreachable ({vgg16_reason})"
    else:
        vgg16_weights["VGG16 (ImageNet)"] = "imagenet"
    return Backbones(vggish=vggish, yamnet=pretrained.YamnetTFLite(num_threads=yamnet_threads),
                     vgg16_weights=vgg16_weights, vggish_handle=vggish_handle, unavailable=unavailable)


def from_scratch_reason(profile: str) -> str:
    """Why VGGish from scratch is not run in ``profile``."""
    return (f"not run in the {profile} profile: 216 updates of the 72 M-parameter network do not fit its "
            "2-CPU-core budget (profile 'full' runs it)")


def not_run_reasons(backbones: Backbones, *, settings: Settings, profile: str) -> dict[str, str]:
    """Why each method without runs is not run: unreachable weights, and VGGish from scratch where the
    profile trains it nowhere."""
    reasons = dict(backbones.unavailable)
    if not settings.scratch_on:
        reasons["VGGish from scratch"] = from_scratch_reason(profile)
    return reasons


def availability_table(backbones: Backbones) -> pd.DataFrame:
    """Where each pretrained network comes from and whether this run has it."""
    return pd.DataFrame({
        "source": [backbones.vggish_handle, pretrained.VGG16_WEIGHTS_URL, str(backbones.yamnet.path)],
        "status": [backbones.unavailable.get("VGGish transfer", "loaded"),
                   backbones.unavailable.get("VGG16 (ImageNet)", "available"), "loaded (sha256 verified)"]},
        index=["VGGish (TF-Hub)", "VGG16 ImageNet (Keras)", "YAMNet (TFLite)"])
