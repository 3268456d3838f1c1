"""Features computed from windows: Sedira et al.'s 46 hand-made features (:mod:`.handcrafted`) and the
Fisher-score selection with PCA that follows them (:mod:`.selection`)."""

__all__: list[str] = []
