"""A cheap stand-in extractor for the Dask fault tests (imported by the worker processes).

It finds each straight-quoted stretch as a direct quote, so tests can count the expected rows
without loading a model; it raises on ``RAISE`` and kills its whole process the first time it
sees ``DIE:<marker path>`` (the marker file makes the retry go through).
"""
from __future__ import annotations

import os
import re
from typing import Any

from quotecraft.objects import Article, Quote, Span

QUOTED = re.compile(r'"[^"]*"')


def expected_quotes(text: str) -> int:
    return len(QUOTED.findall(text))


class FakeExtractor:
    def __init__(self, **options: Any) -> None:
        self.options = options

    def extract(self, text: str) -> Article:
        if "RAISE" in text:
            raise RuntimeError("boom inside extraction")
        m = re.search(r"DIE:(\S+)", text)
        if m and not os.path.exists(m.group(1)):
            with open(m.group(1), "w") as f:
                f.write(str(os.getpid()))
            os._exit(1)  # no cleanup, no exception: the worker process just disappears
        quotes = [Quote(content=(Span.of(text, q.start(), q.end()),), kind="direct") for q in QUOTED.finditer(text)]
        return Article(text, quotes)


def worker_state() -> dict[str, Any]:
    """Run on each worker with ``client.run``: model builds per settings, and torch's thread count."""
    import sys

    import quotecraft.io.dask as qd

    torch = sys.modules.get("torch")
    return {"loads": dict(qd.loads), "torch_threads": torch.get_num_threads() if torch else None,
            "malloc_tuned": qd.malloc_tuned}
