"""Evaluation: the paper's and leakage-aware splits (:mod:`.splits`), metrics (:mod:`.metrics`) and decision
fusion of several models' posteriors (:mod:`.fusion`)."""

__all__: list[str] = []
