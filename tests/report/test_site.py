"""The scorecard (bearingkit.report.scorecard) and the site's generated pages (docs/_ext/compendium.py), on
results files and notebooks the tests write themselves. Sphinx itself runs in tests/site/."""

from __future__ import annotations

import base64
import importlib.util
import io
import json

import numpy as np
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from PIL import Image

from bearingkit import paths
from bearingkit.data.registry import DATASETS
from bearingkit.errors import ResultsError
from bearingkit.report import results, scorecard

ROW = {"paper": "sedira2026", "item": "Table 7", "dataset": "CWRU", "data_kind": "real", "paper_value": 99.0,
       "tolerance": 2.0}
DOCS = paths.PROJ_ROOT / "docs"


@pytest.fixture(scope="module")
def compendium():
    """docs/_ext/compendium.py, loaded by the first test that asks, not when the tests are collected: it
    imports nbformat, whose schema validator compiles a grammar at import (seconds on 2 shared cores)."""
    spec = importlib.util.spec_from_file_location("compendium", DOCS / "_ext" / "compendium.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def nbformat():
    """The nbformat package, imported by the tests that use it (see :func:`compendium`)."""
    import nbformat

    return nbformat


def _png() -> str:
    """A small two-colour PNG, base64, as a notebook's image output holds it."""
    buffer = io.BytesIO()
    Image.fromarray(np.eye(8, dtype=np.uint8) * 255).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@pytest.fixture
def build(tmp_path, monkeypatch, nbformat):
    """A build folder as ``make reproduce`` leaves it, for two notebooks: 99_demo executed (a figure, an
    exercise and its answer) with 3 results rows of 3 statuses; 98_later committed but not executed."""
    monkeypatch.setattr(results.paths, "RESULTS_DIR", tmp_path / "build" / "results")
    rows = [results.row(**ROW, quantity="accuracy, Hybrid, OR", split="paper", ours=[98.0, 99.5]),
            results.row(**ROW, quantity="accuracy, Hybrid, OR", split="cross-load", ours=[60.0, 62.0]),
            results.row(**{**ROW, "data_kind": "simulated", "dataset": "axial rig"},
                        quantity="accuracy | *all*", split="paper", ours=None, reason="not run: private rig")]
    results.write_results("99_demo", rows, meta={"profile": "quick", "seed": 0, "runtime_s": 12.0})
    answer = nbformat.v4.new_code_cell("print(42)", outputs=[nbformat.v4.new_output("stream", text="42\n")])
    answer.metadata["tags"] = ["answer"]
    exercise = nbformat.v4.new_markdown_cell("**Exercise 1.** What is 6 x 7?")
    exercise.metadata["tags"] = ["exercise"]
    executed = nbformat.v4.new_notebook()
    executed.cells = [nbformat.v4.new_markdown_cell("# Demo paper, reproduced\n\nText."),
                      nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
                          "display_data", data={"image/png": _png(), "text/plain": "<Figure>"})]),
                      exercise, answer, nbformat.v4.new_code_cell("print('after')")]
    for folder in ("notebooks", "build/notebooks"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, tmp_path / "build" / "notebooks" / "99_demo.ipynb")
    committed = nbformat.v4.new_notebook()
    committed.cells = [nbformat.v4.new_markdown_cell("# 98 · A later paper")]
    nbformat.write(committed, tmp_path / "notebooks" / "98_later.ipynb")
    nbformat.write(executed, tmp_path / "notebooks" / "99_demo.ipynb")
    return tmp_path


@pytest.fixture
def pages(build, compendium):
    """The generated pages and the rows of the fixture's build."""
    return compendium.site_files(notebooks_dir=build / "notebooks",
                                 executed_dir=build / "build" / "notebooks",
                                 results_dir=build / "build" / "results")


# --- the scorecard's functions -------------------------------------------------------------------------


def test_counts_by_status_and_kind_of_split(build):
    rows = scorecard.load_rows(build / "build" / "results")
    counts = scorecard.scorecard_counts(rows)
    assert list(counts.index) == ["reproduced", "differs", "not run", "total"]
    assert list(counts.columns) == ["paper", "leakage-aware", "total"]
    assert counts.loc["reproduced", "paper"] == 1 and counts.loc["differs", "leakage-aware"] == 1
    assert counts.loc["not run", "paper"] == 1 and counts.loc["total", "total"] == 3
    assert scorecard.status_tally(rows) == "3 numbers: 1 reproduced, 1 differs, 0 not comparable, 1 not run"


def test_display_table_shows_numbers_and_gaps(build):
    table = scorecard.display_table(scorecard.load_rows(build / "build" / "results"))
    assert list(table.columns) == list(scorecard.DISPLAY_COLUMNS)
    assert table["ours"].tolist() == ["98.75", "61", "–"]
    assert table["spread"].tolist()[2] == "–" and table["n"].tolist() == ["2", "2", "0"]
    assert table["status"].tolist() == ["reproduced", "differs", "not run"]


def test_csv_holds_every_row_and_field(build, tmp_path):
    rows = scorecard.load_rows(build / "build" / "results")
    path = scorecard.write_csv(rows, tmp_path / "out" / "scorecard.csv")
    csv = pd.read_csv(path)
    assert list(csv.columns) == ["notebook", *results.ROW_FIELDS]
    assert csv["status"].tolist() == ["reproduced", "differs", "not run"]
    assert set(csv["notebook"]) == {"99_demo"}
    assert not list(path.parent.glob("*.part"))


def test_figure_has_one_point_per_row_with_both_values(build):
    rows = scorecard.load_rows(build / "build" / "results")
    fig = scorecard.scorecard_figure(rows)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 1                                              # one unit: %
    points = sum(len(c.get_offsets()) for c in panels[0].collections)
    assert points == 2                                                   # the row not run has no point
    empty = scorecard.scorecard_figure(rows[rows["status"] == "not run"])
    assert "no number has both" in empty.axes[0].texts[0].get_text()


def test_an_empty_results_folder_says_to_reproduce_first(tmp_path):
    with pytest.raises(ResultsError, match="make reproduce"):
        scorecard.load_rows(tmp_path)


def test_a_typed_status_is_refused(build):
    path = build / "build" / "results" / "99_demo.json"
    payload = json.loads(path.read_text())
    payload["rows"][1]["status"] = "reproduced"
    path.write_text(json.dumps(payload))
    with pytest.raises(ResultsError, match="never typed"):
        scorecard.load_rows(path.parent)


# --- the generated pages -------------------------------------------------------------------------------


def test_answer_cells_are_folded_by_myst_nb_tags(pages, nbformat):
    files, _ = pages
    nb = nbformat.reads(files["notebooks/99_demo.ipynb"].decode(), as_version=4)
    folded = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert len(folded) == 1 and "hide-cell" in folded[0].metadata["tags"]
    assert folded[0].metadata["mystnb"]["code_prompt_show"].startswith("Show the answer")
    others = [c for c in nb.cells if "answer" not in c.metadata.get("tags", [])]
    assert not any("hide-cell" in c.metadata.get("tags", []) for c in others)
    assert folded[0].outputs[0]["text"] == "42\n"                    # the outputs stay as the run left them


def test_executed_notebook_keeps_its_outputs_with_provenance_under_its_title(pages, build, nbformat):
    files, _ = pages
    nb = nbformat.reads(files["notebooks/99_demo.ipynb"].decode(), as_version=4)
    original = nbformat.read(build / "build" / "notebooks" / "99_demo.ipynb", as_version=4)
    assert len(nb.cells) == len(original.cells) + 1
    assert nb.cells[0].source.startswith("# Demo paper") and "Provenance of this run" in nb.cells[1].source
    assert "profile **quick**" in nb.cells[1].source and "run time 12 s" in nb.cells[1].source
    assert nb.cells[2].outputs[0]["data"]["image/png"] == original.cells[1].outputs[0]["data"]["image/png"]


def test_a_notebook_not_executed_gets_a_page_saying_how_to_run_it(pages):
    files, _ = pages
    assert "notebooks/98_later.ipynb" not in files
    page = files["notebooks/98_later.md"].decode()
    assert page.startswith("# 98 · A later paper") and "make reproduce NB=98" in page
    index = files["notebooks/index.md"].decode()
    assert "not executed yet" in index and "(98_later.md)" in index and "(99_demo.ipynb)" in index
    assert "3 numbers: 1 reproduced, 1 differs, 0 not comparable, 1 not run" in index


def test_scorecard_page_lists_every_row_literally(pages):
    files, rows = pages
    assert len(rows) == 3
    page = files["scorecard.md"].decode()
    table = page[page.index("```{list-table}"):]
    assert table.count("\n* - ") == 1 + 3                                # the header and one item per row
    assert ":class: scorecard" in table and "not run: private rig" in table.replace("\\", "")
    assert "accuracy \\| \\*all\\*" in table                             # Markdown in a value stays text
    assert "(scorecard.png)" in page
    image = Image.open(io.BytesIO(files["scorecard.png"]))
    assert image.size[0] > 300 and len(np.unique(np.asarray(image.convert("L")))) > 2


def test_tables_render_their_cells_as_text(compendium):
    frame = pd.DataFrame({"quantity": ["a | b", "*x*_y", "[link](z)"], "n": [1, 2, 3]})
    html = MarkdownIt("commonmark").enable("table").render(compendium.pipe_table(frame))
    assert html.count("<tr>") == 4
    for text in ("a | b", "*x*_y", "[link](z)"):
        assert f"<td>{text}</td>" in html


def test_scorecard_page_without_results_says_to_reproduce(compendium):
    assert "run `make reproduce`" in compendium.scorecard_page(None)


def test_data_page_names_every_data_set_and_licence(pages):
    page = pages[0]["data.md"].decode()
    assert "CC BY\\-NC 4\\.0" in page and page.count("\n| ") == 1 + len(DATASETS)


def test_one_api_page_per_subpackage(pages, compendium):
    files, _ = pages
    api = {path for path in files if path.startswith("api/")}
    top = compendium._public_children("bearingkit")[1]
    assert {f"api/{name.removeprefix('bearingkit.')}.rst" for name in top} <= api
    assert {"api/core.rst", "api/index.md"} <= api
    page = files["api/dsp.rst"].decode()
    modules = compendium._public_children("bearingkit.dsp")[0]
    assert page.count(".. automodule:: bearingkit.dsp.") == len(modules) > 0


def test_sync_writes_changes_only_and_removes_stale_pages(tmp_path, compendium):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "07_gone.ipynb").write_text("{}")
    (tmp_path / "index.md").write_text("# kept")
    files = {"notebooks/index.md": b"# Notebooks", "data.md": b"# Data"}
    assert sorted(compendium.sync_generated(tmp_path, files)) == ["data.md", "notebooks/index.md"]
    assert not (tmp_path / "notebooks" / "07_gone.ipynb").exists() and (tmp_path / "index.md").exists()
    assert compendium.sync_generated(tmp_path, files) == []
    assert compendium.sync_generated(tmp_path, {**files, "data.md": b"# Data, new"}) == ["data.md"]


def test_generated_pages_are_ignored_by_git(compendium):
    ignored = {line.strip("/") for line in (DOCS / ".gitignore").read_text().splitlines()
               if line and not line.startswith("#")}
    assert ignored == set(compendium.GENERATED)
