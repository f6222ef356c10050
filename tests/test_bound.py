"""Bounded cost: long unsplit sentences are cut before tagging/parsing, tree decoding
is exact where cheap and bounded where not, torch threads are set per extractor."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import quotecraft
from quotecraft.nlp.bound import MAX_WORDS, _score, split_points
from quotecraft.attribution.rejoin import join_cut_contents
from quotecraft.nlp.parse import Sentence, Word, torch_threads
from quotecraft.attribution.resolve import Attribution
from quotecraft.nlp.treedecode import EXACT_LIMIT, _reaches_root, one_root_tree


# ---------------------------------------------------------------------------- split points
def pieces(tokens: list[str], max_words: int) -> list[list[str]]:
    bounds = [0, *split_points(tokens, max_words), len(tokens)]
    return [tokens[a:b] for a, b in zip(bounds, bounds[1:])]


def test_short_sentence_is_not_cut() -> None:
    assert split_points("He said it was fine .".split(), max_words=10) == []


@pytest.mark.parametrize("n", [11, 57, 1000, 5003])
def test_no_piece_exceeds_the_bound_and_none_is_lost(n: int) -> None:
    tokens = [f"w{i}" for i in range(n)]
    out = pieces(tokens, 10)
    assert all(0 < len(p) <= 10 for p in out)
    assert [t for p in out for t in p] == tokens


def test_cut_goes_at_a_missed_sentence_end_before_a_comma() -> None:
    toks = '" q1 , " said A1 . " q2 , " said A2 . " q3 , " said A3 .'.split()
    out = pieces(toks, 12)
    assert out[0][-2:] == ["A1", "."] or out[0][-2:] == ["A2", "."]
    assert out[1][0] == '"'


def test_cut_prefers_semicolon_then_quote_then_comma_then_coordinator() -> None:
    assert _score("a ; b".split(), 1) > _score('a " b'.split(), 0) > _score("a , b".split(), 1) \
        > _score("a and b".split(), 0) > _score("a b c".split(), 0)


def test_comma_list_is_cut_at_commas() -> None:
    toks = ("The list includes " + ", ".join(f"item{i}" for i in range(500)) + " .").split()
    toks = [t for tok in toks for t in ([tok[:-1], ","] if tok.endswith(",") else [tok])]
    for p in pieces(toks, MAX_WORDS)[:-1]:
        assert p[-1] == ","


def test_split_points_rejects_a_silly_bound() -> None:
    with pytest.raises(ValueError, match="max_words"):
        split_points(["a"], max_words=1)


def test_split_points_is_linear() -> None:
    toks = ["word"] * 200_000
    t0 = time.perf_counter()
    split_points(toks, MAX_WORDS)
    assert time.perf_counter() - t0 < 5


# ---------------------------------------------------------------------------- contents over a cut
def _piece(text: str, start: int, end: int, continues: bool) -> Sentence:
    words, i = [], 0
    for k, tok in enumerate(text[start:end].split()):
        i = text.index(tok, start if not words else words[-1].end)
        words.append(Word(k + 1, tok, tok.lower(), "X", "_", "_", -1, "_", i, i + len(tok)))
    return Sentence(words, words[0].start, words[-1].end, parsed=False, continues=continues)


def test_reported_content_goes_on_through_the_pieces_of_its_sentence() -> None:
    text = "Ana said that a , b , c , d , e . Then it rained ."
    cut1, cut2, end = text.index("c ,"), text.index("e ."), text.index(" Then")
    sents = [_piece(text, 0, cut1, False), _piece(text, cut1, cut2, True), _piece(text, cut2, end, True),
             _piece(text, end + 1, len(text), False)]
    att = Attribution(content=[(text.index("a ,"), text.index(" ,", text.index("b ,")))], kind="indirect",
                      cue=(4, 8))
    join_cut_contents([att], sents)
    assert text[att.content[0][0]:att.content[0][1]] == "a , b , c , d , e"


def test_content_stops_before_a_piece_with_another_cue() -> None:
    text = "Ana said that a , b , Bo said c , d ."
    cut = text.index("Bo")
    sents = [_piece(text, 0, cut, False), _piece(text, cut, len(text), True)]
    first = Attribution(content=[(text.index("a ,"), text.index(" ,", text.index("b ,")))], kind="indirect",
                        cue=(4, 8))
    second = Attribution(content=[(text.index("c ,"), text.index(" ."))], kind="indirect",
                         cue=(text.index("said c"), text.index("said c") + 4))
    join_cut_contents([first, second], sents)
    assert text[slice(*first.content[0])] == "a , b"


# ---------------------------------------------------------------------------- tree decoding
def _valid(heads: np.ndarray) -> bool:
    return heads[0] == 0 and bool(_reaches_root(heads)[1:].all()) and int((heads[1:] == 0).sum()) == 1


@pytest.mark.parametrize("n", [2, 3, 5, 17, 60, MAX_WORDS])
def test_tree_decoder_equals_stanzas_up_to_the_exact_limit(n: int) -> None:
    from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root

    assert MAX_WORDS <= EXACT_LIMIT  # every piece the extractor parses is decoded exactly
    rng = np.random.default_rng(n)
    for k in range(60 if n <= 60 else 9):
        scores = rng.normal(size=(n + 1, n + 1)).astype(np.float32)
        if k % 3 == 1:  # a strong chain: the best heads already form a tree
            scores[np.arange(1, n + 1), np.arange(0, n)] += 6
        if k % 3 == 2:  # parser-like: log-probabilities, a weaker chain, a few cycles to contract
            scores[np.arange(1, n + 1), np.arange(0, n)] += 2.5
            scores = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        before = scores.copy()
        assert (one_root_tree(scores) == chuliu_edmonds_one_root(scores)).all()
        assert (scores == before).all()  # the caller's scores are not touched


def test_long_sentences_get_a_valid_tree_fast() -> None:
    rng = np.random.default_rng(7)
    t0 = time.perf_counter()
    for _ in range(20):  # random scores: the worst case, cycles everywhere
        heads = one_root_tree(rng.normal(size=(MAX_WORDS + 1, MAX_WORDS + 1)))
        assert _valid(heads)
    assert time.perf_counter() - t0 < 10  # Stanza's own decoder: ~0.3-0.6 s each


def test_greedy_repair_keeps_a_tree_the_scores_clearly_prefer() -> None:
    n = EXACT_LIMIT + 20
    scores = np.full((n + 1, n + 1), -5.0)
    scores[np.arange(2, n + 1), np.arange(1, n)] = 3.0  # a chain 1 <- 2 <- ... hung from word 1
    scores[1, 0] = 2.0
    scores[1, n] = 2.5  # ... but word 1 likes the last word more: a cycle through all words
    heads = one_root_tree(scores)
    assert _valid(heads) and heads[1] == 0 and list(heads[2:]) == list(range(1, n))


# ---------------------------------------------------------------------------- threads
def test_torch_threads_are_restored() -> None:
    import torch

    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with torch_threads(None):
        assert torch.get_num_threads() == before


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_bad_thread_count_is_refused_when_built(bad: Any) -> None:
    with pytest.raises(ValueError, match="threads"):
        quotecraft.Extractor(threads=bad)


# ---------------------------------------------------------------------------- real model, long inputs
@pytest.mark.model
def test_long_paragraph_of_quotes_links_every_quote(rules_extractor: Any) -> None:
    # the resolver's exact reading of the bounded parse (the default path: the stress test below)
    extractor = rules_extractor
    text = " ".join(f'"q{i}," said A{i}.' for i in range(150))
    art = extractor.extract(text)
    assert [(q.text, q.speaker.name if q.speaker else None) for q in art.quotes] == \
        [(f'"q{i},"', f"A{i}") for i in range(150)]
    sents = extractor.parse(text, [(0, len(text))])
    assert max(len(s.words) for s in sents) <= MAX_WORDS
    assert all(text[w.start:w.end] == w.text for s in sents for w in s.words)


@pytest.mark.model
def test_a_line_of_a_thousand_embedded_posts_reads_each_in_linear_time(rules_extractor: Any) -> None:
    # each post starts after the one before it on its line: reading from the line's start each
    # time was quadratic in the line (hostile input)
    text = "\n" + " ".join(f"Point {i} stands. — Ann Lee (@annlee) May 1, 2026" for i in range(1000))
    t0 = time.perf_counter()
    art = rules_extractor.extract(text)
    assert time.perf_counter() - t0 < 30
    posts = [q for q in art.quotes if q.cue is not None and q.cue.text == "—"]
    assert [q.text for q in posts] == [f"Point {i} stands." for i in range(1000)]
    assert {q.speaker.name for q in posts} == {"Ann Lee"}


@pytest.mark.model
def test_reported_clause_longer_than_the_bound_is_one_content(rules_extractor: Any) -> None:
    # the parse's cuts joined again by the resolver (the learned tagger reads pieces, not the parse)
    extractor = rules_extractor
    items = ", ".join(f"the town needs item{i}" for i in range(120))
    text = f"Maria Lopez said on Monday that {items}. \u201cWe will see,\u201d she added."
    art = extractor.extract(text)
    assert [(q.speaker.name, q.kind) for q in art.quotes] == [("Maria Lopez", "indirect"), ("Maria Lopez", "direct")]
    # the whole clause, past the cuts (whether "that" is kept depends on the parse of the first piece)
    assert art.quotes[0].text.removeprefix("that ") == items


@pytest.mark.model
@pytest.mark.slow
def test_stress_input_in_bounded_time_and_memory() -> None:
    """400 short quotes in one paragraph: once out of memory at 24 GB."""
    script = textwrap.dedent("""
        import json, resource, time, quotecraft
        text = " ".join(f'"q{i}," said A{i}.' for i in range(400))
        ex = quotecraft.Extractor(); ex.extract("Warm up, he said.")
        t = time.perf_counter(); art = ex.extract(text); dt = time.perf_counter() - t
        print(json.dumps({"s": dt, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "n": len(art.quotes), "attribution": ex.attribution,
                          "quotes": [[q.text, q.speaker.name if q.speaker else None] for q in art.quotes]}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).parent)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    found = {i for i in range(400)
             if any(f'"q{i},"' in text and speaker == f"A{i}" for text, speaker in r["quotes"])}
    if r["attribution"] == "rules":
        assert r["n"] == 400 and len(found) == 400
    else:
        # the learned tagger (the default), reading 400 look-alike sentences in one paragraph,
        # glues some quotes to the name before them and takes the next sentence's source for
        # others, which the reconcile step source_at_cue gives back to the cue's own (389 of 400
        # found with their speaker with the fine-tuned encoder of issue 24, 382 before it; the
        # rules find all 400, see test_long_paragraph_of_quotes_links_every_quote): bounded,
        # never lost wholesale
        assert len(found) >= 375 and r["n"] <= 440, (len(found), r["n"])
    # ~6 s and ~0.6 GB on the rules, ~10 s and ~0.9 GB on the learned path (beside one other job)
    assert r["s"] < 120 and r["mb"] < 2048, {k: r[k] for k in ("s", "mb", "n")}
