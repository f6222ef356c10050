"""quotecraft.table: one row per quote, as dicts and as a pandas DataFrame."""
from __future__ import annotations

import builtins
import sys

import pytest

from quotecraft.objects import Agency, Article, Quote, Span, Speaker
from quotecraft.table import COLUMNS, to_dataframe, to_records

TEXT_A = 'The port will reopen on Friday, harbour chief Ines Mora said, according to Lakeside Radio and Tidewire.'
TEXT_B = '"Fares stay the same," the ferry company said. "Timetables do not."'


def sp(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span.of(text, start, start + len(needle))


def article_a() -> Article:
    return Article(
        TEXT_A,
        quotes=[
            Quote(
                content=[sp(TEXT_A, "The port will reopen on Friday")],
                cue=sp(TEXT_A, "said"),
                speaker=Speaker("Ines Mora", sp(TEXT_A, "harbour chief Ines Mora"), "person"),
                reported_by=[Agency("Lakeside Radio", sp(TEXT_A, "Lakeside Radio")), Agency("Tidewire", sp(TEXT_A, "Tidewire"))],
                kind="indirect",
                confidence=0.8,
            )
        ],
    )


def article_b() -> Article:
    return Article(
        TEXT_B,
        quotes=[
            Quote(
                content=[sp(TEXT_B, '"Fares stay the same,"'), sp(TEXT_B, '"Timetables do not."')],
                cue=sp(TEXT_B, "said"),
                speaker=Speaker("Bay Ferries", sp(TEXT_B, "the ferry company"), "organization"),
                addressee=Speaker("passengers"),
                kind="direct",
            ),
            Quote(content=[sp(TEXT_B, "Timetables")], kind="mixed", confidence=0.3),  # no speaker, no cue
        ],
    )


def test_rows_and_columns() -> None:
    rows = to_records([article_a(), article_b()])
    assert [list(r) for r in rows] == [list(COLUMNS)] * 3
    a, b1, b2 = rows
    assert a == {
        "article_id": 0, "speaker": "Ines Mora", "speaker_kind": "person", "speaker_mention": "harbour chief Ines Mora",
        "addressee": None, "cue": "said", "kind": "indirect", "reported_by": "Lakeside Radio, Tidewire",
        "content": "The port will reopen on Friday", "start": 0, "end": 30, "confidence": 0.8,
    }
    assert b1["article_id"] == 1 and b1["addressee"] == "passengers" and b1["reported_by"] == ""
    # a split quote is one row: fragments joined, extent from first start to last end
    assert b1["content"] == '"Fares stay the same," "Timetables do not."'
    assert (b1["start"], b1["end"]) == (0, len(TEXT_B))
    assert b2["speaker"] is None and b2["speaker_kind"] is None and b2["speaker_mention"] is None and b2["cue"] is None


def test_ids_single_article_generators_and_empty() -> None:
    assert [r["article_id"] for r in to_records([article_a(), article_b()], ids=["a.txt", "b.txt"])] == ["a.txt", "b.txt", "b.txt"]
    assert [r["article_id"] for r in to_records(article_b())] == [0, 0]
    assert [r["article_id"] for r in to_records(article_b(), ids="only.txt")] == ["only.txt", "only.txt"]
    assert len(to_records(a for a in [article_a(), article_b()])) == 3
    assert to_records([Article("No quotes."), Article("", error="boom")]) == []


def test_ids_must_match_articles() -> None:
    with pytest.raises(ValueError):
        to_records([article_a(), article_b()], ids=["only-one"])


def test_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    df = to_dataframe([article_a(), article_b()], ids=["a", "b"])
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 3
    assert df["article_id"].tolist() == ["a", "b", "b"]
    assert df["start"].tolist() == [0, 0, TEXT_B.index("Timetables")]
    assert df.loc[0, "reported_by"] == "Lakeside Radio, Tidewire"
    assert df.groupby("speaker").size().to_dict() == {"Bay Ferries": 1, "Ines Mora": 1}


def test_dataframe_without_quotes_keeps_columns() -> None:
    pytest.importorskip("pandas")
    df = to_dataframe(Article("Nothing said."))
    assert df.empty and list(df.columns) == list(COLUMNS)


def test_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"to_dataframe needs pandas: pip install 'quotecraft\[pandas\]'"):
        to_dataframe(article_a())
    # the records need no pandas
    assert len(to_records(article_a())) == 1
