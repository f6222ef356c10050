"""Wire-service and web-page layouts end to end on the embedded model: one passage per agency
style (KCNA/Yonhap, Xinhua, AFP, Reuters), a press release, a scraped page with its furniture and
a Q&A interview, each with hand-checked expectations in ``examples/wire/*.expected.json``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import quotecraft

WIRE = Path(__file__).resolve().parent.parent / "examples" / "wire"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in WIRE.glob("*.expected.json"))
EXPECTED = {n: json.loads((WIRE / f"{n}.expected.json").read_text(encoding="utf-8")) for n in NAMES}

pytestmark = pytest.mark.model

_articles: dict[str, quotecraft.Article] = {}


def article(name: str) -> quotecraft.Article:
    if name not in _articles:
        _articles[name] = quotecraft.extract((WIRE / EXPECTED[name]["text"]).read_text(encoding="utf-8"))
    return _articles[name]


def _matches(q, entry) -> bool:
    names = {s.lower() for s in entry["speaker"]}
    speaker_ok = q.speaker is None if not names else (q.speaker is not None and q.speaker.name.lower() in names)
    return entry["content"] in q.text and speaker_ok and {r.name for r in q.reported_by} == set(entry["reported_by"])


CASES = [(n, e) for n in NAMES for e in EXPECTED[n]["quotes"]]


@pytest.mark.parametrize("name,entry", CASES, ids=[f"{n}:{e['content'][:30]}" for n, e in CASES])
def test_expected_attribution(name, entry):
    a = article(name)
    hits = [q for q in a.quotes if _matches(q, entry)]
    assert hits, f"no quote with {entry['content']!r} by {entry['speaker']} via {entry['reported_by']}: " + "; ".join(
        f"{q.speaker.name if q.speaker else None} via {[r.name for r in q.reported_by]}: {q.text[:50]}" for q in a.quotes)
    q = hits[0]
    assert q.cue is not None and q.cue.text == entry["cue"]
    assert q.kind == entry["kind"]


@pytest.mark.parametrize("name", NAMES)
def test_credits(name):
    assert sorted((c.name, c.kind) for c in article(name).credits) == sorted(map(tuple, EXPECTED[name]["credits"]))


@pytest.mark.parametrize("name", NAMES)
def test_furniture_and_datelines_are_never_quoted(name):
    a = article(name)
    for line in EXPECTED[name]["furniture"]:
        start = a.text.index(line)
        end = start + len(line)
        for q in a.quotes:
            spans = list(q.content) + [s for s in (q.cue, q.speaker and q.speaker.mention) if s]
            assert all(s.end <= start or s.start >= end for s in spans), f"{line!r} touched by {q.text[:60]!r}"
            assert q.speaker is None or q.speaker.name != line


@pytest.mark.parametrize("name", NAMES)
def test_no_speaker_is_a_dateline_city(name):
    a = article(name)
    cities = {line.split(",")[0].split(" (")[0] for line in EXPECTED[name]["furniture"] if line[:3].isupper()}
    for q in a.quotes:
        assert q.speaker is None or q.speaker.name.upper() not in cities, q.speaker
