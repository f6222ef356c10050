"""Build quotecraft's API reference with pdoc: ``python docs/build.py [OUT_DIR]`` (default build/docs).

The reference covers the public modules; the pipeline's inner steps (layout,
quote marks, cues, resolver, parse) are left out, as are the training and
evaluation tools. Any warning pdoc (or an import it makes) gives while
building fails the build (exit 1), so a broken cross-reference or docstring is
caught by the test suite (tests/test_docs.py).
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # document this checkout, installed or not

#: the modules of the reference (pdoc adds a package's submodules itself)
MODULES = [
    "quotecraft",
    "quotecraft.extractor",
    "quotecraft.objects",
    "quotecraft.io.table",
    "quotecraft.io.render",
    "quotecraft.nlp.loading",
    "quotecraft.lexicon",
    "quotecraft.io.cli",
    "quotecraft.io.dask",
]


def build(out: Path) -> list[str]:
    """Write the HTML reference to *out*; returns the warnings given while building."""
    import pdoc
    import pdoc.render

    import quotecraft

    # quotecraft loads its heavier names on first use (module __getattr__); pdoc looks in the
    # module's namespace, so resolve them first
    for name in quotecraft._LAZY:
        setattr(quotecraft, name, getattr(quotecraft, name))
    pdoc.render.configure(docformat="google", show_source=False, footer_text="quotecraft API reference")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*MODULES, output_directory=out)
    return [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "docs"
    problems = build(out)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    print(f"API reference: {out / 'index.html'}" + (f" ({len(problems)} warnings)" if problems else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
