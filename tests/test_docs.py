"""Documentation: every public name has a docstring that documents its parameters; help() on the
main entry points is informative; the pdoc API reference builds without warnings."""
from __future__ import annotations

import importlib
import inspect
import pydoc
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import quotecraft

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "docs"))
import build as docs_build  # noqa: E402  (docs/build.py)

sys.path.remove(str(REPO / "docs"))

# the modules of the reference, and the names in their __all__
PUBLIC = [(m, getattr(importlib.import_module(m), "__all__", [])) for m in docs_build.MODULES]

# the entry points users call most: each must document every parameter, its return value,
# what it raises, and show an example
MAIN = [quotecraft.extract, quotecraft.Extractor.__init__, quotecraft.Extractor.extract, quotecraft.Extractor.pipe,
        quotecraft.to_records, quotecraft.to_dataframe, quotecraft.render]


def _public_objects() -> Iterator[tuple[str, Any]]:
    for module_name, names in PUBLIC:
        module = importlib.import_module(module_name)
        yield module_name, module
        for name in names:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{module_name}.{name}", obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, (staticmethod, classmethod)):
                        member = member.__func__
                    if inspect.isfunction(member) or isinstance(member, property):
                        yield f"{module_name}.{name}.{attr}", member


@pytest.mark.parametrize(("name", "obj"), list(_public_objects()), ids=lambda x: x if isinstance(x, str) else "")
def test_public_names_have_docstrings(name: str, obj: Any) -> None:
    doc = inspect.getdoc(obj) if not isinstance(obj, property) else obj.__doc__
    assert doc and len(doc.strip()) >= 10, f"{name} has no docstring"


@pytest.mark.parametrize("fn", MAIN, ids=lambda f: f.__qualname__)
def test_main_entry_points_document_parameters(fn: Callable[..., Any]) -> None:
    # the Extractor's options are documented on the class, where help() and notebooks show them
    doc = inspect.getdoc(quotecraft.Extractor if fn is quotecraft.Extractor.__init__ else fn) or ""
    params = [p for p in inspect.signature(fn).parameters if p != "self"]
    missing = [p for p in params if f"{p}:" not in doc]
    assert not missing, f"{fn.__qualname__}: parameters not documented: {missing}"
    for section in ("Args:", "Raises:"):
        assert section in doc, f"{fn.__qualname__}: no {section} section"
    if fn is not quotecraft.Extractor.__init__:
        assert "Returns:" in doc or "Yields:" in doc, fn.__qualname__
        assert "Example:" in doc, fn.__qualname__


def test_help_is_informative() -> None:
    text = pydoc.render_doc(quotecraft.extract, renderer=pydoc.plaintext)
    assert len(text.splitlines()) > 15 and "Returns:" in text and "Article" in text
    init = pydoc.render_doc(quotecraft.Extractor, renderer=pydoc.plaintext)
    assert "Initialize self" not in init and "extra_agencies:" in init and "selective_parse:" in init
    assert "see the class" in pydoc.render_doc(quotecraft.Extractor.__init__, renderer=pydoc.plaintext)


def test_attrs_fields_are_documented() -> None:
    from quotecraft import objects

    for cls in (objects.Span, objects.Speaker, objects.Agency, objects.Quote, objects.Article):
        doc = inspect.getdoc(cls) or ""
        section = doc[doc.index("Attributes:"):]
        missing = [f.name for f in cls.__attrs_attrs__ if f"{f.name}:" not in section]  # type: ignore[attr-defined]
        assert not missing, f"{cls.__name__}: fields without docs: {missing}"
    quote_doc = inspect.getdoc(objects.Quote) or ""
    assert "outer" in quote_doc and "confidence:" in quote_doc and "not a calibrated" in quote_doc


def test_api_reference_builds_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("pdoc")
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "build.py"), str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == "", proc.stderr[-3000:]
    index = tmp_path / "quotecraft.html"
    assert index.is_file()
    pages = {p.name for p in tmp_path.rglob("*.html")}
    assert {"objects.html", "extractor.html", "table.html", "render.html"} <= pages
    page = (tmp_path / "quotecraft" / "objects.html").read_text(encoding="utf-8")
    assert "outer range" in page and "confidence" in page
