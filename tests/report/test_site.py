"""The site builder on a results folder and an executed notebook the test writes itself."""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from bearingkit.errors import ResultsError
from bearingkit.report import results, site

ROW = {"paper": "sedira2026", "item": "Table 7", "dataset": "CWRU", "data_kind": "real", "paper_value": 99.0,
       "tolerance": 2.0}


def _png() -> str:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@pytest.fixture
def build(tmp_path, monkeypatch):
    """A build folder with one executed notebook (one figure) and its results: 3 rows, 3 statuses."""
    monkeypatch.setattr(results.paths, "RESULTS_DIR", tmp_path / "results")
    rows = [results.row(**ROW, quantity="accuracy, Hybrid, OR", split="paper", ours=[98.0, 99.5]),
            results.row(**ROW, quantity="accuracy, Hybrid, OR", split="cross-load", ours=[60.0, 62.0]),
            results.row(**{**ROW, "data_kind": "simulated", "dataset": "axial rig"}, quantity="accuracy",
                        split="paper", ours=None, reason="not run: private rig")]
    results.write_results("99_demo", rows, meta={"profile": "quick", "seed": 0, "runtime_s": 12.0})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo paper, reproduced\n\nText."),
                nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
                    "display_data", data={"image/png": _png(), "text/plain": "<Figure>"})])]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "99_demo.ipynb")
    return tmp_path


def test_site_pages_scorecard_and_csv(build):
    index = site.build_site(notebooks_dir=build / "notebooks", results_dir=build / "results",
                            out_dir=build / "site", scorecard_csv=build / "scorecard.csv")
    text = index.read_text()
    assert "Demo paper, reproduced" in text and "make reproduce" in text and "CC BY-NC 4.0" in text
    scorecard = (build / "site" / "scorecard.html").read_text()
    assert scorecard.count('class="scorecard-row') == 3
    assert 'data-status="not run"' in scorecard and "not run: private rig" in scorecard
    page = (build / "site" / "notebooks" / "99_demo.html").read_text()
    assert "Provenance" in page and "profile <b>quick</b>" in page and "data:image/png;base64" in page
    csv = pd.read_csv(build / "scorecard.csv")
    assert csv["status"].tolist() == ["reproduced", "differs", "not run"]
    assert set(csv["notebook"]) == {"99_demo"}


def test_counts_by_status_and_kind_of_split(build):
    rows = site.load_rows(build / "results")
    counts = site.scorecard_counts(rows)
    assert counts.loc["reproduced", "paper"] == 1
    assert counts.loc["differs", "leakage-aware"] == 1
    assert counts.loc["not run", "paper"] == 1
    assert counts.loc["total", "total"] == 3


def test_a_notebook_without_results_is_refused(build):
    (build / "results" / "99_demo.json").unlink()
    with pytest.raises(ResultsError, match="has no results file"):
        site.build_site(notebooks_dir=build / "notebooks", results_dir=build / "results", out_dir=build / "s")


def test_an_empty_build_says_to_reproduce_first(tmp_path):
    with pytest.raises(ResultsError, match="make reproduce"):
        site.build_site(notebooks_dir=tmp_path, results_dir=tmp_path, out_dir=tmp_path / "s")


def test_answer_cells_are_folded_with_their_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("print(42)", outputs=[nbformat.v4.new_output("stream", text="42\n")])
    answer.metadata["tags"] = ["answer"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Exercises\n\n**Exercise 1.** What is 6 x 7?"), answer,
                nbformat.v4.new_code_cell("print('after')")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    page = site.notebook_page(path, {"profile": "quick", "seed": 0, "runtime_s": 1.0})
    assert page.count('<details class="celltag-answer">') == 1
    folded = page[page.index('<details class="celltag-answer">'):page.index("</details>", page.index(
        '<details class="celltag-answer">'))]
    assert "print" in folded and "42" in folded            # input and output fold together
    assert "after" not in folded and "Exercise 1" not in folded
    assert page.index("Exercise 1") < page.index('<details class="celltag-answer">')


def test_fold_tagged_cells_refuses_unclosed_html():
    with pytest.raises(ResultsError, match="never closes"):
        site.fold_tagged_cells('<div class="jp-Cell celltag_answer"><div></div>', tag="answer", summary="A")
