"""Flat, one-row-per-quote views of extraction results (records, pandas)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Hashable, Iterable, Optional, Union

from .objects import Article

if TYPE_CHECKING:  # pandas is an optional dependency
    import pandas

__all__ = ["COLUMNS", "to_records", "to_dataframe"]

#: column order of `to_records` rows and `to_dataframe` frames
COLUMNS = (
    "article_id",
    "speaker",
    "speaker_kind",
    "speaker_mention",
    "addressee",
    "cue",
    "kind",
    "reported_by",
    "content",
    "start",
    "end",
    "confidence",
)

Articles = Union[Article, Iterable[Article]]


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


def to_records(articles: Articles, ids: Optional[Iterable[Hashable]] = None) -> list[dict[str, Any]]:
    """One dict per quote, keys in `COLUMNS` order.

    *articles* is one `Article` or an iterable of them. ``article_id`` is the
    article's position in the input, or the matching item of *ids* (which
    must have one id per article). Missing values (no speaker, no cue) are
    ``None``; ``reported_by`` joins agency names with ``", "`` and
    ``content`` is `Quote.text`. Articles without quotes give no rows.
    """
    rows: list[dict[str, Any]] = []
    for article_id, article in _pairs(articles, ids):
        for quote in article.quotes:
            speaker = quote.speaker
            rows.append(
                {
                    "article_id": article_id,
                    "speaker": speaker.name if speaker else None,
                    "speaker_kind": speaker.kind if speaker else None,
                    "speaker_mention": speaker.mention.text if speaker and speaker.mention else None,
                    "addressee": quote.addressee.name if quote.addressee else None,
                    "cue": quote.cue.text if quote.cue else None,
                    "kind": quote.kind,
                    "reported_by": ", ".join(a.name for a in quote.reported_by),
                    "content": quote.text,
                    "start": quote.start,
                    "end": quote.end,
                    "confidence": quote.confidence,
                }
            )
    return rows


def to_dataframe(articles: Articles, ids: Optional[Iterable[Hashable]] = None) -> "pandas.DataFrame":
    """The rows of `to_records` as a pandas DataFrame (columns `COLUMNS`).

    Needs pandas (``pip install 'quotecraft[pandas]'``); the frame keeps all
    columns even when there are no quotes, so code selecting them still works.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("to_dataframe needs pandas: pip install 'quotecraft[pandas]'") from exc
    return pd.DataFrame.from_records(to_records(articles, ids), columns=list(COLUMNS))
