"""The compendium as a static website, built from what ``make reproduce`` left in ``build/``.

Nothing is executed again: every notebook page is the executed notebook of the last reproduce run, converted
by nbconvert, with the provenance its run collected (:mod:`bearingkit.report.provenance`) above it. The
scorecard reads only the schema rows of ``build/results/*.json`` (:mod:`bearingkit.report.results`), so a
notebook joins the site by writing its rows, with no change here. Pages are plain HTML with inline images and
relative links: they open from the file system and from ``python -m http.server`` alike.

``python -m bearingkit.report.site`` (``make book``) writes ``build/site/`` and ``build/scorecard.csv``.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
from nbconvert import HTMLExporter

from bearingkit import paths
from bearingkit.data.registry import DATASETS
from bearingkit.errors import ResultsError
from bearingkit.report import results

#: The two colours of the scorecard figure: the paper's own split, and every leakage-aware one.
SPLIT_COLOURS = {"paper": "#1f77b4", "leakage-aware": "#d62728"}
STATUS_ORDER = list(results.STATUSES)
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem;
       color: #222; line-height: 1.45; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; font-size: 0.86rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.reproduced td.status { color: #1b7a1b; } tr.differs td.status { color: #b35900; }
tr.not-run td.status { color: #666; } tr.not-comparable td.status { color: #5a4fa3; }
details.provenance { background: #f8f9fa; border: 1px solid #ddd; padding: 0.4rem 0.8rem; margin: 1rem 0; }
details.provenance pre { font-size: 0.78rem; white-space: pre-wrap; }
.filters label { margin-right: 1rem; }
img { max-width: 100%; }
"""
# Reports, when the page is opened with ?check, what a reader would see broken: images that did not load,
# tracebacks, and the scorecard rows present. The browser test reads it from the rendered DOM.
_CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  if (!window.location.search.includes("check")) { return; }
  var images = Array.from(document.images);
  var broken = images.filter(function (im) { return !im.complete || im.naturalWidth === 0; })
                     .map(function (im) { return (im.getAttribute("src") || "").slice(0, 60); });
  var tracebacks = Array.from(document.querySelectorAll("pre, .jp-RenderedText"))
                        .filter(function (el) {
                          return el.textContent.includes("Traceback (most recent call last)"); });
  var report = {images: images.length, broken: broken, tracebacks: tracebacks.length,
                scorecard_rows: document.querySelectorAll("tr.scorecard-row").length};
  var out = document.createElement("pre"); out.id = "bk-check"; out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
});
</script>
"""


def load_rows(results_dir: Path | None = None) -> pd.DataFrame:
    """Every schema row of every ``<notebook>.json``, checked, with a ``notebook`` column.

    Raises
    ------
    ResultsError
        When the folder holds no results file (run ``make reproduce`` first) or a row breaks the schema.
    """
    results_dir = Path(results_dir or paths.RESULTS_DIR)
    files = sorted(results_dir.glob("[0-9][0-9]_*.json"))
    if not files:
        raise ResultsError(f"no results in {results_dir}: run `make reproduce` before `make book`")
    frames = [_rows_frame(json.loads(path.read_text())).assign(notebook=path.stem) for path in files]
    return pd.concat(frames, ignore_index=True)


def _rows_frame(payload: Mapping) -> pd.DataFrame:
    """The schema rows of one results payload, each checked, as a table with the columns of the schema."""
    rows = [results.check_row(r) for r in payload.get("rows", [])]
    return pd.DataFrame(rows, columns=list(results.ROW_FIELDS))


def split_kind(split: str) -> str:
    """``"paper"`` for the paper's own protocol, ``"leakage-aware"`` for every named alternative."""
    return "paper" if split == results.PAPER_SPLIT else "leakage-aware"


def scorecard_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows counted by status and by kind of split (paper / leakage-aware), with totals."""
    kinds = rows["split"].map(split_kind)
    counts = pd.crosstab(rows["status"], kinds, margins=True, margins_name="total")
    order = [s for s in STATUS_ORDER if s in counts.index] + ["total"]
    return counts.reindex(order)


def scorecard_figure(rows: pd.DataFrame):
    """Ours against the paper's value for every number that has both, by kind of split, per unit.

    Points on the diagonal reproduce; the gap between the blue (paper split) and red (leakage-aware) clouds is
    what the paper's protocol adds. Hollow markers are simulated data (a private rig stood in for).
    """
    both = rows.dropna(subset=["paper_value", "ours_mean"])
    units = sorted(both["unit"].unique()) or ["%"]
    n_cols = min(3, len(units))
    n_rows = -(-len(units) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(5.0 * n_cols, 4.4 * n_rows), squeeze=False)
    for ax in axes.flat[len(units):]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units, strict=False):
        part = both[both["unit"] == unit]
        for kind, colour in SPLIT_COLOURS.items():
            for data_kind, face in (("real", colour), ("simulated", "none")):
                sel = part[(part["split"].map(split_kind) == kind) & (part["data_kind"] == data_kind)]
                if sel.empty:
                    continue
                ax.scatter(sel["paper_value"], sel["ours_mean"], s=22, facecolors=face, edgecolors=colour,
                           label=f"{kind} split, {data_kind} ({len(sel)})")
        values = pd.concat([part["paper_value"], part["ours_mean"]])
        if not values.empty:
            low, high = float(values.min()), float(values.max())
            pad = 0.05 * (high - low or 1.0)
            ax.plot([low - pad, high + pad], [low - pad, high + pad], color="0.5", lw=0.8, ls="--")
        ax.set_xlabel(f"paper ({unit})")
        ax.set_ylabel(f"ours ({unit})")
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Every reproduced number: ours against the paper's")
    fig.tight_layout()
    return fig


def _png_data_uri(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _page(title: str, body: str, *, depth: int = 0) -> str:
    up = "../" * depth
    nav = (f'<nav><a href="{up}index.html">Compendium</a><a href="{up}scorecard.html">Scorecard</a></nav>')
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title><style>{_STYLE}</style></head><body>{nav}{body}{_CHECK_SCRIPT}</body></html>\n")


def provenance_block(meta: Mapping) -> str:
    """The provenance a run collected, as a collapsible block: profile, seed, run time, commit, data."""
    prov = meta.get("provenance") or {}
    commit = prov.get("commit") or "unknown"
    dirty = {True: " (working tree dirty)", False: "", None: ""}[prov.get("dirty")]
    runtime = meta.get("runtime_s")
    hardware = prov.get("hardware") or {}
    profile, seed = html.escape(str(meta.get("profile"))), html.escape(str(meta.get("seed")))
    summary = f"profile <b>{profile}</b>, seed {seed}"
    if isinstance(runtime, int | float):
        summary += f", run time {runtime:.0f} s"
    detail = json.dumps({"commit": commit + dirty, "collected_utc": prov.get("collected_utc"),
                         "hardware": hardware, "data_files": prov.get("data_files", {}),
                         "packages": prov.get("packages", {})}, indent=1)
    return (f'<details class="provenance"><summary>Provenance: {summary}; commit <code>{commit[:12]}</code>'
            f"{dirty}</summary><pre>{html.escape(detail)}</pre></details>")


def _cell(value, *, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return '<td class="num">–</td>'
    if isinstance(value, float):
        return f'<td class="num">{value:.{digits}f}</td>'
    return f'<td class="num">{value}</td>'


def scorecard_table_html(rows: pd.DataFrame) -> str:
    """The scorecard as a plain table, one ``tr.scorecard-row`` per row, filtered by paper, split, status."""
    def options(column: str) -> str:
        values = sorted(rows[column].unique())
        return "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)

    filters = "".join(
        f'<label>{column} <select data-filter="{column}"><option value="">all</option>'
        f"{options(column)}</select></label>" for column in ("paper", "split", "status"))
    header = ("<tr><th>paper</th><th>item</th><th>quantity</th><th>data set</th><th>data</th><th>split</th>"
              "<th>paper's value</th><th>ours</th><th>spread</th><th>n</th><th>tolerance</th><th>unit</th>"
              "<th>status</th><th>reason</th></tr>")
    body = []
    for r in rows.itertuples(index=False):
        attrs = (f'class="scorecard-row {r.status.replace(" ", "-")}" data-paper="{html.escape(r.paper)}" '
                 f'data-split="{html.escape(r.split)}" data-status="{html.escape(r.status)}"')
        body.append(f"<tr {attrs}><td>{html.escape(r.paper)}</td><td>{html.escape(r.item)}</td>"
                    f"<td>{html.escape(r.quantity)}</td><td>{html.escape(r.dataset)}</td>"
                    f"<td>{html.escape(r.data_kind)}</td><td>{html.escape(r.split)}</td>"
                    f"{_cell(r.paper_value)}{_cell(r.ours_mean)}{_cell(r.ours_spread)}{_cell(r.n)}"
                    f"{_cell(r.tolerance)}<td>{html.escape(r.unit)}</td>"
                    f'<td class="status">{html.escape(r.status)}</td><td>{html.escape(r.reason)}</td></tr>')
    script = """<script>
document.querySelectorAll("select[data-filter]").forEach(function (sel) {
  sel.addEventListener("change", function () {
    var chosen = {};
    document.querySelectorAll("select[data-filter]").forEach(function (s) {
      chosen[s.dataset.filter] = s.value; });
    document.querySelectorAll("tr.scorecard-row").forEach(function (tr) {
      var show = Object.keys(chosen).every(function (k) {
        return !chosen[k] || tr.dataset[k] === chosen[k]; });
      tr.style.display = show ? "" : "none";
    });
  });
});
</script>"""
    return (f'<div class="filters">{filters}</div><table id="scorecard">{header}{"".join(body)}</table>'
            f"{script}")


def notebook_title(nb) -> str:
    """The first markdown heading of a notebook, without its ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "untitled notebook"


def error_outputs(nb) -> int:
    """How many error outputs an executed notebook holds."""
    return sum(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))


#: Cell tags whose cells the site folds, and the summary line shown in their place.
FOLDED_TAGS: Mapping[str, str] = {"answer": "Answer (try the exercise first; click to show)"}
_DIV = re.compile(r"<div\b|</div>")


def fold_tagged_cells(body: str, *, tag: str, summary: str) -> str:
    """Wrap every cell of nbconvert's lab HTML that carries ``tag`` in a closed ``<details>`` element.

    nbconvert marks a tagged cell's ``<div class="jp-Cell ...">`` with the class ``celltag_<tag>``; the cell
    ends at the ``</div>`` that closes that div. Input and outputs fold together.
    """
    opening = re.compile(r'<div\b[^>]*class="[^"]*\bjp-Cell\b[^"]*\bcelltag_' + re.escape(tag)
                         + r'\b[^"]*"[^>]*>')
    starts = [m.start() for m in opening.finditer(body)]
    for start in reversed(starts):
        depth = 0
        for token in _DIV.finditer(body, start):
            depth += 1 if token.group() == "<div" else -1
            if depth == 0:
                end = token.end()
                break
        else:
            raise ResultsError(f"a cell tagged {tag!r} never closes its <div>: the HTML is malformed")
        body = (body[:start] + f'<details class="celltag-{html.escape(tag)}"><summary>{html.escape(summary)}'
                f"</summary>" + body[start:end] + "</details>" + body[end:])
    return body


def notebook_page(executed: Path, meta: Mapping) -> str:
    """One executed notebook as HTML (nbconvert, images inline, nothing re-executed), provenance on top.

    Cells tagged with a key of :data:`FOLDED_TAGS` (the primer's exercise answers) are folded.
    """
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    for tag, summary in FOLDED_TAGS.items():
        body = fold_tagged_cells(body, tag=tag, summary=summary)
    block = provenance_block(meta)
    head_end = body.index("<body")
    body_start = body.index(">", head_end) + 1
    nav = ('<nav style="margin:1rem"><a href="../index.html">Compendium</a>'
           '<a href="../scorecard.html">Scorecard</a></nav>')
    return (body[:body_start] + nav + f'<div style="margin:0 1rem">{block}</div>' + body[body_start:]
            ).replace("</body>", _CHECK_SCRIPT + "</body>")


def _datasets_table() -> str:
    rows = "".join(f"<tr><td>{html.escape(d.name)}</td><td><a href=\"{html.escape(d.url)}\">"
                   f"{html.escape(d.publisher)}</a></td><td>{html.escape(d.licence)}</td></tr>"
                   for d in DATASETS.values())
    return f"<table><tr><th>data set</th><th>source</th><th>licence</th></tr>{rows}</table>"


def index_page(notebooks: Mapping[str, dict], counts: pd.DataFrame) -> str:
    """The entry page: what each notebook reproduces, the data and their licences, the two commands."""
    items = []
    for stem, info in notebooks.items():
        by_status = info["rows"]["status"].value_counts().to_dict()
        tally = ", ".join(f"{by_status.get(s, 0)} {s}" for s in STATUS_ORDER)
        items.append(f'<li><a href="notebooks/{stem}.html">{html.escape(info["title"])}</a> '
                     f"(<code>{stem}</code>): {len(info['rows'])} reproduced numbers: {tally}."
                     f"{provenance_block(info['meta'])}</li>")
    body = (
        "<h1>bearingkit: machine-learning diagnosis of rolling-bearing faults, reproduced</h1>"
        "<p>One executable notebook per paper, each regenerating the paper's tables and figures on real, "
        "checksummed vibration data, the published numbers beside ours; every notebook also reports a "
        "leakage-aware split. Numbers on simulated data stand in for private rigs and are labelled so.</p>"
        "<h2>Run it yourself</h2><pre>make reproduce   # set up .venv, run every notebook (quick profile)\n"
        "make test        # the test suite, notebooks included</pre>"
        f"<h2>Notebooks</h2><ul>{''.join(items)}</ul>"
        f'<h2>What reproduces</h2>{counts.to_html(border=0)}<p><a href="scorecard.html">The scorecard</a>: '
        "every number, with filters.</p>"
        f"<h2>Data</h2>{_datasets_table()}"
    )
    return _page("bearingkit compendium", body)


def _read_runs(notebooks_dir: Path, results_dir: Path) -> dict[str, dict]:
    runs = {}
    for executed in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        path = results_dir / f"{executed.stem}.json"
        if not path.exists():
            raise ResultsError(f"{executed.name} has no results file {path}: run `make reproduce` again")
        payload = json.loads(path.read_text())
        runs[executed.stem] = {"executed": executed, "meta": payload.get("meta", {}),
                               "rows": _rows_frame(payload),
                               "title": notebook_title(nbformat.read(executed, as_version=4))}
    if not runs:
        raise ResultsError(f"no executed notebooks in {notebooks_dir}: run `make reproduce` first")
    return runs


def build_site(*, notebooks_dir: Path | None = None, results_dir: Path | None = None,
               out_dir: Path | None = None, scorecard_csv: Path | None = None) -> Path:
    """Write the site and the scorecard CSV; return the index page.

    Parameters
    ----------
    notebooks_dir, results_dir : Path or None
        The executed notebooks and their results files (default ``build/notebooks``, ``build/results``).
    out_dir : Path or None
        Where the site goes (default ``build/site``).
    scorecard_csv : Path or None
        The scorecard as CSV (default ``build/scorecard.csv``).

    Raises
    ------
    ResultsError
        No executed notebook, a notebook without its results file, or a row that breaks the schema.
    """
    notebooks_dir = Path(notebooks_dir or paths.BUILD_DIR / "notebooks")
    results_dir = Path(results_dir or paths.RESULTS_DIR)
    out_dir = Path(out_dir or paths.BUILD_DIR / "site")
    scorecard_csv = Path(scorecard_csv or paths.BUILD_DIR / "scorecard.csv")
    runs = _read_runs(notebooks_dir, results_dir)
    rows = pd.concat([info["rows"].assign(notebook=stem) for stem, info in runs.items()], ignore_index=True)
    counts = scorecard_counts(rows)
    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    scorecard_csv.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(scorecard_csv, index=False)
    for stem, info in runs.items():
        (out_dir / "notebooks" / f"{stem}.html").write_text(notebook_page(info["executed"], info["meta"]))
    figure = _png_data_uri(scorecard_figure(rows))
    provenance = "".join(f"<h3>{stem}</h3>{provenance_block(info['meta'])}" for stem, info in runs.items())
    scorecard_body = (f"<h1>Scorecard: what reproduces?</h1>{counts.to_html(border=0)}"
                      f'<p><img src="{figure}" alt="ours against the paper for every number"></p>'
                      f"{scorecard_table_html(rows)}<h2>Provenance</h2>{provenance}")
    (out_dir / "scorecard.html").write_text(_page("Scorecard", scorecard_body))
    index = out_dir / "index.html"
    index.write_text(index_page(runs, counts))
    return index


def main(argv: list[str] | None = None) -> int:
    """``python -m bearingkit.report.site``: build the site from ``build/`` and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output folder (default build/site)")
    args = parser.parse_args(argv)
    try:
        index = build_site(out_dir=args.out)
    except ResultsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"site: {index}  (open it, or: python -m http.server -d {index.parent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
