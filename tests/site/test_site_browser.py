"""The site built from a quick-profile run, opened page by page in headless Chromium.

Chromium is Debian's ``chromium`` (``.ci/run`` installs it). Without it the test is skipped, unless
``BEARINGKIT_REQUIRE_BROWSER=1`` (CI sets it), where its absence fails the run.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bearingkit import paths
from bearingkit.report import site

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(3600)]
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


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
    """The page's own report of what it shows (see ``bearingkit.report.site``), read from the rendered DOM."""
    dom = _browse(browser, page.as_uri() + "?check=1", profile, "--dump-dom")
    found = re.search(r'<pre id="bk-check">([^<]*)</pre>', dom)
    assert found, f"{page.name}: the page's check did not run"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def built_site(run_notebook, tmp_path_factory):
    """Every notebook run once (quick), the site built from those runs in a temporary build folder."""
    build = tmp_path_factory.mktemp("build")
    (build / "notebooks").mkdir()
    (build / "results").mkdir()
    for stem in NOTEBOOKS:
        run = run_notebook(stem)
        shutil.copy(run.executed, build / "notebooks" / f"{stem}.ipynb")
        (build / "results" / f"{stem}.json").write_text(json.dumps(run.results))
    site.build_site(notebooks_dir=build / "notebooks", results_dir=build / "results", out_dir=build / "site",
                    scorecard_csv=build / "scorecard.csv")
    return build


def _images(html: str) -> list[np.ndarray]:
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
            for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def test_every_page_renders_without_errors_broken_or_blank_figures(built_site, tmp_path):
    browser = _chromium()
    pages = [built_site / "site" / "index.html", built_site / "site" / "scorecard.html",
             *sorted((built_site / "site" / "notebooks").glob("*.html"))]
    assert len(pages) == 2 + len(NOTEBOOKS)
    n_rows = len(site.load_rows(built_site / "results"))
    for page in pages:
        report = _page_check(browser, page, tmp_path / "profile")
        assert report["broken"] == [], f"{page.name}: broken images {report['broken']}"
        assert report["tracebacks"] == 0, f"{page.name}: an error output is shown"
        if page.name == "scorecard.html":
            assert report["scorecard_rows"] == n_rows
        for k, image in enumerate(_images(page.read_text())):
            colours = np.unique(image.reshape(-1, 3), axis=0)
            assert len(colours) > 2 and image.std() > 1.0, f"{page.name}: figure {k} is empty or one colour"
        if page.parent.name == "notebooks":
            run_images = len(_images(page.read_text()))
            assert report["images"] >= run_images > 0, f"{page.name}: figures missing"


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
    rows = site.load_rows(built_site / "results")
    csv = (built_site / "scorecard.csv").read_text().splitlines()
    assert len(csv) == len(rows) + 1
    assert set(rows["notebook"]) == set(NOTEBOOKS)
