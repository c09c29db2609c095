"""Run the notebooks headless and export them as self-contained HTML files that open offline."""

from __future__ import annotations

import html
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from coprod_analysis.config import MIN_COUNT, Paths
from coprod_analysis.outputs import atomic_text

REPORT_NOTEBOOK = "05-report.ipynb"
REPORT_FILE = "coproduction-report.html"
EASY_FILE = "what-we-heard.html"
_CSS = """
body { font-family: Atkinson Hyperlegible, Verdana, Arial, sans-serif; max-width: 1100px; margin: 2rem auto;
       padding: 0 1.5rem; line-height: 1.55; color: #222; }
h1 { font-size: 2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #332288; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .95rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .7rem; text-align: left; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .6rem .8rem; border-radius: 4px; }
.jp-InputPrompt, .jp-OutputPrompt, .prompt, .anchor-link { display: none; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid #ccc; font-size: .9rem; color: #555; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.table-scroll:focus { outline: 3px solid #332288; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid #332288; }
blockquote footer { border: 0; margin: 0; padding: 0; font-size: .95rem; color: #444; }
.chart-caption { font-size: .95rem; color: #333; }
img, svg, .plotly-graph-div { max-width: 100%; }
@media (max-width: 600px) { body { margin: 1rem auto; padding: 0 .75rem; } h1 { font-size: 1.6rem; }
  figure { margin: 1rem 0; } }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; margin: 0; padding: 0; }
  .plotly-graph-div, .js-plotly-plot, blockquote, table, .chart-caption { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""
# Wide tables scroll inside their own box (a keyboard-focusable region), never the page: WCAG
# 1.4.10 lets data tables scroll in two dimensions, but the page itself must reflow at 320 px.
# Only pandas' tables (class "dataframe"): itables builds its own from a script.
_TABLE = re.compile(r"(<table\b[^>]*\bclass=\"[^\"]*\bdataframe\b.*?</table>)", re.S)
_SCROLL = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table">\\1</div>'

# On a narrow screen (a phone, or 400% zoom) each chart is laid out again to fit: small margins,
# the title wrapped, and a legend under the plot in place of the labels at the line ends.
# The wide layout comes back when the window widens.
_NARROW = """<script>
(function () {
  var WIDE = 640;
  function wrap(text, width) {
    var lines = [""];
    String(text || "").split(" ").forEach(function (w) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + w).length > width) { lines.push(w); }
      else { lines[lines.length - 1] = last ? last + " " + w : w; }
    });
    return lines.join("<br>");
  }
  function axes(g, width) {
    var update = {};
    Object.keys(g._fullLayout).filter(function (k) { return /^[xy]axis\\d*$/.test(k); })
      .forEach(function (k) {
        var axis = g._fullLayout[k], cats = axis._categories || [];
        update[k + ".title.text"] = wrap((axis.title || {}).text, width);
        if (axis.type === "category" && cats.some(function (c) { return / \\(/.test(c); })) {
          update[k + ".tickmode"] = "array";
          update[k + ".tickvals"] = cats;
          update[k + ".ticktext"] = cats.map(function (c) { return String(c).replace(" (", "<br>("); });
        }
      });
    return update;
  }
  function fit() {
    if (!window.Plotly) { return; }
    var narrow = window.innerWidth < WIDE;
    document.querySelectorAll(".js-plotly-plot").forEach(function (g) {
      if (!g.layout || narrow === !!g._narrow) { return; }
      if (!g._wide) {
        var keep = {margin: g.layout.margin || {}, showlegend: g.layout.showlegend,
                    legend: g.layout.legend || {}, annotations: g.layout.annotations || [],
                    title: g.layout.title || {}, height: g.layout.height || 450};
        Object.keys(g.layout).filter(function (k) { return /^[xy]axis\\d*$/.test(k); })
          .forEach(function (k) { keep[k] = g.layout[k]; });
        g._wide = JSON.parse(JSON.stringify(keep));
        g._traces = {name: g.data.map(function (t) { return t.name; }),
                     x: g.data.map(function (t) { return t.x; })};
      }
      g._narrow = narrow;
      if (!narrow) {
        Plotly.restyle(g, g._traces);
        Plotly.relayout(g, g._wide);
        return;
      }
      var w = g._wide, chars = Math.max(20, Math.floor(window.innerWidth / 11));
      var labels = w.annotations.filter(function (a) { return a.xanchor === "left"; });
      var update = axes(g, chars);
      update.margin = {l: 50, r: 40, t: 12, b: 12};
      update.title = Object.assign({}, w.title, {text: wrap(w.title.text, chars), automargin: true,
                                                 yref: "paper", y: 1, yanchor: "bottom", pad: {b: 12}});
      update.annotations = w.annotations.filter(function (a) { return labels.indexOf(a) < 0; });
      update.showlegend = labels.length ? true : w.showlegend;
      update.legend = {orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0, yanchor: "bottom"};
      update.height = w.height + 60 + 40 * Math.max(labels.length, 2);
      Plotly.restyle(g, {
        name: g._traces.name.map(function (n) { return n && wrap(n, chars + 4); }),
        // a two-level axis (session, then now or hoped for): the session names on two lines
        x: g._traces.x.map(function (x) {
          return x && Array.isArray(x[0]) ? [x[0].map(function (c) { return String(c).replace(" (", "<br>("); })].concat(x.slice(1)) : x;
        })
      });
      Plotly.relayout(g, update);
    });
  }
  window.addEventListener("load", fit);
  window.addEventListener("resize", fit);
})();
</script>"""

_EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=\"https?://", re.I)
# plotly's "notebook" renderer always adds MathJax from a CDN (include_mathjax="cdn" is fixed in
# plotly.io._base_renderers); the charts use no LaTeX, so the tag is dropped.
_MATHJAX = re.compile(r"<script[^>]*src=\"https://cdn[^\"]*mathjax[^\"]*\"[^>]*>\s*</script>", re.I)


def parameterise(nb, values: dict) -> None:
    """Set parameters in the cell tagged ``parameters`` (in place), keeping its other defaults.

    The given values are appended to the cell, as papermill injects them after it, so a
    parameter not given keeps the notebook's own default.
    """
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            given = "\n".join(f"{k} = {v!r}" for k, v in values.items())
            cell.source = f"{cell.source.rstrip()}\n# set by the report pipeline\n{given}"
            return


def run_notebook(path: Path, *, values: dict, timeout: int = 900):
    """Execute a notebook from a fresh kernel with its parameters set; return the executed copy.

    Example:
        >>> nb = run_notebook(Path("notebooks/04-perception-shifts.ipynb"), values={"PROCESSED": "data/processed"})  # doctest: +SKIP
    """
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(path, as_version=4)
    parameterise(nb, values)
    # The kernel talks over Unix sockets in a private folder (IPC transport), not over TCP on
    # localhost: nothing is exposed to other users, and ipykernel has no reason to print its
    # "running over TCP without encryption" warning, which reads like a fault to an evaluator.
    with tempfile.TemporaryDirectory(prefix="coprod-kernel-") as folder:
        sockets = {"transport": "ipc", "connection_file": f"{folder}/kernel.json"}
        NotebookClient(
            nb,
            config=Config({"KernelManager": sockets}),  # nbclient still owns and stops it
            kernel_name="python3",
            timeout=timeout,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    return nb


_WIDGET = "application/vnd.jupyter.widget-view+json"
_STATIC = (
    "The coding panel is interactive: open this notebook in JupyterLab (make lab) or VS Code "
    "to code segments."
)


def static_widgets(nb) -> None:
    """Replace widget outputs (the coding panel) with a note, in place: a page cannot run them.

    nbconvert would otherwise write a script that needs jQuery and a widget manager from the web.
    """
    import nbformat

    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if any(_WIDGET in out.get("data", {}) for out in outputs):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=_STATIC)]
    nb.metadata.pop("widgets", None)


def export_html(nb, *, title: str, code: bool, footer: str = "") -> str:
    """Export an executed notebook as one HTML page with no external scripts or stylesheets.

    Raises:
        RuntimeError: the page would load a script or stylesheet from a URL.

    Example:
        >>> page = export_html(nb, title="Report", code=False)  # doctest: +SKIP
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=not code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    static_widgets(nb)
    body, _ = exporter.from_notebook_node(nb)
    body = _MATHJAX.sub("", body)
    body = _TABLE.sub(_SCROLL, body)
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main>{footer}{_NARROW if 'plotly' in body else ''}</body></html>\n"
    )
    if _EXTERNAL.search(page):
        raise RuntimeError(
            f"{title}: the exported page would load a script or stylesheet from a URL"
        )
    return page


def footer_html(results, *, version: str, min_count: int = MIN_COUNT) -> str:
    """The report footer: sessions covered by name, the generation date and the privacy note.

    The codebook hash and versions are in the report's collapsed provenance section.
    """
    from coprod_analysis.story import session_names

    names = session_names(results.corpus.sessions, short=True)
    sessions = "; ".join(
        html.escape(names.get(s, s)) for s in results.corpus.sessions["session_id"]
    )
    return (
        "<footer><p><strong>Sessions covered:</strong> "
        f"{sessions}. coprod-analysis {html.escape(version)}, generated "
        f"{datetime.now(UTC):%d %b %Y}. Names, emails, phone numbers and postcodes are removed "
        f"and people are pseudonymised; counts below {min_count} are shown as "
        f"&quot;fewer than {min_count}&quot;.</p></footer>"
    )


def what_we_heard(results, codebook) -> str:
    """The Easy Read page for participants, from the processed tables (``what-we-heard.html``).

    Example:
        >>> page = what_we_heard(read_results(), load_codebook())  # doctest: +SKIP
    """
    from coprod_analysis.charts.style import colour_map
    from coprod_analysis.story import easy_read, easy_read_html

    segments = results.corpus.segments
    wish = segments.loc[segments["question"] == "wishlist", "segment_id"]
    tagged = results.themes[results.themes["segment_id"].isin(set(wish))]
    counts = tagged.groupby("theme")["segment_id"].nunique().sort_values(ascending=False)
    labels = {t.id: t.label for t in codebook.themes}
    sections = easy_read(
        results.theme_shifts,
        results.survey_shifts,
        results.ladder,
        counts,
        theme_ids=[t.id for t in codebook.themes if t.core],
        labels=labels,
        meetings=len(results.corpus.sessions),
        shares=results.shares,
    )
    return easy_read_html(sections, labels=labels, colours=colour_map(codebook))


KEYS_FILE = "notebooks.json"


def _target(where: Paths, notebook: Path) -> Path:
    """The HTML page a notebook becomes."""
    if notebook.name == REPORT_NOTEBOOK:
        return where.reports / REPORT_FILE
    return where.reports / "notebooks" / f"{notebook.stem}.html"


def notebook_keys(where: Paths, params: dict[Path, dict]) -> dict[str, str]:
    """Each notebook's key: its source and parameters, and everything it can read.

    That is the processed tables (not ``run.json``, which changes every run), the settings,
    the coders' files, the package's own code and, for 01-ingest, data/raw. Equal keys mean an
    executed notebook would come out the same, so its page can stand.

    Example:
        >>> notebook_keys(paths(), {Path("notebooks/04-perception-shifts.ipynb"): {}})  # doctest: +SKIP
    """
    import json

    from coprod_analysis.outputs import code_hash, joined_hash, tree_hash

    read = tree_hash(where.processed, where.config, where.coding, skip={"run.json", KEYS_FILE})
    shared = joined_hash(read, code_hash())
    keys = {}
    for path, values in params.items():
        raw = tree_hash(where.raw) if path.name == "01-ingest.ipynb" else ""
        own = tree_hash(path)
        keys[path.name] = joined_hash(shared, raw, own, json.dumps(values, sort_keys=True))
    return keys


def _read_keys(folder: Path) -> dict[str, str]:
    import json

    path = folder / KEYS_FILE
    try:
        found = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _write_keys(folder: Path, keys: dict[str, str]) -> None:
    import json

    atomic_text(folder / KEYS_FILE, json.dumps(keys, indent=1, sort_keys=True) + "\n")


def _stale(where: Paths, notebooks: list[Path], keys: dict[str, str], *, echo) -> list[Path]:
    """The notebooks to run: those whose key changed or whose page is missing."""
    before = _read_keys(where.processed)
    todo = []
    for path in notebooks:
        if before.get(path.name) != keys[path.name] or not _target(where, path).is_file():
            todo.append(path)
        else:
            echo(
                f"  {path.name}: its source and the tables it reads are unchanged; "
                f"{_target(where, path).name} stands"
            )
    return todo


def build_reports(
    where: Paths, *, echo, workers: int | None = None
) -> tuple[list[Path], list[str]]:
    """Run every notebook on the processed tables and export the funders' report and the rest.

    Args:
        where: the folders.
        echo: where progress goes.
        workers: notebooks run at once, each in its own kernel (default: one per core).

    A notebook whose key (:func:`notebook_keys`) is unchanged since its page was written is
    not run again: its page stands.

    Returns:
        The files written: ``reports/coproduction-report.html`` (from 05-report, no code),
        ``reports/what-we-heard.html`` (Easy Read, for participants) and
        ``reports/notebooks/*.html`` (the analysis notebooks, with code); and the notebooks
        whose pages stood. Nothing is written unless every notebook that ran succeeded.
    """
    from coprod_analysis import __version__
    from coprod_analysis.results import read_results

    notebooks = sorted((where.root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    from coprod_analysis.config import load_project

    results = read_results(where.processed)
    min_count = load_project(where.config).report.min_count
    values = {"PROCESSED": str(where.processed), "PLOTLY_RENDERER": "notebook"}
    params = {
        path: values if path.name != "01-ingest.ipynb" else {"RAW": str(where.raw)}
        for path in notebooks
    }
    keys = notebook_keys(where, params)
    todo = _stale(where, notebooks, keys, echo=echo)

    def run(item: tuple[int, Path]):
        i, path = item
        echo(f"  running {path.name} ({i}/{len(todo)})")
        started = time.perf_counter()
        nb = run_notebook(path, values=params[path])
        echo(f"  finished {path.name} in {time.perf_counter() - started:.1f} s")
        return path, nb

    # Each notebook runs in its own kernel process, so two at a time use both cores.
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        executed = list(pool.map(run, enumerate(todo, start=1)))
    written = []
    for path, nb in executed:
        if path.name == REPORT_NOTEBOOK:
            page = export_html(
                nb,
                title="What changed across the co-production roundtables",
                code=False,
                footer=footer_html(results, version=__version__, min_count=min_count),
            )
        else:
            page = export_html(nb, title=path.stem, code=True)
        target = _target(where, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_text(target, page)
        written.append(target)
    _write_keys(where.processed, {p.name: keys[p.name] for p in notebooks})
    from coprod_analysis.codebooks import load_codebook

    easy = where.reports / EASY_FILE
    page = what_we_heard(results, load_codebook(where.config / "codebook.yml"))
    atomic_text(easy, page)
    written.append(easy)
    return written, [p.name for p in notebooks if p not in todo]
