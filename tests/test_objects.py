"""quotecraft.objects: validation, serialisation and immutability of the result objects."""
from __future__ import annotations

import json

import attrs
import pytest

from quotecraft.objects import Agency, Article, Quote, Span, Speaker

TEXT = ('"The ferry will run again," harbour chief Ines Mora told the council on Monday, '
        'according to Lakeside Radio. "Fares stay the same."\n\nPhoto: Tidewire')


def sp(needle: str, text: str = TEXT, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def full_article() -> Article:
    """An article using every field, a two-fragment quote included."""
    quote = Quote(
        content=[sp('"The ferry will run again,"'), sp('"Fares stay the same."')],
        cue=sp("told"),
        speaker=Speaker("Ines Mora", sp("harbour chief Ines Mora"), "person"),
        addressee=Speaker("the council", sp("the council"), "organization"),
        reported_by=[Agency("Lakeside Radio", sp("Lakeside Radio"), "relay")],
        kind="mixed",
        confidence=0.75,
    )
    return Article(TEXT, quotes=[quote], credits=[Agency("Tidewire", sp("Tidewire"), "photo")],
                   error="partial: parser timed out")


# ------------------------------------------------------------------- Span
def test_span_valid_and_len():
    s = Span(3, 7, "abcd")
    assert (s.start, s.end, s.text, len(s)) == (3, 7, "abcd", 4)
    assert Span(5, 5, "") == Span.of("hello world", 5, 5)


def test_span_negative_start():
    with pytest.raises(ValueError, match="start"):
        Span(-1, 2, "abc")


def test_span_end_before_start():
    with pytest.raises(ValueError, match="before start"):
        Span(5, 4, "")


@pytest.mark.parametrize("start,end,text", [(0, 3, "ab"), (0, 3, "abcd"), (2, 2, "x")])
def test_span_text_length_mismatch(start, end, text):
    with pytest.raises(ValueError, match="does not fit"):
        Span(start, end, text)


def test_span_type_checks():
    with pytest.raises(TypeError):
        Span(0.0, 1, "a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Span(0, 1, b"a")  # type: ignore[arg-type]


def test_span_of_slices_text():
    s = Span.of(TEXT, TEXT.index("Ines"), TEXT.index("Ines") + 4)
    assert s.text == "Ines"
    assert TEXT[s.start:s.end] == s.text


def test_span_of_past_end_raises():
    # text[start:end] is shorter than end - start: the span cannot be built
    with pytest.raises(ValueError):
        Span.of("short", 2, 10)


def test_span_ordering_ignores_text():
    assert Span(1, 2, "a") < Span(2, 3, "b")
    assert sorted([Span(4, 5, "z"), Span(0, 1, "a"), Span(0, 3, "abc")]) == [
        Span(0, 1, "a"), Span(0, 3, "abc"), Span(4, 5, "z")]


def test_span_dict_round_trip():
    s = sp("Lakeside Radio")
    assert s.to_dict() == {"start": s.start, "end": s.end, "text": "Lakeside Radio"}
    assert Span.from_dict(s.to_dict()) == s


# ------------------------------------------------------------------- Speaker / Agency
def test_speaker_and_agency_kinds_validated():
    assert Speaker("X").kind == "unknown"
    assert Agency("X").kind == "relay"
    with pytest.raises(ValueError):
        Speaker("X", None, "robot")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Agency("X", None, "sponsor")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Speaker("X", mention=(0, 1))  # type: ignore[arg-type]


# ------------------------------------------------------------------- Quote
def test_quote_needs_content():
    with pytest.raises(ValueError, match="at least one"):
        Quote(content=[])


def test_quote_content_must_be_spans():
    with pytest.raises(TypeError):
        Quote(content=[(0, 3)])  # type: ignore[list-item]


def test_quote_content_converted_to_tuple_and_properties():
    a, b = sp('"The ferry will run again,"'), sp('"Fares stay the same."')
    q = Quote(content=[a, b])
    assert isinstance(q.content, tuple)
    assert q.start == a.start and q.end == b.end
    assert q.text == a.text + " " + b.text
    assert q.kind == "direct" and q.confidence == 1.0


@pytest.mark.parametrize("conf", [-0.01, 1.01, 2, float("nan")])
def test_quote_confidence_out_of_bounds(conf):
    with pytest.raises(ValueError, match="confidence"):
        Quote(content=[sp("Ines")], confidence=conf)


@pytest.mark.parametrize("conf", [0, 0.0, 1, "0.5"])
def test_quote_confidence_in_bounds_converted(conf):
    q = Quote(content=[sp("Ines")], confidence=conf)
    assert isinstance(q.confidence, float)
    assert q.confidence == float(conf)


@pytest.mark.parametrize("kind", ["direct", "indirect", "mixed"])
def test_quote_kind_ok(kind):
    assert Quote(content=[sp("Ines")], kind=kind).kind == kind


@pytest.mark.parametrize("kind", ["Direct", "paraphrase", ""])
def test_quote_kind_validated(kind):
    with pytest.raises(ValueError):
        Quote(content=[sp("Ines")], kind=kind)  # type: ignore[arg-type]


# ------------------------------------------------------------------- Article
def test_article_accepts_consistent_spans():
    art = full_article()
    assert len(art.quotes) == 1 and len(art.credits) == 1
    assert art.quotes[0].content[1].text == '"Fares stay the same."'


@pytest.mark.parametrize("where", ["content", "cue", "speaker", "addressee", "reported_by", "credits"])
def test_article_rejects_span_that_does_not_slice_back(where):
    bad = Span(0, 4, "Ines")  # TEXT[0:4] is '"The'
    good = full_article().quotes[0]
    fields = {
        "content": {"content": [bad]},
        "cue": {"cue": bad},
        "speaker": {"speaker": Speaker("Ines Mora", bad, "person")},
        "addressee": {"addressee": Speaker("Ines Mora", bad, "person")},
        "reported_by": {"reported_by": [Agency("X", bad)]},
    }
    if where == "credits":
        with pytest.raises(ValueError, match="does not slice back"):
            Article(TEXT, quotes=[good], credits=[Agency("X", bad, "photo")])
    else:
        with pytest.raises(ValueError, match="does not slice back"):
            Article(TEXT, quotes=[attrs.evolve(good, **fields[where])])


def test_article_rejects_span_past_end():
    with pytest.raises(ValueError):
        Article("abc", quotes=[Quote(content=[Span(2, 5, "c  ")])])


def test_article_defaults():
    art = Article("Nothing quoted here.")
    assert art.quotes == () and art.credits == () and art.error is None


def test_article_dict_round_trip_all_fields():
    art = full_article()
    d = art.to_dict()
    assert d["error"] == "partial: parser timed out"
    q = d["quotes"][0]
    assert len(q["content"]) == 2
    assert q["text"] == '"The ferry will run again," "Fares stay the same."'
    assert q["speaker"]["kind"] == "person" and q["addressee"]["name"] == "the council"
    assert q["reported_by"] == [{"name": "Lakeside Radio", "mention": sp("Lakeside Radio").to_dict(), "kind": "relay"}]
    assert d["credits"][0]["kind"] == "photo"
    # to_dict is plain JSON data
    assert json.loads(json.dumps(d)) == d
    assert Article.from_dict(d) == art


def test_article_json_round_trip_all_fields():
    art = full_article()
    s = art.to_json()
    assert Article.from_json(s) == art
    # indent etc. pass through to json.dumps
    assert Article.from_json(art.to_json(indent=2)) == art
    assert "\n  " in art.to_json(indent=2)


def test_article_json_keeps_non_ascii():
    text = "«Nous partons», a dit Zoë."
    art = Article(text, quotes=[Quote(content=[Span.of(text, 0, text.index("»") + 1)])])
    s = art.to_json()
    assert "«Nous partons»" in s and "Zoë" in s
    assert Article.from_json(s) == art
    assert "\\u00ab" in art.to_json(ensure_ascii=True)


def test_from_dict_tolerates_missing_optional_keys():
    text = '"Yes," she said.'
    d = {"text": text, "quotes": [{"content": [{"start": 0, "end": 6, "text": '"Yes,"'}]}]}
    art = Article.from_dict(d)
    q = art.quotes[0]
    assert (q.cue, q.speaker, q.addressee, q.reported_by, q.kind, q.confidence) == (None, None, None, (), "direct", 1.0)
    assert art.credits == () and art.error is None


def test_from_dict_validates():
    d = full_article().to_dict()
    d["quotes"][0]["content"][0]["start"] += 1
    with pytest.raises(ValueError):
        Article.from_dict(d)


# ------------------------------------------------------------------- frozen
def test_objects_are_frozen():
    art = full_article()
    q = art.quotes[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        art.text = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.confidence = 0.1  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.content[0].start = 1  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.speaker.name = "y"  # type: ignore[union-attr, misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        art.credits[0].kind = "credit"  # type: ignore[misc]
    # containers are tuples, and the objects hash
    assert isinstance(art.quotes, tuple) and isinstance(q.reported_by, tuple)
    assert hash(art) == hash(Article.from_json(art.to_json()))
