"""One module per notebook: its profiles, data views and experiment runners. Nothing imports from here."""

__all__: list[str] = []
