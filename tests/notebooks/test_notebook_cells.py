"""The notebooks stay thin: short code cells that call the package, and no functions or classes of their own.

DESIGN.md: logic that deserves a test lives in ``src``; a notebook's cells read parameters, call the package,
show a table or a figure. These checks read the committed notebooks (no kernel): ``make test-fast`` runs them.
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from bearingkit import paths

#: The most non-blank lines one code cell may hold.
MAX_CELL_LINES = 15
#: The most non-blank code lines all notebooks together may hold.
MAX_TOTAL_LINES = 600
NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def code_cells(notebook) -> list[tuple[str, str]]:
    """``(cell id, source)`` of every code cell of ``notebook`` (a path)."""
    cells = nbformat.read(notebook, as_version=4).cells
    return [(cell.get("id", str(k)), cell.source) for k, cell in enumerate(cells) if cell.cell_type == "code"]


def non_blank_lines(source: str) -> int:
    """The lines of ``source`` that hold anything but white space (comments count)."""
    return sum(bool(line.strip()) for line in source.splitlines())


def definitions(source: str) -> list[str]:
    """``def``, ``class`` and ``lambda`` in a cell, as ``"<kind> at line <n>"`` (IPython magics allowed)."""
    tree = ast.parse(TransformerManager().transform_cell(source))
    kinds = {ast.FunctionDef: "def", ast.AsyncFunctionDef: "async def", ast.ClassDef: "class",
             ast.Lambda: "lambda"}
    return [f"{kinds[type(node)]} at line {node.lineno}" for node in ast.walk(tree) if type(node) in kinds]


def test_the_notebooks_are_found():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_code_cell_is_short(notebook):
    lines = {cell: non_blank_lines(source) for cell, source in code_cells(notebook)}
    long = {cell: n for cell, n in lines.items() if n > MAX_CELL_LINES}
    assert not long, f"{notebook.name}: cells over {MAX_CELL_LINES} non-blank lines (id: lines): {long}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_no_code_cell_defines_a_function_or_a_class(notebook):
    found = {cell: where for cell, source in code_cells(notebook) if (where := definitions(source))}
    assert not found, f"{notebook.name}: move these into the package (cell id: definitions): {found}"


def test_all_notebooks_together_hold_few_code_lines():
    per_notebook = {nb.stem[:2]: sum(non_blank_lines(src) for _, src in code_cells(nb)) for nb in NOTEBOOKS}
    total = sum(per_notebook.values())
    assert total <= MAX_TOTAL_LINES, f"{total} non-blank code lines, over {MAX_TOTAL_LINES}: {per_notebook}"


@pytest.mark.parametrize(("source", "lines", "found"), [
    ("x = 1\n\n   \n# a comment\ny = 2\n", 3, []),
    ("%matplotlib inline\nf = lambda x: x\n", 2, ["lambda at line 2"]),
    ("def f():\n    return 1\nclass A:\n    pass\n", 4, ["def at line 1", "class at line 3"]),
])
def test_the_checks_count_lines_and_find_definitions(source, lines, found):
    assert (non_blank_lines(source), sorted(definitions(source))) == (lines, sorted(found))
