"""The project's bar: every hand-checked attribution of the example article, end to end on the
embedded model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import quotecraft

DATA = Path(__file__).parent / "data"
TEXT = (DATA / "kim-returns-from-russia.txt").read_text(encoding="utf-8")
EXPECTED = json.loads((DATA / "kim-returns-from-russia.expected.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def article():
    return quotecraft.extract(TEXT)


def _matches(q, entry):
    names = {s.lower() for s in entry["speaker"]}
    return (entry["content"] in q.text and q.speaker is not None and q.speaker.name.lower() in names
            and all(a in {r.name for r in q.reported_by} for a in entry["reported_by"]))


@pytest.mark.parametrize("entry", EXPECTED["quotes"], ids=lambda e: e["content"][:40])
def test_expected_attribution(article, entry):
    hits = [q for q in article.quotes if _matches(q, entry)]
    assert hits, f"no quote with {entry['content']!r} by {entry['speaker']} via {entry['reported_by']}: " + \
        "; ".join(f"{q.speaker.name if q.speaker else None}: {q.text[:50]}" for q in article.quotes)
    q = hits[0]
    if entry.get("cue"):
        assert q.cue is not None and q.cue.text == entry["cue"]
    else:
        assert q.cue is None
    assert q.kind == entry["kind"]
    if entry.get("addressee"):
        assert q.addressee is not None and q.addressee.name == entry["addressee"]


def test_credits(article):
    credits = {(c.name, c.kind) for c in article.credits}
    assert {(n, "credit") for n in EXPECTED["credits"]} <= credits
    assert {(n, "photo") for n in EXPECTED["photo_credits"]} <= credits
    for c in article.credits:
        assert TEXT[c.mention.start:c.mention.end] == c.mention.text


def test_nothing_from_not_quotes(article):
    for bad in EXPECTED["not_quotes"]:
        assert not any(bad in q.text or q.text in bad for q in article.quotes), bad


def test_relays_are_not_speakers_of_relayed_quotes(article):
    # "Kim told Putin ..., the KCNA reported": Kim speaks, KCNA relays
    told = [q for q in article.quotes if q.cue is not None and q.cue.text == "told"]
    assert told and told[0].speaker.name == "Kim Jong Un"
    assert [r.name for r in told[0].reported_by] == ["KCNA"]


def test_offsets_slice_back(article):
    for q in article.quotes:
        for s in q.content + tuple(x for x in (q.cue, q.speaker and q.speaker.mention) if x):
            assert TEXT[s.start:s.end] == s.text


def test_round_trip(article):
    assert quotecraft.Article.from_json(article.to_json()) == article
