"""examples/quickstart.ipynb runs from top to bottom in a fresh kernel and shows what it promises:
the highlighted article, the DataFrame, the plot.

The kernel is this interpreter (the kernelspec ``python3`` of the environment the tests run in) and
it imports the quotecraft of this checkout. With ``QUOTECRAFT_TEST_MODEL_DIR`` set, the in-memory
copy of the notebook loads that model folder instead of the embedded one; the notebook file itself
always uses the default.
"""
from __future__ import annotations

import html
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

pytestmark = [pytest.mark.model, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOK = EXAMPLES / "quickstart.ipynb"
EXTRACT_LINE = "article = quotecraft.extract(text)"

# Appended to the in-memory copy only: facts from the kernel the checks below need.
PROBE = (
    "import json as _json, sys as _sys\n"
    "print(_json.dumps({'executable': _sys.executable, 'quotecraft': quotecraft.__file__,\n"
    "                   'labels': [q.speaker.name if q.speaker else 'unknown speaker' for q in article.quotes]}))"
)


def _outputs(cell: Any, output_type: str | None = None) -> list[Any]:
    return [o for o in cell.get("outputs", []) if output_type is None or o["output_type"] == output_type]


def _data(output: Any, mime: str) -> str:
    value = output.get("data", {}).get(mime, "")
    return "".join(value) if isinstance(value, list) else value


@pytest.fixture(scope="module")
def executed() -> tuple[Any, dict[str, Any]]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "commit the notebook with its outputs cleared"
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert any(EXTRACT_LINE in s for s in sources), f"the notebook should run {EXTRACT_LINE!r}"
    assert not any("QUOTECRAFT_TEST_MODEL_DIR" in s or "model_dir" in s for s in sources), \
        "the notebook must use the default (embedded) model"

    model_dir = os.environ.get("QUOTECRAFT_TEST_MODEL_DIR")
    if model_dir:
        for cell in nb.cells:
            cell.source = cell.source.replace(
                EXTRACT_LINE, f"article = quotecraft.Extractor(model_dir={str(Path(model_dir).resolve())!r}).extract(text)")
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))

    # the kernel imports this checkout's quotecraft even when it is not installed
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute(env=env)
    probe = json.loads("".join(o["text"] for o in _outputs(nb.cells[-1], "stream")))
    return nb, probe


def test_kernel_is_this_python_and_this_checkout(executed: tuple[Any, dict[str, Any]]) -> None:
    _, probe = executed
    assert Path(probe["executable"]).absolute() == Path(sys.executable).absolute()
    assert Path(probe["quotecraft"]).resolve().parent == ROOT / "quotecraft"


def test_no_cell_raised(executed: tuple[Any, dict[str, Any]]) -> None:
    nb, _ = executed
    for i, cell in enumerate(nb.cells):
        errors = _outputs(cell, "error")
        assert not errors, f"cell {i} raised {errors[0]['ename']}: {errors[0]['evalue']}"
        for out in _outputs(cell, "stream"):
            assert "Traceback" not in out["text"], f"cell {i}: {out['text']}"


def test_article_display_is_the_highlighted_view(executed: tuple[Any, dict[str, Any]]) -> None:
    nb, probe = executed
    cells = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "article"]
    assert len(cells) == 1, "one cell should display `article`"
    views = [_data(o, "text/html") for o in _outputs(cells[0]) if "text/html" in o.get("data", {})]
    assert views, f"no HTML output: {cells[0].outputs}"
    view = views[0]
    assert '<div class="quotecraft">' in view
    assert probe["labels"], "the example article should give quotes"
    # every quote is followed by a label naming its speaker
    for name in probe["labels"]:
        assert f'<span class="qc-who">{html.escape(name, quote=False)}</span>' in view, name


def test_dataframe_output_has_speaker_column(executed: tuple[Any, dict[str, Any]]) -> None:
    nb, probe = executed
    cells = [c for c in nb.cells if c.cell_type == "code" and "quotecraft.to_dataframe" in c.source]
    assert len(cells) == 1
    results = _outputs(cells[0], "execute_result")
    assert results, "the DataFrame cell should show the frame"
    shown = _data(results[0], "text/html") + _data(results[0], "text/plain")
    assert "speaker" in shown and "content" in shown
    if "text/html" in results[0]["data"]:
        assert "<table" in _data(results[0], "text/html")


def test_plot_is_a_png(executed: tuple[Any, dict[str, Any]]) -> None:
    nb, _ = executed
    cells = [c for c in nb.cells if c.cell_type == "code" and ".plot.barh(" in c.source]
    assert len(cells) == 1
    images = [o for o in _outputs(cells[0]) if "image/png" in o.get("data", {})]
    assert images, f"no PNG image output: {[o.get('data', {}).keys() for o in _outputs(cells[0])]}"
    import base64

    assert base64.b64decode(_data(images[0], "image/png")).startswith(b"\x89PNG")


def test_pipe_shows_progress_without_warnings(executed: tuple[Any, dict[str, Any]]) -> None:
    """In a notebook stderr is no terminal, yet pipe() shows its bar by default; and no
    TqdmWarning ("IProgress not found") or other warning appears in any cell."""
    nb, _ = executed
    cells = [c for c in nb.cells if c.cell_type == "code" and ".pipe(" in c.source]
    assert len(cells) == 1
    assert "progress" not in cells[0].source  # the default
    shown = "".join(o.get("text", "") for o in _outputs(cells[0], "stream"))
    widgets = [o for o in _outputs(cells[0], "display_data") if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert ("quotecraft" in shown and "2/2" in shown) or widgets, cells[0].outputs
    result = _data(_outputs(cells[0], "execute_result")[0], "text/plain")
    assert "('kim'" in result and "('ferry', 1)" in result
    for i, cell in enumerate(nb.cells):
        for out in _outputs(cell, "stream"):
            assert "Warning" not in out["text"], f"cell {i}: {out['text']}"


def test_render_of_several_articles(executed: tuple[Any, dict[str, Any]]) -> None:
    nb, _ = executed
    cells = [c for c in nb.cells if c.cell_type == "code" and "quotecraft.render([" in c.source]
    assert len(cells) == 1
    view = _data(_outputs(cells[0], "execute_result")[0], "text/html")
    assert view.count('<div class="quotecraft">') == 2
    assert 'class="qc-title">kim<' in view and 'class="qc-title">ferry<' in view
