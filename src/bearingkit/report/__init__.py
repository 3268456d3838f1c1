"""Reporting: figures (:mod:`.plots`), the papers' published numbers (:mod:`.reference`) and the results rows
every notebook writes (:mod:`.results`). Used by :mod:`bearingkit.papers` and the notebooks only."""

__all__: list[str] = []
