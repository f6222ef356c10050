"""quotecraft: find quotations in English news text, who said them, to whom, and who relayed them.

    >>> import quotecraft
    >>> article = quotecraft.extract(text)
    >>> for q in article.quotes:
    ...     print(q.speaker.name if q.speaker else "?", q.cue and q.cue.text, q.text)

The main names:

* `extract` (one article, default options) and `Extractor` (options, `Extractor.pipe`
  for many articles, worker processes);
* the result objects `Article`, `Quote`, `Span`, `Speaker`, `Agency` (`quotecraft.objects`);
* `to_records` / `to_dataframe` (tables: quotes, fragments, credits) and `render` (HTML);
* `load_stanza` (the embedded Stanza pipeline, offline) and `ModelError`;
* the command line, ``quotecraft FILE...`` (`quotecraft.cli`).

Everything is offline: the English model ships in the package.
"""
from __future__ import annotations

__docformat__ = "google"

from typing import TYPE_CHECKING, Any

from .objects import Agency, Article, Quote, Span, Speaker

# Bound here, not lazily: importing the submodule quotecraft.render (as Article._repr_html_
# does) would otherwise leave the *module* in this name, and quotecraft.render(article) would fail.
from .render import render  # noqa: E402

__version__ = "0.1.0"

__all__ = ["Agency", "Article", "Extractor", "Quote", "Span", "Speaker", "extract", "load_stanza",
           "render", "to_dataframe", "to_records", "ModelError", "__version__"]

if TYPE_CHECKING:
    from .extractor import Extractor, extract
    from .loading import ModelError, load_stanza
    from .table import to_dataframe, to_records

# Heavy parts (Stanza, torch) load on first use, so `import quotecraft` and the
# CLI's --help stay fast.
_LAZY = {"Extractor": "extractor", "extract": "extractor", "load_stanza": "loading", "ModelError": "loading",
         "to_dataframe": "table", "to_records": "table"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'quotecraft' has no attribute {name!r}")
