"""Flat views of extraction results: one row per quote, per quote fragment or per credit.

Three tables, chosen with ``table=``:

* ``"quotes"`` (default): one row per `Quote`. ``start``/``end`` are the quote's
  *outer* range (first fragment's start, last fragment's end); for a quote split
  by its cue (``"A," he said, "B."``) that range also covers the cue and speaker
  in between. ``fragments`` lists each fragment's own ``start:end``, separated by
  ``;`` (``"0:4;15:20"``), and ``content`` is `Quote.text` (the fragments joined
  by a space).
* ``"fragments"``: one row per content fragment, with ``fragment`` (0, 1, ...
  within its quote) and ``quote`` (the quote's index within its article):
  ``text[row["start"]:row["end"]] == row["content"]`` holds for every row.
* ``"credits"``: one row per credited agency (`Article.credits`: credit lines
  and photo credits).

With ``include_empty=True`` an article with no row (no quotes, or failed) still
gets one row, its quote columns ``None`` and its ``error`` column set when it
failed, so counts per article include the zeros.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Hashable, Iterable, Literal, Optional, Union

from ..objects import Article, Quote

if TYPE_CHECKING:  # pandas is an optional dependency
    import pandas

__all__ = ["COLUMNS", "FRAGMENT_COLUMNS", "CREDIT_COLUMNS", "TABLES", "to_records", "to_dataframe"]

#: columns of the ``"quotes"`` table (the default), in order
COLUMNS = (
    "article_id",
    "speaker",
    "speaker_kind",
    "speaker_mention",
    "addressee",
    "cue",
    "kind",
    "type",
    "reported_by",
    "content",
    "start",
    "end",
    "confidence",
    "decided_by",
    "fragments",
)

#: columns of the ``"fragments"`` table: the quote columns, with ``start``/``end``/``content``
#: those of the fragment
FRAGMENT_COLUMNS = ("article_id", "quote", "fragment") + tuple(c for c in COLUMNS[1:] if c != "fragments")

#: columns of the ``"credits"`` table
CREDIT_COLUMNS = ("article_id", "name", "kind", "mention", "start", "end")

#: the tables `to_records` can build, and their columns
TABLES = {"quotes": COLUMNS, "fragments": FRAGMENT_COLUMNS, "credits": CREDIT_COLUMNS}

Articles = Union[Article, Iterable[Article]]
Table = Literal["quotes", "fragments", "credits"]


def _pairs(articles: Articles, ids: Optional[Iterable[Hashable]]) -> Iterable[tuple[Hashable, Article]]:
    if isinstance(articles, Article):
        articles = [articles]
    if ids is None:
        return enumerate(articles)
    if isinstance(ids, (str, bytes)):
        # a lone string id would otherwise be zipped character by character
        ids = [ids]
    # strict: a silently shorter id list would drop articles
    return zip(ids, articles, strict=True)


def _quote_fields(quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "speaker": speaker.name if speaker else None,
        "speaker_kind": speaker.kind if speaker else None,
        "speaker_mention": speaker.mention.text if speaker and speaker.mention else None,
        "addressee": quote.addressee.name if quote.addressee else None,
        "cue": quote.cue.text if quote.cue else None,
        "kind": quote.kind,
        "type": quote.type,
        "reported_by": ", ".join(a.name for a in quote.reported_by),
        "confidence": quote.confidence,
        "decided_by": quote.decided_by,
    }


def _rows(article_id: Hashable, article: Article, table: str) -> list[dict[str, Any]]:
    if table == "credits":
        return [
            {"article_id": article_id, "name": a.name, "kind": a.kind, "mention": a.mention.text if a.mention else None,
             "start": a.mention.start if a.mention else None, "end": a.mention.end if a.mention else None}
            for a in article.credits
        ]
    rows: list[dict[str, Any]] = []
    for number, quote in enumerate(article.quotes):
        fields = _quote_fields(quote)
        if table == "quotes":
            rows.append({"article_id": article_id, **fields, "content": quote.text, "start": quote.start,
                         "end": quote.end, "fragments": ";".join(f"{s.start}:{s.end}" for s in quote.content)})
        else:
            for i, span in enumerate(quote.content):
                rows.append({"article_id": article_id, "quote": number, "fragment": i, **fields,
                             "content": span.text, "start": span.start, "end": span.end})
    return rows


def to_records(articles: Articles, ids: Optional[Iterable[Hashable]] = None, *, table: Table = "quotes",
               include_empty: bool = False) -> list[dict[str, Any]]:
    """Flatten articles into rows (dicts), for CSV files, databases or pandas.

    Args:
        articles: One `Article` or an iterable of them (e.g. `Extractor.pipe`'s output).
        ids: One id per article (file names, database keys) for the ``article_id``
            column; default: the article's position in the input. A different
            number of ids than articles raises ``ValueError``.
        table: ``"quotes"`` (one row per quote, keys `COLUMNS`), ``"fragments"`` (one
            row per content fragment, keys `FRAGMENT_COLUMNS`) or ``"credits"`` (one
            row per credited agency, keys `CREDIT_COLUMNS`); see the module docs.
        include_empty: Also give one row to an article that has no row in this
            table, all its other columns ``None``, plus an ``error`` column (on
            every row) with `Article.error`.

    Returns:
        A list of dicts, keys in the table's column order. Missing values (no
        speaker, no cue) are ``None``; ``reported_by`` joins agency names with ``", "``.

    Raises:
        ValueError: An unknown ``table``, or ``ids`` of the wrong length.

    Example:
        >>> rows = quotecraft.to_records([article], ids=["kim.txt"], table="fragments")
        >>> all(article.text[r["start"]:r["end"]] == r["content"] for r in rows)
        True
    """
    if table not in TABLES:
        raise ValueError(f"table={table!r} is not a table; valid values: {', '.join(repr(t) for t in TABLES)}")
    columns = _columns(table, include_empty)
    rows: list[dict[str, Any]] = []
    for article_id, article in _pairs(articles, ids):
        found = _rows(article_id, article, table)
        if include_empty:
            if not found:
                found = [{"article_id": article_id}]
            for row in found:
                row["error"] = article.error
        rows.extend({c: row.get(c) for c in columns} for row in found)
    return rows


def _columns(table: str, include_empty: bool) -> tuple[str, ...]:
    return TABLES[table] + (("error",) if include_empty else ())


def to_dataframe(articles: Articles, ids: Optional[Iterable[Hashable]] = None, *, table: Table = "quotes",
                 include_empty: bool = False) -> "pandas.DataFrame":
    """The rows of `to_records` as a pandas DataFrame.

    Needs pandas (``pip install 'quotecraft[pandas]'``). The frame has all the
    table's columns even when there are no rows, so code selecting them still works.

    Args:
        articles: One `Article` or an iterable of them.
        ids: One id per article for the ``article_id`` column (default: positions).
        table: ``"quotes"``, ``"fragments"`` or ``"credits"``, as in `to_records`.
        include_empty: Give articles with no rows one row each, as in `to_records`.

    Returns:
        A DataFrame with one row per quote (fragment, credit).

    Raises:
        ImportError: pandas is not installed.
        ValueError: An unknown ``table``, or ``ids`` of the wrong length.

    Example:
        >>> df = quotecraft.to_dataframe(articles, include_empty=True)
        >>> df.groupby("article_id").speaker.count()  # 0 for articles without quotes
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("to_dataframe needs pandas: pip install 'quotecraft[pandas]'") from exc
    rows = to_records(articles, ids, table=table, include_empty=include_empty)
    return pd.DataFrame.from_records(rows, columns=list(_columns(table, include_empty)))
