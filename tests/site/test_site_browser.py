"""The site (Sphinx, ``make book``) built from the notebooks this test session executed, opened page by page
in headless Chromium.

Chromium is Debian's ``chromium`` (``.ci/run`` installs it). Without it the test is skipped, unless
``BEARINGKIT_REQUIRE_BROWSER=1`` (CI sets it), where its absence fails the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bearingkit import paths
from bearingkit.dsp import spectral
from bearingkit.report import scorecard

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(3600)]
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
DOCS = paths.PROJ_ROOT / "docs"
#: Where a Sphinx warning may come from without failing the site: a docstring of the package (numpydoc's
#: citations are located on the API page) or a notebook's own text. Any other warning, and an API page that
#: cannot import a module or link a page, is one of the site's own pages breaking.
REPORTED_ONLY = re.compile(r"docstring of |/api/[\w.]+\.rst:|/notebooks/\d\d_\w+\.ipynb:")
SITE_BREAKING = re.compile(r"\[(autodoc|autosummary|toc)[\].]")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("BEARINGKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    return found


def _browse(browser: str, url: str, profile: Path, *extra: str) -> str:
    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=8000",
               *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _page_check(browser: str, page: Path, profile: Path) -> dict:
    """The page's own report of what it shows (docs/_static/page_check.js), read from the rendered DOM."""
    dom = _browse(browser, page.as_uri() + "?check=1", profile, "--dump-dom")
    found = re.search(r'<pre id="bk-check"[^>]*>([^<]*)</pre>', dom)
    assert found, f"{page.name}: the page's check did not run"
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


@pytest.fixture(scope="module")
def built_site(run_notebook, tmp_path_factory):
    """Every notebook run once (in its test profile); the site built from those runs as ``make book`` builds
    it, from a copy of docs/ into a temporary folder, with the runs in a build folder of its own."""
    root = tmp_path_factory.mktemp("book")
    build = root / "build"
    (build / "notebooks").mkdir(parents=True)
    (build / "results").mkdir()
    for stem in NOTEBOOKS:
        run = run_notebook(stem)
        shutil.copy(run.executed, build / "notebooks" / f"{stem}.ipynb")
        (build / "results" / f"{stem}.json").write_text(json.dumps(run.results))
    shutil.copytree(DOCS, root / "docs")      # its generated pages are made again from this build
    env = {**os.environ, "BEARINGKIT_BUILD_DIR": str(build), "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(build / "doctrees"),
                    "-w", str(build / "site-warnings.txt"), str(root / "docs"), str(build / "site")],
                   env=env, check=True, timeout=1800)
    return build


def _images_of(page: Path) -> list[Path]:
    sources = re.findall(r'<img [^>]*src="([^"]+\.png)"', page.read_text())
    return [(page.parent / src).resolve() for src in sources]


def _image_outputs(executed: Path) -> int:
    import nbformat  # here, not at collection: its schema validator compiles a grammar at import (seconds)

    nb = nbformat.read(executed, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def _answer_cells(executed: Path) -> int:
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    return sum("answer" in c.metadata.get("tags", []) for c in nb.cells)


def test_every_page_renders_without_errors_broken_or_blank_figures(built_site, tmp_path):
    browser = _chromium()
    site = built_site / "site"
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    names = {p.relative_to(site).as_posix() for p in pages}
    assert {"index.html", "scorecard.html", "data.html", "notebooks/index.html", "api/index.html",
            *(f"notebooks/{stem}.html" for stem in NOTEBOOKS)} <= names
    n_rows = len(scorecard.load_rows(built_site / "results"))
    for page in pages:
        name = page.relative_to(site).as_posix()
        report = _page_check(browser, page, tmp_path / "profile")
        assert report["broken"] == [], f"{name}: broken images {report['broken']}"
        assert report["errors"] == 0, f"{name}: an error output is shown"
        if not name.startswith("api/"):                # docstrings' own markup errors are reported, not fatal
            assert report["system_messages"] == 0, f"{name}: a reST/MyST error is shown"
        if name == "scorecard.html":
            assert report["scorecard_rows"] == n_rows
        for image in _images_of(page):
            pixels = np.asarray(Image.open(image).convert("RGB"))
            colours = np.unique(pixels.reshape(-1, 3), axis=0)
            assert len(colours) > 2 and pixels.std() > 1.0, f"{name}: figure {image.name} is blank"
        if name.startswith("notebooks/") and page.stem in NOTEBOOKS:
            executed = built_site / "notebooks" / f"{page.stem}.ipynb"
            assert report["images"] >= _image_outputs(executed) > 0, f"{name}: figures missing"
            answers = report["answers"]
            assert len(answers) == _answer_cells(executed), f"{name}: an answer cell is not folded"
            for k, answer in enumerate(answers):
                assert answer["folded"] and not answer["open"], f"{name}: answer {k} is not folded"
                assert answer["hidden"] and answer["shown_when_opened"], f"{name}: answer {k} shows too early"


def test_the_primer_folds_its_exercise_answers(built_site):
    primer = next(stem for stem in NOTEBOOKS if stem.startswith("00_"))
    assert _answer_cells(built_site / "notebooks" / f"{primer}.ipynb") > 0
    page = (built_site / "site" / "notebooks" / f"{primer}.html").read_text()
    assert page.count("Show the answer (try the exercise first)") == _answer_cells(
        built_site / "notebooks" / f"{primer}.ipynb")


def test_api_pages_document_every_subpackage(built_site):
    api = built_site / "site" / "api"
    packages = sorted(p.parent.name for p in (paths.PROJ_ROOT / "src" / "bearingkit").glob("*/__init__.py"))
    for package in packages:                  # a package's page, or those of its own subpackages (papers)
        pages = [api / f"{package}.html", *api.glob(f"{package}.*.html")]
        documented = sum(page.read_text().count('<dl class="py ') for page in pages)
        assert documented > 0, f"api/{package}.html documents nothing"
    dsp = (api / "dsp.html").read_text()
    assert all(f'id="bearingkit.dsp.spectral.{name}"' in dsp for name in spectral.__all__)


def test_only_docstrings_and_notebook_text_may_warn(built_site):
    warnings = [line for line in (built_site / "site-warnings.txt").read_text().splitlines()
                if re.search(r"(WARNING|ERROR|CRITICAL):", line)]
    own = [line for line in warnings if not REPORTED_ONLY.search(line) or SITE_BREAKING.search(line)]
    assert own == [], "the site's own pages warn:\n" + "\n".join(own)


def test_screenshots_of_index_and_scorecard(built_site, tmp_path):
    browser = _chromium()
    for name in ("index", "scorecard"):
        target = paths.BUILD_DIR / f"screenshot_{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        _browse(browser, (built_site / "site" / f"{name}.html").as_uri(), tmp_path / name,
                f"--screenshot={target}", "--window-size=1280,1600", "--hide-scrollbars")
        shot = np.asarray(Image.open(target).convert("RGB"))
        assert shot.shape[:2] == (1600, 1280) and shot.std() > 5.0, f"{name}: blank screenshot"


def test_every_scorecard_row_is_in_the_csv(built_site):
    rows = scorecard.load_rows(built_site / "results")
    csv = (built_site / "scorecard.csv").read_text().splitlines()
    assert len(csv) == len(rows) + 1
    assert set(rows["notebook"]) == set(NOTEBOOKS)
