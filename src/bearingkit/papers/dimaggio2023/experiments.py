"""Every method of Table 7 on every split of a data set, and the simulated rows rerun under the simulator's
physics before issue 19 (the sensitivity of Table 7 to the simulator's assumptions)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from bearingkit.papers.dimaggio2023.backbones import Backbones
from bearingkit.papers.dimaggio2023.data import PHYSICS_BEFORE_ISSUE_19, simulate_polito
from bearingkit.papers.dimaggio2023.frontend import Inputs, prepare_inputs
from bearingkit.papers.dimaggio2023.settings import POLITO_FS, Seeds, Settings
from bearingkit.papers.dimaggio2023.training import (
    MethodResult,
    hardware,
    run_baseline,
    run_from_scratch,
    run_head,
    run_linear_probe,
    run_vgg16_finetune,
)

__all__ = ["Runs", "rerun_before_issue_19", "run_details", "run_split", "run_splits"]

#: Runs of one data set, keyed by (data set, split name).
Runs = dict[tuple[str, str], list[MethodResult]]


def run_split(inputs: Inputs, split, split_name: str, *, settings: Settings, seeds: Sequence[int],
              from_scratch: bool, probes: Sequence[str] = ("YAMNet transfer", "VGGish transfer"),
              plateau: Sequence[str] = ("YAMNet transfer",), finetune_vgg16: bool = False,
              ) -> list[MethodResult]:
    """Every available method on one split, once per seed (from scratch and the VGG16 fine-tuning: first
    seed only, they are costly), plus, on each embedding named in ``plateau``, the head trained for
    ``settings.plateau_iterations`` updates (first seed; method ``"<method>: plateau"``) and, on each named in
    ``probes``, a converged linear probe."""
    out = []
    for method, embeddings in inputs.embeddings.items():
        if embeddings is None:
            continue
        standardised = method.startswith("VGG16")
        for seed in seeds:
            out.append(run_head(embeddings, inputs.y, split, settings=settings, seed=seed, method=method,
                                split_name=split_name, standardised=standardised))
        if method in plateau:
            longer = dataclasses.replace(settings, iterations=settings.plateau_iterations)
            out.append(run_head(embeddings, inputs.y, split, settings=longer, seed=seeds[0],
                                method=f"{method}: plateau", split_name=split_name, standardised=standardised,
                                loss_every_epoch=False))
        if method in probes:
            out.append(run_linear_probe(embeddings, inputs.y, split, method=method, split_name=split_name))
    if finetune_vgg16 and inputs.images is not None:
        out.append(run_vgg16_finetune(inputs.images, inputs.y, split, settings=settings, seed=seeds[0],
                                      split_name=split_name))
    if from_scratch:
        out.append(run_from_scratch(inputs.patches, inputs.y, split, settings=settings, seed=seeds[0],
                                    split_name=split_name))
    out.append(run_baseline(inputs.features, inputs.y, split, split_name=split_name))
    return out


def run_splits(inputs: Inputs, splits: Mapping[str, tuple], *, dataset: str, settings: Settings,
               seeds: Sequence[int]) -> Runs:
    """:func:`run_split` on each split of one data set, in order: VGGish from scratch where
    ``settings.scratch_on`` names (``dataset``, split), VGG16's block 5 fine-tuned where ``inputs`` hold the
    ImageNet VGG16's features (its weights could be had)."""
    finetune = inputs.embeddings.get("VGG16 (ImageNet)") is not None
    return {(dataset, name): run_split(inputs, split, name, settings=settings, seeds=seeds,
                                       from_scratch=(dataset, name) in settings.scratch_on,
                                       finetune_vgg16=finetune)
            for name, split in splits.items()}


def rerun_before_issue_19(splits: Mapping[str, tuple], *, settings: Settings, seeds: Seeds,
                          backbones: Backbones) -> Runs:
    """The simulated rig's methods that need no downloaded weights (YAMNet head and probe, the 46 features;
    not the plateau head)
    on data simulated under :data:`~bearingkit.papers.dimaggio2023.data.PHYSICS_BEFORE_ISSUE_19`, with the
    same design, seeds and splits (same labels, same order)."""
    chunks = simulate_polito(n_chunks=settings.n_chunks, seed=seeds.simulation,
                             physics=PHYSICS_BEFORE_ISSUE_19)
    yamnet_only = dataclasses.replace(backbones, vggish=None, vgg16_weights={})
    inputs = prepare_inputs(chunks, fs=POLITO_FS, settings=settings, backbones=yamnet_only,
                            seed=seeds.runs[0])
    return {("simulated", name): run_split(inputs, split, name, settings=settings, seeds=seeds.runs,
                                           from_scratch=False, plateau=())
            for name, split in splits.items()}


def run_details(settings: Settings, seeds: Seeds) -> dict:
    """What a run records about itself in its results' details: its training seeds, settings and hardware."""
    return {"run_seeds": list(seeds.runs), "settings": dataclasses.asdict(settings), "hardware": hardware()}
