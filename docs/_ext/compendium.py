"""The pages of the site that come from the last ``make reproduce`` and from the package, written before
Sphinx reads its sources.

When the builder starts, :func:`site_files` makes, from ``build/`` (``bearingkit.paths.BUILD_DIR``, which
``BEARINGKIT_BUILD_DIR`` moves) and the package, every generated page of the source folder
(:data:`GENERATED`, ignored by git):

``notebooks/<stem>.ipynb``
    The executed notebook as the last run left it, never executed again (``nb_execution_mode = "off"``), with
    the provenance of its run below its title and every exercise answer (a cell tagged ``answer``) tagged
    ``hide-cell`` for myst-nb, which folds input and output behind a "show" prompt. The notebook files under
    ``notebooks/`` are never touched: the tags go on this copy.
``notebooks/<stem>.md``
    For a notebook not executed yet: how to run it.
``notebooks/index.md``, ``scorecard.md``, ``scorecard.png``, ``data.md``
    What each notebook reproduces; every results row, the paper's value beside ours
    (:mod:`bearingkit.report.scorecard`); the data sets and their licences.
``api/index.md``, ``api/<subpackage>.md``
    One page per subpackage, from the NumPy-style docstrings (autodoc + autosummary + numpydoc).

:func:`sync_generated` writes only the files whose content changed and removes the generated files no longer
made, so Sphinx rereads only what the run changed. ``build/scorecard.csv`` is written beside.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import io
import json
import pkgutil
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd

from bearingkit import paths
from bearingkit.data.registry import DATASETS
from bearingkit.report import scorecard

__all__ = ["ANSWER_PROMPTS", "GENERATED", "answers_folded", "api_pages", "data_page", "notebook_title",
           "notebooks_page", "pending_page", "provenance_markdown", "scorecard_page", "setup", "site_files",
           "sync_generated", "with_provenance"]

#: What the site generates in its source folder: folders and files, all ignored by git (``docs/.gitignore``).
GENERATED = ("notebooks", "api", "scorecard.md", "scorecard.png", "data.md")
#: Cell tags of the notebooks whose cells the site folds, with the prompts of the fold (shown, hidden).
ANSWER_PROMPTS: Mapping[str, tuple[str, str]] = {
    "answer": ("Show the answer (try the exercise first)", "Hide the answer"),
}
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: object) -> str:
    """``text`` as literal Markdown on one line: each ASCII punctuation mark escaped by a backslash."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def pipe_table(frame: pd.DataFrame) -> str:
    """A Markdown pipe table of ``frame`` (its index as first column when named), every cell literal."""
    frame = frame.reset_index() if frame.index.name else frame
    lines = ["| " + " | ".join(escape_markdown(c) for c in frame.columns) + " |",
             "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(escape_markdown(v) for v in values) + " |" for values in frame.to_numpy()]
    return "\n".join(lines)


def list_table(frame: pd.DataFrame, *, name: str, classes: str) -> str:
    """A MyST ``list-table`` of ``frame``: a header row, every cell literal, ``name`` and CSS ``classes``."""
    rows = [list(frame.columns), *frame.to_numpy().tolist()]
    body = "\n".join("* " + "\n".join(f"{'  ' if k else ''}- {escape_markdown(v) or ' '}"
                                      for k, v in enumerate(values)) for values in rows)
    return f"```{{list-table}}\n:header-rows: 1\n:name: {name}\n:class: {classes}\n\n{body}\n```"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The first Markdown heading of a notebook, without its ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Untitled notebook"


def answers_folded(nb: nbformat.NotebookNode,
                   prompts: Mapping[str, tuple[str, str]] = ANSWER_PROMPTS) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose cells tagged with a key of ``prompts`` are also tagged ``hide-cell``, with that
    tag's prompts (myst-nb's ``code_prompt_show`` / ``code_prompt_hide`` cell metadata)."""
    folded = copy.deepcopy(nb)
    for cell in folded.cells:
        tags = cell.metadata.get("tags", [])
        for tag in (t for t in tags if t in prompts):
            show, hide = prompts[tag]
            cell.metadata["tags"] = [*tags, "hide-cell"]
            cell.metadata["mystnb"] = {**cell.metadata.get("mystnb", {}), "code_prompt_show": show,
                                       "code_prompt_hide": hide}
    return folded


def provenance_markdown(meta: Mapping) -> str:
    """The run a results file records, as Markdown: profile, seed, run time, commit, and the full provenance
    (hardware, data files with their sha256, package versions) in a folded block."""
    prov = meta.get("provenance") or {}
    commit = str(prov.get("commit") or "unknown")
    dirty = " (working tree dirty)" if prov.get("dirty") else ""
    runtime = meta.get("runtime_s")
    summary = [f"profile **{escape_markdown(meta.get('profile'))}**",
               f"seed {escape_markdown(meta.get('seed'))}"]
    if isinstance(runtime, int | float):
        summary.append(f"run time {runtime:.0f} s")
    summary.append(f"commit `{commit[:12]}`{dirty}")
    summary.append(f"collected {escape_markdown(prov.get('collected_utc') or 'at an unknown time')}")
    detail = json.dumps({key: prov.get(key) for key in ("commit", "hardware", "data_files", "packages")},
                        indent=1, sort_keys=True)
    return (f"**Provenance of this run**: {', '.join(summary)}.\n\n"
            f'<details class="provenance"><summary>Hardware, data files (sha256) and package versions'
            f"</summary><pre>{html.escape(detail)}</pre></details>\n")


def with_provenance(nb: nbformat.NotebookNode, meta: Mapping | None) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a Markdown cell after its first cell (the title) saying which run made it."""
    text = provenance_markdown(meta) if meta else "**Provenance**: this run wrote no results file."
    cell = nbformat.v4.new_markdown_cell(text, id="bearingkit-provenance")
    marked = copy.deepcopy(nb)
    marked.cells.insert(min(1, len(marked.cells)), cell)
    return marked


def pending_page(stem: str, title: str) -> str:
    """The page of a notebook the last ``make reproduce`` did not execute: what it is and how to run it."""
    return (f"# {escape_markdown(title)}\n\n"
            f"This notebook (`notebooks/{stem}.ipynb`) has not been executed yet, so there is nothing to "
            "show. Run it, then build the site again:\n\n"
            f"```console\nmake reproduce NB={stem[:2]}\nmake book\n```\n")


def notebooks_page(entries: Iterable[Mapping]) -> str:
    """The notebooks' page: for each, its title (a link), what its rows say, and a toctree of the pages.

    ``entries`` are mappings with ``stem``, ``title``, ``executed`` (bool) and ``rows`` (a table, or None
    when the run wrote no results file).
    """
    entries = list(entries)
    lines = ["# Notebooks", "",
             "Each page is the notebook as the last `make reproduce` executed it: nothing runs again to "
             "build this site. The exercise answers of the primer are folded: try first, then open them.", ""]
    for entry in entries:
        if not entry["executed"]:
            state = f"not executed yet (`make reproduce NB={entry['stem'][:2]}`)"
        elif entry["rows"] is None:
            state = "executed; no results file"
        else:
            state = scorecard.status_tally(entry["rows"])
        page = f"{entry['stem']}.{'ipynb' if entry['executed'] else 'md'}"
        lines.append(f"- [{escape_markdown(entry['title'])}]({page}) (`{entry['stem']}`): {state}.")
    toctree = "\n".join(entry["stem"] for entry in entries)
    lines += ["", f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toctree}\n```", ""]
    return "\n".join(lines)


def scorecard_page(rows: pd.DataFrame | None, *, figure: str = "scorecard.png") -> str:
    """The scorecard page: counts by status and kind of split, the figure, and every row (``rows`` None: a
    page that says to run the notebooks first)."""
    lines = ["---", "html_theme.sidebar_secondary.remove: true", "---", "# Scorecard: what reproduces?", "",
             "Every number the notebooks reproduce, one row each, read from `build/results/<notebook>.json` "
             "(also in `build/scorecard.csv`). The status is computed from the paper's value, ours and the "
             "tolerance the notebook states: *reproduced* within it, *differs* outside it, *not comparable* "
             "when our data or method differ from the paper's, *not run* when we have no number (the reason "
             "says why).", ""]
    if rows is None or rows.empty:
        return "\n".join([*lines, "No results yet: run `make reproduce`, then `make book`.", ""])
    lines += ["## Counts", "", pipe_table(scorecard.scorecard_counts(rows).rename_axis("status")), "",
              f"![Ours against the paper's value for every number that has both]({figure})", "",
              "## Every number", "",
              list_table(scorecard.display_table(rows), name="scorecard-table", classes="scorecard"), ""]
    return "\n".join(lines)


def data_page(datasets: Mapping = DATASETS) -> str:
    """The data sets, who publishes them, and under which licence (``bearingkit.data.registry``)."""
    table = pd.DataFrame([{"data set": d.name, "publisher": d.publisher, "source": d.url,
                           "licence": d.licence} for d in datasets.values()])
    return ("# Data\n\nEvery file is fetched from its public source (or a mirror) and checked against the "
            "sha256 pinned in the package's registry; none is part of the repository.\n\n"
            f"{pipe_table(table)}\n")


def _public_children(package: str) -> tuple[list[str], list[str]]:
    """The public modules and subpackages of ``package`` (no leading underscore, no ``__main__``), found
    without importing them."""
    locations = importlib.util.find_spec(package).submodule_search_locations
    found = [m for m in pkgutil.iter_modules(locations) if not m.name.startswith("_")]
    return ([f"{package}.{m.name}" for m in found if not m.ispkg],
            [f"{package}.{m.name}" for m in found if m.ispkg])


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text), ""]


def _api_page(title: str, package: str, modules: list[str], subpackages: list[str], *, root: str) -> str:
    """One API page in reStructuredText (autodoc's footnotes and citations need the rST parser): the package's
    docstring, a summary table of its modules and subpackages (each subpackage has its own page), and each
    module's public members (its ``__all__``)."""
    relative = [name.removeprefix(f"{package}.") for name in [*modules, *subpackages]]
    lines = [*_heading(title, "="), f".. automodule:: {package}", "   :no-members:", "",
             f".. currentmodule:: {package}", "", ".. autosummary::", "", *(f"   {r}" for r in relative), ""]
    if subpackages:
        pages = [name.removeprefix(f"{root}.") for name in subpackages]
        lines += [".. toctree::", "   :hidden:", "", *(f"   {page}" for page in pages), ""]
    for module in modules:
        lines += [*_heading(module, "-"), f".. automodule:: {module}", "   :members:", ""]
    return "\n".join(lines)


def api_pages(package: str = "bearingkit") -> dict[str, str]:
    """One API page per subpackage of ``package``, at any depth (``api/<dotted name>.rst``), one for its
    top-level modules (``api/core.rst``), and their index (``api/index.md``)."""
    modules, subpackages = _public_children(package)
    pages = {"core.rst": _api_page(f"{package} (core modules)", package, modules, [], root=package)}
    todo = list(subpackages)
    while todo:
        sub = todo.pop(0)
        sub_modules, sub_packages = _public_children(sub)
        pages[f"{sub.removeprefix(package + '.')}.rst"] = _api_page(sub, sub, sub_modules, sub_packages,
                                                                    root=package)
        todo += sub_packages
    toctree = "\n".join(["core", *(name.removeprefix(f"{package}.") for name in subpackages)])
    pages["index.md"] = (f"# API reference\n\nThe package `{package}`, one page per subpackage, from its "
                         "docstrings. Layers, lowest first: core, data, dsp and physics, features, models, "
                         "evaluation and hpo, report, papers; a module imports only from layers below its "
                         f"own.\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n")
    return {f"api/{name}": text for name, text in pages.items()}


def _figure_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _results_of(results_dir: Path, stem: str) -> dict | None:
    path = results_dir / f"{stem}.json"
    return json.loads(path.read_text()) if path.exists() else None


def site_files(*, notebooks_dir: Path, executed_dir: Path, results_dir: Path) -> tuple[dict[str, bytes],
                                                                                       pd.DataFrame | None]:
    """Every generated page (path relative to the source folder -> content) and the scorecard's rows.

    Parameters
    ----------
    notebooks_dir : Path
        The committed notebooks (``notebooks/``): one page each, executed or not.
    executed_dir, results_dir : Path
        What the last ``make reproduce`` wrote: ``build/notebooks`` and ``build/results``.

    Returns
    -------
    files : dict of str to bytes
        See :data:`GENERATED`.
    rows : pandas.DataFrame or None
        Every results row (:func:`bearingkit.report.scorecard.load_rows`); None when there is none yet.

    Raises
    ------
    bearingkit.errors.ResultsError
        A results row that breaks the schema.
    """
    stems = sorted({p.stem for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb")}
                   | {p.stem for p in executed_dir.glob("[0-9][0-9]_*.ipynb")})
    files: dict[str, bytes] = {}
    entries = []
    for stem in stems:
        executed = executed_dir / f"{stem}.ipynb"
        payload = _results_of(results_dir, stem)
        if executed.exists():
            nb = nbformat.read(executed, as_version=4)
            page = with_provenance(answers_folded(nb), payload["meta"] if payload else None)
            files[f"notebooks/{stem}.ipynb"] = nbformat.writes(page).encode()
        else:
            nb = nbformat.read(notebooks_dir / f"{stem}.ipynb", as_version=4)
            files[f"notebooks/{stem}.md"] = pending_page(stem, notebook_title(nb)).encode()
        rows = scorecard.payload_rows(payload, notebook=stem) if payload else None
        entries.append({"stem": stem, "title": notebook_title(nb), "executed": executed.exists(),
                        "rows": rows})
    files["notebooks/index.md"] = notebooks_page(entries).encode()
    found = [e["rows"] for e in entries if e["rows"] is not None]
    rows = pd.concat(found, ignore_index=True) if found else None
    files["scorecard.md"] = scorecard_page(rows).encode()
    if rows is not None:
        files["scorecard.png"] = _figure_png(scorecard.scorecard_figure(rows))
    files["data.md"] = data_page().encode()
    files |= {path: text.encode() for path, text in api_pages().items()}
    return files, rows


def sync_generated(srcdir: Path, files: Mapping[str, bytes]) -> list[str]:
    """Make the generated part of ``srcdir`` hold exactly ``files``: write those whose content differs, remove
    generated files no longer made. Returns the paths written."""
    for name in GENERATED:
        target = srcdir / name
        stale = [p for p in target.rglob("*") if p.is_file()] if target.is_dir() else [target]
        for path in stale:
            if path.exists() and path.relative_to(srcdir).as_posix() not in files:
                path.unlink()
    written = []
    for relative, content in files.items():
        path = srcdir / relative
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(relative)
    return written


def _generate(app) -> None:
    """``builder-inited``: write the generated pages into the source folder and ``build/scorecard.csv``."""
    build = paths.BUILD_DIR
    files, rows = site_files(notebooks_dir=paths.NOTEBOOKS_DIR, executed_dir=build / "notebooks",
                             results_dir=build / "results")
    sync_generated(Path(app.srcdir), files)
    csv = build / "scorecard.csv"
    if rows is not None:
        scorecard.write_csv(rows, csv)
    elif csv.exists():
        csv.unlink()


def _skip_sklearn_members(app, what, name, obj, skip, options) -> bool | None:
    """Skip a class's member whose code lives in scikit-learn; leave every other member to autodoc.

    Those are the ``set_*_request`` methods of scikit-learn's metadata routing, inherited by our estimators,
    whose docstrings point into scikit-learn's own documentation.
    """
    module = getattr(obj, "__module__", None)
    if what == "class" and isinstance(module, str) and module.split(".")[0] == "sklearn":
        return True
    return None


def setup(app) -> dict:
    """Register the generation of the pages with Sphinx, and the members the API pages leave out."""
    app.connect("builder-inited", _generate)
    app.connect("autodoc-skip-member", _skip_sklearn_members)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

