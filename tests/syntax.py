"""Hand-written parses for resolver tests: no model needed.

``sent(text, "Form/UPOS/head/deprel[/lemma] ...")`` builds a `Sentence` whose
words are located in ``text`` in order, so offsets are exact.
"""
from __future__ import annotations

import pytest

from quotecraft.extractor import Extractor
from quotecraft.nlp.parse import Sentence, Word


def sent(text: str, spec: str, search_from: int = 0) -> Sentence:
    words = []
    pos = search_from
    for i, item in enumerate(spec.split()):
        parts = item.split("/")
        # "/" as a form is written "\\/"; forms never contain spaces
        form, upos, head, rel = parts[0], parts[1], int(parts[2]), parts[3]
        lemma = parts[4] if len(parts) > 4 else (form if upos == "PROPN" else form.lower())
        form = form.replace("_", " ")
        start = text.index(form, pos)
        pos = start + len(form)
        words.append(Word(i + 1, form, lemma, upos, "_", "_", head, rel, start, pos))
    return Sentence(words, words[0].start, words[-1].end)


def doc(text: str, *specs: str) -> list[Sentence]:
    out, pos = [], 0
    for spec in specs:
        s = sent(text, spec, pos)
        out.append(s)
        pos = s.end
    return out


@pytest.fixture()
def run(monkeypatch):
    """``run(text, *specs)``: the extractor's article for ``text`` with the hand-written parses.

    On the rules path: these tests pin down the resolver's reading of a given parse (the learned
    path's spans have their own tests, `tests/test_learned.py`)."""
    extractors = {}

    def _run(text, *specs, include_beliefs=False):
        ex = extractors.get(include_beliefs)
        if ex is None:
            ex = extractors[include_beliefs] = Extractor(attribution="rules", include_beliefs=include_beliefs)
        sentences = doc(text, *specs)
        monkeypatch.setattr(ex, "parse", lambda t, blocks: sentences)
        return ex.extract(text)

    return _run


def one(article, snippet):
    """The one quote whose text holds ``snippet``."""
    hits = [q for q in article.quotes if snippet in q.text]
    assert len(hits) == 1, [q.text for q in article.quotes]
    return hits[0]
