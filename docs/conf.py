"""Sphinx configuration of the compendium's site: ``make book`` builds it into ``build/site``.

The executed notebooks of the last ``make reproduce`` are rendered by myst-nb as they are (never executed
again); the scorecard, the notebooks' index, the data page and one API page per subpackage are generated when
the build starts (``_ext/compendium.py``). The API pages come from the package's NumPy-style docstrings
(autodoc, autosummary, numpydoc).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "bearingkit"
author = "bearingkit contributors"
copyright = "bearingkit contributors"  # noqa: A001 (Sphinx's name)

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "compendium",
]
exclude_patterns = ["_ext", "_static", ".gitignore", "**.ipynb_checkpoints"]

# Notebooks: what the last run left, as it is.
nb_execution_mode = "off"
nb_merge_streams = True
nb_render_markdown_format = "myst"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# API pages from the docstrings.
autosummary_generate = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = "bearingkit compendium"
html_static_path = ["_static"]
html_css_files = ["compendium.css"]
html_js_files = ["scorecard.js", "page_check.js"]
# The scorecard's table takes the whole width.
html_sidebars = {"scorecard": []}
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": [],
}
