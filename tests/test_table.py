"""quotecraft.io.table: one row per quote, as dicts and as a pandas DataFrame."""
from __future__ import annotations

import builtins
import sys

import pytest

from quotecraft.objects import Agency, Article, Quote, Span, Speaker
from quotecraft.io.table import COLUMNS, CREDIT_COLUMNS, FRAGMENT_COLUMNS, to_dataframe, to_records

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
                decided_by="borrow_source",
                type="finding",
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
        "addressee": None, "cue": "said", "kind": "indirect", "type": "finding", "reported_by": "Lakeside Radio, Tidewire",
        "content": "The port will reopen on Friday", "start": 0, "end": 30, "confidence": 0.8, "decided_by": "borrow_source",
        "fragments": "0:30",
    }
    # a quote made by hand says "" (no step decided it)
    assert b1["decided_by"] == b2["decided_by"] == ""
    # and is speech unless told otherwise
    assert b1["type"] == b2["type"] == "speech"
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


def test_fragments_column_slices_back() -> None:
    """The outer range of a split quote covers the cue between its fragments; the fragments column
    gives each fragment's own offsets, and those slice back to the fragment texts."""
    (row, _) = to_records(article_b())
    assert TEXT_B[row["start"]:row["end"]] != row["content"]  # the outer range, cue included
    pieces = [TEXT_B[int(s):int(e)] for s, e in (f.split(":") for f in row["fragments"].split(";"))]
    assert pieces == ['"Fares stay the same,"', '"Timetables do not."']
    assert " ".join(pieces) == row["content"]


def test_fragments_table_one_row_per_fragment() -> None:
    rows = to_records([article_a(), article_b()], table="fragments")
    assert [list(r) for r in rows] == [list(FRAGMENT_COLUMNS)] * 4
    assert [(r["article_id"], r["quote"], r["fragment"]) for r in rows] == [(0, 0, 0), (1, 0, 0), (1, 0, 1), (1, 1, 0)]
    texts = {0: TEXT_A, 1: TEXT_B}
    for r in rows:
        assert texts[r["article_id"]][r["start"]:r["end"]] == r["content"]
    assert rows[2]["speaker"] == "Bay Ferries" and rows[2]["content"] == '"Timetables do not."'


def test_credits_table() -> None:
    text = "Ferries run again. Photo: Harbor Wire"
    article = Article(text, credits=[Agency("Harbor Wire", sp(text, "Harbor Wire"), "photo"), Agency("Tidewire", None, "credit")])
    rows = to_records([article_a(), article], ids=["a", "b"], table="credits")
    assert rows == [
        {"article_id": "b", "name": "Harbor Wire", "kind": "photo", "mention": "Harbor Wire",
         "start": text.index("Harbor"), "end": len(text)},
        {"article_id": "b", "name": "Tidewire", "kind": "credit", "mention": None, "start": None, "end": None},
    ]
    assert [list(r) for r in rows] == [list(CREDIT_COLUMNS)] * 2


def test_include_empty_keeps_articles_without_quotes() -> None:
    rows = to_records([article_a(), Article("No quotes."), Article("", error="boom")], ids=list("abc"), include_empty=True)
    assert [r["article_id"] for r in rows] == ["a", "b", "c"]
    assert all(list(r) == [*COLUMNS, "error"] for r in rows)
    assert rows[0]["speaker"] == "Ines Mora" and rows[0]["error"] is None
    assert rows[1]["speaker"] is None and rows[1]["content"] is None and rows[1]["error"] is None
    assert rows[2]["error"] == "boom"
    # also for the other tables: article a has no credits
    assert [r["name"] for r in to_records([article_a()], table="credits", include_empty=True)] == [None]


def test_unknown_table_lists_valid_ones() -> None:
    with pytest.raises(ValueError, match="'quotes', 'fragments', 'credits'"):
        to_records(article_a(), table="quote")  # type: ignore[arg-type]


def test_dataframe_tables() -> None:
    pytest.importorskip("pandas")
    df = to_dataframe([article_a(), Article("No quotes.")], include_empty=True)
    assert list(df.columns) == [*COLUMNS, "error"]
    assert df.groupby("article_id").speaker.count().to_dict() == {0: 1, 1: 0}
    frag = to_dataframe(article_b(), table="fragments")
    assert list(frag.columns) == list(FRAGMENT_COLUMNS) and len(frag) == 3
    assert list(to_dataframe(article_b(), table="credits").columns) == list(CREDIT_COLUMNS)
