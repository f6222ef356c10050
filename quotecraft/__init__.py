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
* the command line, ``quotecraft FILE...`` (`quotecraft.io.cli`).

Everything is offline: the English model ships in the package.
"""
from __future__ import annotations

__docformat__ = "google"

from typing import TYPE_CHECKING, Any

from .objects import Agency, Article, Quote, Span, Speaker

from .io.render import render  # noqa: E402
from . import _compat  # noqa: E402

# the module paths of 0.1 (quotecraft.resolve, quotecraft.learned, ...) for one more release
_compat.install()

__version__ = "0.1.0"

__all__ = ["Agency", "Article", "Extractor", "Quote", "Span", "Speaker", "extract", "load_stanza",
           "render", "to_dataframe", "to_records", "ModelError", "__version__"]

if TYPE_CHECKING:
    from .extractor import Extractor, extract
    from .errors import ModelError
    from .nlp.loading import load_stanza
    from .io.table import to_dataframe, to_records

# Heavy parts (Stanza, torch) load on first use, so `import quotecraft` and the
# CLI's --help stay fast.
_LAZY = {"Extractor": "extractor", "extract": "extractor", "load_stanza": "nlp.loading", "ModelError": "errors",
         "to_dataframe": "io.table", "to_records": "io.table"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'quotecraft' has no attribute {name!r}")
