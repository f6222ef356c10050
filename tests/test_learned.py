"""The learned attribution model: span decoding, linking, quote snapping, loading errors.

Decoding and linking are tested on hand-made tags (no model); the shipped model is loaded
for determinism and the offline check.  The encoder comes from the ``learned`` extra, which
``make venv`` installs.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quotecraft.errors import EncoderError
from quotecraft.nlp.encoder import load_encoder
from quotecraft.attribution.tagger import B, HEAD_PATH, I, N_FLAGS, O, LearnedAttribution, LearnedSpan, build_head, decode_spans, link, load_head, snap_to_quotes, token_flags, viterbi_tags
from quotecraft.errors import HeadError
from quotecraft.attribution.merge import merge_with_rules
from quotecraft.attribution.quotes import find_quotes
from quotecraft.attribution.resolve import Attribution, Party


def pieces(text: str) -> list[tuple[int, int]]:
    """Whitespace-and-punctuation pieces with offsets, like word pieces for these tests."""
    import re

    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


def tags_for(text: str, offs: list[tuple[int, int]], marks: dict[str, list[str]]) -> list[list[int]]:
    """Tags from role -> list of phrases: each phrase's pieces get B I I ..."""
    tags = [[O, O, O] for _ in offs]
    for r, role in enumerate(("source", "cue", "content")):
        for phrase in marks.get(role, []):
            s = text.index(phrase)
            e = s + len(phrase)
            idx = [k for k, (a, b) in enumerate(offs) if a >= s and b <= e]
            tags[idx[0]][r] = B
            for k in idx[1:]:
                tags[k][r] = I
    return tags


def spans_of(text: str, marks: dict[str, list[str]], paras: list[int] | None = None) -> list[LearnedSpan]:
    offs = pieces(text)
    tags = tags_for(text, offs, marks)
    probs = [[0.9, 0.8, 0.7]] * len(offs)
    return decode_spans(tags, probs, offs, paras or [0] * len(offs))


def test_decode_spans_reads_bio_per_role():
    text = "The mayor said that the bridge will reopen in May."
    spans = spans_of(text, {"source": ["The mayor"], "cue": ["said"], "content": ["that the bridge will reopen in May"]})
    got = {(s.role, text[s.start:s.end]) for s in spans}
    assert got == {("source", "The mayor"), ("cue", "said"), ("content", "that the bridge will reopen in May")}
    content = next(s for s in spans if s.role == "content")
    assert content.score == pytest.approx(0.7)


def test_decode_spans_i_after_o_starts_a_span_and_paragraphs_cut():
    offs = [(0, 3), (4, 7), (8, 11), (12, 15), (16, 19)]
    tags = [[O, O, I], [O, O, I], [O, O, O], [O, O, O], [O, O, I]]
    spans = decode_spans(tags, [[1.0] * 3] * 5, offs, [0] * 5)
    assert [(s.start, s.end) for s in spans] == [(0, 7), (16, 19)]
    # a single O between content pieces is bridged: one content, not two
    tags = [[O, O, B], [O, O, I], [O, O, O], [O, O, I], [O, O, O]]
    spans = decode_spans(tags, [[1.0] * 3] * 5, offs, [0] * 5)
    assert [(s.start, s.end) for s in spans] == [(0, 15)]
    # but not for a cue, and not when a B follows (two contents side by side)
    tags = [[B, B, B], [I, I, O], [O, O, O], [I, I, B], [O, O, O]]
    spans = decode_spans(tags, [[1.0] * 3] * 5, offs, [0] * 5)
    assert sorted((s.role, s.start, s.end) for s in spans) == [
        ("content", 0, 3), ("content", 12, 15), ("cue", 0, 7), ("cue", 12, 15), ("source", 0, 7), ("source", 12, 15)]
    # the same I I run split by a paragraph boundary gives two spans
    spans = decode_spans([[O, O, B], [O, O, I]], [[1.0] * 3] * 2, offs[:2], [0, 1])
    assert [(s.start, s.end, s.para) for s in spans] == [(0, 3, 0), (4, 7, 1)]


def test_link_content_cue_source():
    text = "The mayor said that the bridge will reopen in May."
    atts = link(spans_of(text, {"source": ["The mayor"], "cue": ["said"],
                                "content": ["that the bridge will reopen in May"]}))
    assert len(atts) == 1
    a = atts[0]
    assert text[a.cue[0]:a.cue[1]] == "said"
    assert text[a.source[0]:a.source[1]] == "The mayor"
    assert [text[s:e] for s, e in a.content] == ["that the bridge will reopen in May"]
    assert 0 < a.confidence <= 1


def test_link_two_contents_sharing_a_cue_are_one_attribution():
    text = '"We are ready," the coach said, "and we will win."'
    atts = link(spans_of(text, {"source": ["the coach"], "cue": ["said"],
                                "content": ['"We are ready,"', '"and we will win."']}))
    assert len(atts) == 1
    assert [text[s:e] for s, e in atts[0].content] == ['"We are ready,"', '"and we will win."']


def test_link_leaves_a_cue_after_and_to_its_own_clause():
    text = 'Dana Hill told reporters the request was "a stunt" and said the office had nothing to hide.'
    spans = spans_of(text, {"source": ["Dana Hill"], "cue": ["told", "said"],
                            "content": ['the request was "a stunt"', "the office had nothing to hide"]})
    # "said" is nearer to the first content, but it opens the clause after "and"
    atts = link(spans, text=text)
    assert [(text[a.cue[0]:a.cue[1]], [text[s:e] for s, e in a.content]) for a in atts] == [
        ("told", ['the request was "a stunt"']), ("said", ["the office had nothing to hide"])]
    assert all(text[a.source[0]:a.source[1]] == "Dana Hill" for a in atts)
    # without the text, the nearest cue takes both (the rule needs the words between)
    assert len(link(spans)) == 1
    # a cue after "and" is still taken where the paragraph has no other
    text = 'The plan is "too slow" and critics said so.'
    atts = link(spans_of(text, {"source": ["critics"], "cue": ["said"], "content": ['The plan is "too slow"']}),
                text=text)
    assert len(atts) == 1 and text[atts[0].cue[0]:atts[0].cue[1]] == "said"


def test_link_prefers_a_cue_of_the_content_s_own_sentence():
    text = '"We are not giving up," Lopez said. "Not now, not ever," she added.'
    spans = spans_of(text, {"source": ["Lopez", "she"], "cue": ["said", "added"],
                            "content": ['"We are not giving up,"', '"Not now, not ever,"']})
    # "said" is nearer to the second quotation, but across the sentence end
    atts = link(spans, text=text)
    assert [(text[a.cue[0]:a.cue[1]], text[a.source[0]:a.source[1]]) for a in atts] == [("said", "Lopez"),
                                                                                      ("added", "she")]
    # a quotation with no cue in its sentence still takes the one before it ('"A," he said. "B."')
    text = '"We are not giving up," Lopez said. "Not now, not ever."'
    atts = link(spans_of(text, {"source": ["Lopez"], "cue": ["said"],
                                "content": ['"We are not giving up,"', '"Not now, not ever."']}), text=text)
    assert len(atts) == 1 and len(atts[0].content) == 2


def test_link_prefers_a_source_of_the_cue_s_own_sentence():
    text = 'It was Ann Lee. "Taxes will stay flat," said on Monday in a long speech to the council the mayor.'
    spans = spans_of(text, {"source": ["Ann Lee", "the mayor"], "cue": ["said"],
                            "content": ['"Taxes will stay flat,"']})
    # "Ann Lee" is nearer to "said", but across the sentence end
    (a,) = link(spans, text=text)
    assert text[a.source[0]:a.source[1]] == "the mayor"
    (a,) = link(spans)
    assert text[a.source[0]:a.source[1]] == "Ann Lee"


def test_link_reads_a_paragraph_of_thousands_of_clauses_in_bounded_time():
    import time

    # every content weighs every cue of its paragraph: the sentence ends between them are found
    # once per text (a search per pair took clauses3000 of benchmarks/long_inputs.py from 7 to 72 s)
    n = 2000
    text = " ".join(f"alpha{i} said the beta{i} went home." for i in range(n))
    spans = []
    pos = 0
    for i in range(n):
        s = text.index(f"alpha{i} said", pos)
        spans.append(LearnedSpan("source", s, s + len(f"alpha{i}"), 0, 0.9))
        c = s + len(f"alpha{i} ")
        spans.append(LearnedSpan("cue", c, c + 4, 0, 0.9))
        spans.append(LearnedSpan("content", c + 5, c + 5 + len(f"the beta{i} went home"), 0, 0.9))
        pos = c
    t = time.perf_counter()
    atts = link(spans, text=text)
    assert time.perf_counter() - t < 20
    assert len(atts) == n and all(text[a.cue[0]:a.cue[1]] == "said" for a in atts)
    assert text[atts[7].source[0]:atts[7].source[1]] == "alpha7"


def test_a_content_labelling_as_a_quoted_phrase_ends_with_its_label():
    from quotecraft.attribution.tagger import end_at_label

    def cut(text, content):
        a = LearnedAttribution([(text.index(content), text.index(content) + len(content))], None, None, 0.9)
        end_at_label(text, a)
        return text[a.content[-1][0]:a.content[-1][1]]

    text = 'The senator described the plan as "a disaster" during a rally in Ohio.'
    assert cut(text, 'the plan as "a disaster" during a rally in Ohio') == 'the plan as "a disaster"'
    text = "The union branded the offer as an “insult,” on Tuesday in a letter to members."
    assert cut(text, "the offer as an “insult,” on Tuesday in a letter to members") == "the offer as an “insult,”"
    # a time of the time word lists opens the adjunct too
    text = 'The mayor will describe the plan as "a windfall" tomorrow in Ohio.'
    assert cut(text, 'the plan as "a windfall" tomorrow in Ohio') == 'the plan as "a windfall"'
    # no "as": a quotation inside a longer statement keeps the rest ('said the plan was "a disaster" in every way')
    text = 'She said the plan was "a disaster" in every way.'
    assert cut(text, 'the plan was "a disaster" in every way') == 'the plan was "a disaster" in every way'
    # "as" with words after the label that are no adjunct: the statement goes on
    text = 'He described the law as "a trap" that would ruin farmers.'
    assert cut(text, 'the law as "a trap" that would ruin farmers') == 'the law as "a trap" that would ruin farmers'


def test_link_takes_the_nearest_cue_of_the_same_paragraph_only():
    text = "Ann Lee said rents rose. Bob Ray told us that taxes fell."
    atts = link(spans_of(text, {"source": ["Ann Lee", "Bob Ray"], "cue": ["said", "told"],
                                "content": ["rents rose", "that taxes fell"]}))
    assert [(text[a.source[0]:a.source[1]], text[a.cue[0]:a.cue[1]]) for a in atts] == [("Ann Lee", "said"), ("Bob Ray", "told")]
    # a content alone in its paragraph keeps no cue and no speaker
    offs = pieces(text)
    paras = [0 if s < 25 else 1 for s, _ in offs]
    tags = tags_for(text, offs, {"source": ["Ann Lee"], "cue": ["said"], "content": ["that taxes fell"]})
    atts = link(decode_spans(tags, [[1.0] * 3] * len(offs), offs, paras))
    assert len(atts) == 1 and atts[0].cue is None and atts[0].source is None


def test_decode_trims_content_edges_with_text():
    text = "He said. that taxes rose, and left"
    offs = pieces(text)
    tags = [[O, O, O] for _ in offs]
    k0 = next(k for k, (s, _) in enumerate(offs) if text[s] == ".")
    k1 = next(k for k, (s, _) in enumerate(offs) if text[s] == ",")
    tags[k0][2] = B
    for k in range(k0 + 1, k1 + 1):
        tags[k][2] = I
    spans = decode_spans(tags, [[1.0] * 3] * len(offs), offs, [0] * len(offs), text)
    assert [text[s.start:s.end] for s in spans] == ["that taxes rose"]


def test_decode_never_cuts_a_word():
    # word pieces as a tokenizer makes them: "item119" is "item" + "119", "A62" is "A" + "6" + "2"
    text = "She said the town needs item119, A62 said."
    offs = [(0, 3), (4, 8), (9, 12), (13, 17), (18, 23), (24, 28), (28, 31), (31, 32),
            (33, 34), (34, 35), (35, 36), (37, 41), (41, 42)]
    assert [text[s:e] for s, e in offs][5:11] == ["item", "119", ",", "A", "6", "2"]
    tags = [[O, O, O] for _ in offs]
    tags[2][2], tags[3][2], tags[4][2], tags[5][2] = B, I, I, I  # content ends inside "item119"
    tags[9][0], tags[10][0] = B, I  # source starts inside "A62"
    spans = decode_spans(tags, [[1.0] * 3] * len(offs), offs, [0] * len(offs), text)
    assert {(s.role, text[s.start:s.end]) for s in spans} == {("content", "the town needs item119"), ("source", "A62")}


def test_link_drops_low_scoring_contents():
    text = "Officials said costs rose."
    offs = pieces(text)
    tags = tags_for(text, offs, {"source": ["Officials"], "cue": ["said"], "content": ["costs rose"]})
    assert link(decode_spans(tags, [[0.4] * 3] * len(offs), offs, [0] * len(offs))) == []


def test_snap_keeps_direct_quote_offsets_exact():
    text = 'He said "the plan works well" and left.'
    quotes = find_quotes(text)
    inner = text.index("the plan")
    att = LearnedAttribution([(inner, inner + len("the plan works"))])
    snap_to_quotes(text, [att], quotes)
    assert [text[s:e] for s, e in att.content] == ['"the plan works well"']
    assert att.kind == "direct"
    att = LearnedAttribution([(text.index("He"), text.index(" and"))])
    snap_to_quotes(text, [att], quotes)
    assert att.kind == "mixed"
    att = LearnedAttribution([(text.index("and"), len(text) - 1)])
    snap_to_quotes(text, [att], quotes)
    assert att.kind == "indirect" and text[att.content[0][0]:att.content[0][1]] == "and left"
    # one word outside the marks makes it mixed, however long the quotation ('it "remains ..."');
    # punctuation outside them does not
    text = 'The bank said it "remains highly attentive to inflation risks and to the labour market."'
    quotes = find_quotes(text)
    att = LearnedAttribution([(text.index("it "), len(text))])
    snap_to_quotes(text, [att], quotes)
    assert att.kind == "mixed"
    text = 'Lee: "We will rebuild the pier before the summer season starts."'
    quotes = find_quotes(text)
    att = LearnedAttribution([(text.index('"') - 1, len(text))])
    snap_to_quotes(text, [att], quotes)
    assert att.kind == "direct"


def decided(rule: Attribution, step: str) -> Attribution:
    """The resolver's attribution as a reconcile step puts it out: the same, decided by ``step``."""
    return dataclasses.replace(rule, step=step)


def test_merge_uses_the_resolver_names_and_relays():
    text = "Kim Jong Un said peace was near, KCNA reported."
    src = (0, 11)
    content = [(17, 32)]
    rule = Attribution([(17, 32)], "indirect", cue=(12, 16),
                       speaker=Party("Kim Jong Un", (0, 11), "person"), reported_by=[("KCNA", (34, 38))])
    learned = [LearnedAttribution(content, cue=(12, 16), source=src, confidence=0.9)]
    out = merge_with_rules(text, learned, [rule], name_of=lambda r: Party("UNUSED", r))
    assert out[0].speaker.name == "Kim Jong Un" and out[0].reported_by == [("KCNA", (34, 38))]
    assert out[0].confidence == 0.9
    # a source the rules did not name is named by the callback
    out = merge_with_rules(text, learned, [], name_of=lambda r: Party(text[r[0]:r[1]].upper(), r))
    assert out[0].speaker.name == "KIM JONG UN" and out[0].reported_by == []


def test_merge_borrows_the_resolver_speaker_and_backfills_its_direct_quotes():
    text = 'Ann Lee said taxes rose. "We need more," she added later. "And soon."'
    said = (text.index("said"), text.index("said") + 4)
    added = (text.index("added"), text.index("added") + 5)
    q1 = (text.index('"We'), text.index(" she") )
    q2 = (text.index('"And'), len(text))
    taxes = (text.index("taxes"), text.index("rose") + 4)
    rules = [Attribution([taxes], "indirect", cue=said, speaker=Party("Ann Lee", (0, 7), "person")),
             Attribution([q1], "direct", cue=added, speaker=Party("Ann Lee", (text.index("she"), text.index("she") + 3))),
             Attribution([q2], "direct", cue=added, speaker=Party("Ann Lee", (text.index("she"), text.index("she") + 3)))]
    # the tagger found the first two contents, the first without a source, and missed the last quote
    learned = [LearnedAttribution([taxes], cue=None, source=None, confidence=0.7),
               LearnedAttribution([q1], cue=added, source=(text.index("she"), text.index("she") + 3), kind="direct")]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party("UNUSED", r))
    assert [text[a.content[0][0]:a.content[0][1]] for a in out] == ["taxes rose", '"We need more,"', '"And soon."']
    assert out[0].speaker.name == "Ann Lee" and out[0].speaker.mention == (0, 7) and out[0].cue == said
    assert out[0].confidence == 0.7  # still the learned call
    assert out[2] == decided(rules[2], "backfill_direct")  # the resolver's own quote, untouched
    # both off: only the learned spans, the uncued content stays without a speaker
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party("UNUSED", r),
                           backfill_direct=False, borrow_source=False)
    assert len(out) == 2 and out[0].speaker is None and out[0].cue is None
    # a rules direct quote that a learned content overlaps is not added twice
    learned[1].content = [(q1[0] + 1, q2[1] - 3)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party("UNUSED", r))
    assert len(out) == 2


def test_merge_keeps_a_linked_quote_the_tagger_glued_to_another_content():
    text = ('The senator called the bill "a disgrace" and urged voters to call their offices. '
            '"It will not pass," she said.')
    bill = (text.index("the bill"), text.index(" and urged"))
    quote = (text.index('"a disgrace"'), text.index('"a disgrace"') + len('"a disgrace"'))
    urged = (text.index("voters"), text.index("offices") + 7)
    said = (text.index("said"), text.index("said") + 4)
    pass_ = (text.index('"It'), text.index(" she"))
    senator = (0, 11)
    # the resolver: the closed quotation linked to its cue through the parse (0.95), and one
    # it found with less certainty (0.7)
    rules = [Attribution([quote], "direct", cue=(12, 18), speaker=Party("the senator", senator), confidence=0.95),
             Attribution([pass_], "direct", cue=said, speaker=Party("she", (pass_[1] + 1, pass_[1] + 4)),
                         confidence=0.7)]
    # the tagger took "the bill ... disgrace" and "voters ... offices" as one content of "called"
    # (Jaccard with the quote < 0.5), and the second quote inside a longer content
    learned = [LearnedAttribution([bill, urged], cue=(12, 18), source=senator, kind="mixed", confidence=0.8),
               LearnedAttribution([(pass_[0], said[1])], cue=said, kind="direct", confidence=0.8)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    contents = [[text[s:e] for s, e in a.content] for a in out]
    assert ['"a disgrace"'] in contents  # kept beside the learned attribution
    assert [text[s:e] for s, e in out[0].content] == [text[slice(*bill)], text[slice(*urged)]]
    assert ['"It will not pass,"'] not in contents  # not linked through the parse: the learned call stands
    # a learned content that matches the quote (Jaccard >= 0.5) keeps it from being added twice
    learned[0].content = [(quote[0], quote[1] + 4)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert len(out) == 2
    # with the backfill off, only the learned attributions
    learned[0].content = [bill, urged]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), backfill_direct=False)
    assert len(out) == 2


def test_merge_prefers_the_resolver_reading_of_a_relayed_statement():
    text = "The minister told reporters that the talks had failed, the agency reported on Monday."
    agency = (text.index("the agency"), text.index("the agency") + 10)
    minister = (0, 12)
    told = (text.index("told"), text.index("told") + 4)
    failed = (text.index("the talks"), text.index(", the agency"))
    outer = (0, failed[1])
    rules = [Attribution([failed], "indirect", cue=told, speaker=Party("The minister", minister),
                         reported_by=[("the agency", agency)])]
    # the tagger read the relay as the speaker of the whole sentence
    learned = [LearnedAttribution([outer], cue=(agency[1] + 1, agency[1] + 9), source=agency, confidence=0.8)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert out == [decided(rules[0], "relay_frame")]
    assert out[0].speaker.name == "The minister" and out[0].reported_by == [("the agency", agency)]
    # the same sentence where the resolver sees no relay: the learned call stands
    rules[0].reported_by = []
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert len(out) == 1 and out[0].speaker.mention == agency and out[0].content == [outer]


# ------------------------------------------------------------------ Viterbi decoding

def test_viterbi_keeps_a_content_whole_where_one_piece_leans_to_o():
    # per piece (O, B, I) for one role: the argmax reads I I O I I (a content broken in two,
    # starting with an I); the best valid sequence is one span B I I I I
    probs = [[[0.3, 0.3, 0.4]], [[0.2, 0.1, 0.7]], [[0.5, 0.1, 0.4]], [[0.2, 0.1, 0.7]], [[0.2, 0.1, 0.7]]]
    tags, chosen = viterbi_tags(probs, [0] * 5)
    assert [t[0] for t in tags] == [B, I, I, I, I]
    assert chosen[2][0] == pytest.approx(0.4) and chosen[0][0] == pytest.approx(0.3)
    # a clear O in the middle still splits: B I O B I
    probs[2] = [[0.9, 0.05, 0.05]]
    probs[3] = [[0.1, 0.6, 0.3]]
    tags, _ = viterbi_tags(probs, [0] * 5)
    assert [t[0] for t in tags] == [B, I, O, B, I]


def test_viterbi_never_runs_an_i_across_a_paragraph_or_after_o():
    import random

    rnd = random.Random(7)
    n = 60
    probs = []
    for _ in range(n):
        row = []
        for _ in range(3):
            w = [rnd.random() for _ in range(3)]
            row.append([x / sum(w) for x in w])
        probs.append(row)
    paras = [k // 17 for k in range(n)]
    tags, chosen = viterbi_tags(probs, paras)
    for r in range(3):
        seq = [t[r] for t in tags]
        assert seq[0] != I
        for k in range(1, n):
            if seq[k] == I:
                assert seq[k - 1] in (B, I) and paras[k] == paras[k - 1]
        assert all(chosen[k][r] == probs[k][r][seq[k]] for k in range(n))
    # decoding the Viterbi tags gives spans inside one paragraph each
    offs = [(3 * k, 3 * k + 2) for k in range(n)]
    for s in decode_spans(tags, chosen, offs, paras):
        assert paras[s.start // 3] == paras[(s.end - 2) // 3]
    assert viterbi_tags([], []) == ([], [])


def test_viterbi_equals_argmax_when_argmax_is_valid():
    probs = [[[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.6, 0.3, 0.1]],
             [[0.1, 0.1, 0.8], [0.1, 0.7, 0.2], [0.2, 0.7, 0.1]],
             [[0.8, 0.1, 0.1], [0.6, 0.2, 0.2], [0.3, 0.6, 0.1]]]
    tags, _ = viterbi_tags(probs, [0, 0, 0])
    assert tags == [[max(range(3), key=lambda t: probs[k][r][t]) for r in range(3)] for k in range(3)]


def test_o_weight_lets_a_doubtful_span_through_for_its_role_only():
    # a piece that leans to O (0.55) against B (0.45), for the source and the content alike
    probs = [[[0.9, 0.05, 0.05]] * 3, [[0.55, 0.45, 0.0]] * 3, [[0.9, 0.05, 0.05]] * 3]
    tags, chosen = viterbi_tags(probs, [0] * 3)
    assert [t[0] for t in tags] == [O, O, O] and [t[2] for t in tags] == [O, O, O]
    # O scaled by 0.8 on the content only: 0.44 < 0.45, the content takes the piece as B
    tags, chosen = viterbi_tags(probs, [0] * 3, [1.0, 1.0, 0.8])
    assert [t[0] for t in tags] == [O, O, O]
    assert [t[2] for t in tags] == [O, B, O]
    assert chosen[1][2] == pytest.approx(0.45)  # the tag's own probability, not the weighted one
    assert viterbi_tags(probs, [0] * 3, [1.0, 1.0, 1.0]) == viterbi_tags(probs, [0] * 3)


def test_o_weight_on_the_command_line():
    import argparse

    from quotecraft.train.attribution import _o_weight

    assert _o_weight("0.8") == [0.8, 0.8, 0.8]
    assert _o_weight("1,0.9,0.7") == [1.0, 0.9, 0.7]
    for bad in ("0", "0.5,0.5", "x", "1,1,-1"):
        with pytest.raises(argparse.ArgumentTypeError):
            _o_weight(bad)


def test_learned_attributions_drop_weak_indirect_contents_but_keep_quoted_ones():
    import torch

    from quotecraft.attribution.tagger import ArticleInputs, learned_attributions

    text = 'Officials said costs rose. "We won," Ann Lee said.'
    offs = pieces(text)
    tags = tags_for(text, offs, {"source": ["Officials", "Ann Lee"], "content": ["costs rose", '"We won,"']})
    for k, (s, e) in enumerate(offs):
        if text[s:e] == "said":
            tags[k][1] = B
    quotes = find_quotes(text)
    flags = token_flags(text, offs, quotes, [0], frozenset({"said"}))
    inp = ArticleInputs([torch.zeros(len(offs), dtype=torch.int32)], [torch.tensor(offs, dtype=torch.int32)],
                        [torch.tensor(flags)], [torch.zeros(len(offs), dtype=torch.int32)], [])

    def head(feats, ids, flags, lengths):  # a stand-in: probability 0.6 on the tags above
        assert feats is None and flags.shape[-1] == N_FLAGS
        out = torch.full((1, len(offs), 3, 3), 0.2)
        for i, row in enumerate(tags):
            for r, t in enumerate(row):
                out[0, i, r, t] = 0.6
        return torch.log(out)  # the softmax gives the probabilities back

    for decode in ("argmax", "viterbi"):
        config = {"feat_dim": 0, "flags": N_FLAGS, "decode": decode}
        atts = learned_attributions(text, head, config, inp, quotes)
        assert sorted(text[a.content[0][0]:a.content[0][1]] for a in atts) == ['"We won,"', "costs rose"]
        assert all(a.confidence == pytest.approx(0.36) for a in atts)  # content 0.6 x cue 0.6
        atts = learned_attributions(text, head, dict(config, min_confidence=0.4), inp, quotes)
        assert [(text[a.content[0][0]:a.content[0][1]], a.kind) for a in atts] == [('"We won,"', "direct")]


# ------------------------------------------------------------------ flags

def test_token_flags_read_the_quote_pairing_and_paragraph_edges():
    text = 'Ortiz said: "We will rebuild."\nShe added: "It runs on\nThe end came.'
    offs = pieces(text)
    paras = [0, text.index("She"), text.index("The end")]
    blocks = [(0, paras[1] - 1), (paras[1], paras[2] - 1), (paras[2], len(text))]
    quotes = find_quotes(text, blocks)
    flags = token_flags(text, offs, quotes, paras, frozenset({"said", "added"}))
    assert all(len(f) == N_FLAGS for f in flags)
    at = {text[s:e] + f"@{s}": f for (s, e), f in zip(offs, flags)}
    first_open = at[f'"@{text.index(chr(34))}']
    first_close = at[f'"@{text.index("rebuild") + 8}']
    assert first_open[:2] == [1.0, 1.0] and first_open[5:7] == [1.0, 0.0]   # opening mark
    assert first_close[5:7] == [0.0, 1.0]                                    # closing mark
    assert at[f'We@{text.index("We")}'][7] == 0.0                           # inside a closed quote
    assert at[f'runs@{text.index("runs")}'][0] == 1.0 and at[f'runs@{text.index("runs")}'][7] == 1.0  # runs on
    assert at[f'.@{text.index("rebuild") + 7}'][8] == 0.0 and at[f'"@{text.index("rebuild") + 8}'][8] == 1.0
    assert at[f'on@{text.index("on")}'][8] == 1.0 and at[f'She@{paras[1]}'][2] == 1.0
    assert at[f'said@{text.index("said")}'][3] == 1.0 and at[f'Ortiz@0'][4] == 1.0
    assert at[f'The@{paras[2]}'][0] == 0.0 and flags[-1][8] == 1.0


def test_head_with_a_bilstm_reads_its_flags_and_keeps_padding_out():
    import torch

    cfg = {"feat_dim": 6, "proj": 8, "hidden": 4, "layers": 2, "arch": "convlstm", "flags": N_FLAGS}
    head = build_head(cfg).eval()
    torch.manual_seed(0)
    feats = torch.randn(2, 7, 6)
    flags = torch.zeros(2, 7, N_FLAGS)
    out = head(feats, None, flags, torch.tensor([7, 4]))
    assert out.shape == (2, 7, 3, 3)
    # the second window's first 4 pieces do not depend on what lies in its padding
    feats2 = feats.clone()
    feats2[1, 4:] = 100.0
    out2 = head(feats2, None, flags, torch.tensor([7, 4]))
    assert torch.allclose(out[1, :4], out2[1, :4], atol=1e-5)


# ------------------------------------------------------------------ loading

def test_missing_head_names_the_file(tmp_path):
    path = tmp_path / "nothing" / "head.pt"
    with pytest.raises(HeadError, match=str(path)):
        load_head(path)


def test_corrupt_head_names_the_file(tmp_path):
    path = tmp_path / "head.pt"
    path.write_bytes(b"not a torch file at all")
    with pytest.raises(HeadError, match=str(path)):
        load_head(path)
    import torch

    torch.save({"config": {"feat_dim": 4}, "state": {}}, path)  # readable but not a head
    with pytest.raises(HeadError, match=str(path)):
        load_head(path)


def _tiny_heads(tmp_path: Path) -> tuple[list[Path], dict]:
    """Two small heads of the two designs (a conv head reading 5 flags, a conv + BiLSTM head
    reading all), saved as float16 checkpoints the way training writes them."""
    import torch

    torch.manual_seed(5)
    cfgs = [{"feat_dim": 6, "proj": 8, "hidden": 0, "layers": 2, "arch": "conv", "flags": 5},
            {"feat_dim": 6, "proj": 8, "hidden": 4, "layers": 2, "arch": "convlstm", "flags": N_FLAGS,
             "decode": "viterbi"}]
    paths = []
    for k, cfg in enumerate(cfgs):
        head = build_head(cfg)
        paths.append(tmp_path / f"epoch-{k + 1:02d}.pt")
        torch.save({"config": cfg, "state": head.state_dict(), "epoch": k + 1, "dev": {}}, paths[-1])
    torch.manual_seed(0)
    batch = {"feats": torch.randn(2, 7, 6), "ids": None, "flags": (torch.rand(2, 7, N_FLAGS) > 0.5).float(),
             "lengths": torch.tensor([7, 4])}
    return paths, batch


def test_an_ensemble_file_averages_its_heads_probabilities(tmp_path):
    import torch

    from quotecraft.train.attribution import install

    paths, batch = _tiny_heads(tmp_path)
    singles = []
    for k, p in enumerate(paths):
        install(p, tmp_path / f"single-{k}.pt")
        singles.append(load_head(tmp_path / f"single-{k}.pt"))
    out = tmp_path / "head.pt"
    install(paths, out, {"min_confidence": 0.3, "decode": "viterbi"})
    head, cfg = load_head(out)
    assert cfg["ensemble"] == 2 and cfg["min_confidence"] == 0.3 and cfg["flags"] == N_FLAGS
    ckpt = torch.load(out, weights_only=True)
    assert {v.dtype for m in ckpt["members"] for v in m["state"].values()} == {torch.float16}
    with torch.inference_mode():
        # each head reads its own first flags; the ensemble's softmax is the mean of theirs
        want = sum(torch.softmax(h(batch["feats"], None, batch["flags"][..., :c.get("flags", 5)], batch["lengths"]),
                                 dim=-1) for h, c in singles) / 2
        got = torch.softmax(head(**batch), dim=-1)
        again = torch.softmax(load_head(out)[0](**batch), dim=-1)
    assert torch.allclose(got, want, atol=1e-6)
    assert torch.equal(got, again)  # loading twice gives the same model
    # a head differs from the mean, or the test would not see a wrong average
    assert not torch.allclose(got, torch.softmax(singles[1][0](**batch), dim=-1), atol=1e-3)


def test_several_head_files_tag_like_the_installed_ensemble_of_them(tmp_path):
    import torch

    from quotecraft.train.attribution import install, predictions
    from quotecraft.attribution.tagger import ArticleInputs, ensemble, tag_article

    paths, _ = _tiny_heads(tmp_path)
    singles = []
    for k, p in enumerate(paths):
        singles.append(tmp_path / f"single-{k}.pt")
        install(p, singles[-1])
    out = tmp_path / "head.pt"
    install(paths, out, {"decode": "viterbi"})
    text = 'The mayor said the bridge would close. "It is old," she added.'
    offs = pieces(text)
    quotes = find_quotes(text)
    flags = torch.tensor(token_flags(text, offs, quotes, [0], frozenset({"said", "added"})))
    torch.manual_seed(1)
    inp = ArticleInputs([torch.zeros(len(offs), dtype=torch.int32)], [torch.tensor(offs, dtype=torch.int32)],
                        [flags], [torch.zeros(len(offs), dtype=torch.int32)], [torch.randn(len(offs), 6).half()])
    head, cfg = load_head(out)
    first = tag_article(head, cfg, inp)
    assert tag_article(head, cfg, inp) == first  # deterministic
    # what `--predict --head A B` builds in memory is the installed file's model
    head2, cfg2 = ensemble([load_head(p) for p in singles])
    second = tag_article(head2, dict(cfg2, decode="viterbi"), inp)
    assert second[0] == first[0]
    assert [x for row in second[1] for x in row] == pytest.approx([x for row in first[1] for x in row], abs=1e-6)
    assert len(set(map(tuple, first[0]))) > 1, "the tiny heads should not tag every piece alike"
    row = {"id": "a", "ids": inp.ids, "offsets": inp.offsets, "flags": inp.flags, "para": inp.para,
           "feats": inp.feats}
    assert list(predictions([row], {"a": text}, singles)) == list(predictions([row], {"a": text}, out, {"decode": "viterbi"}))


def test_corrupt_ensemble_names_the_file(tmp_path):
    import torch

    paths, _ = _tiny_heads(tmp_path)
    good = torch.load(paths[1], weights_only=False)
    path = tmp_path / "head.pt"
    broken = {k: v for k, v in good["state"].items() if not k.startswith("lstm.")}
    torch.save({"config": good["config"], "members": [{"config": good["config"], "state": good["state"]},
                                                      {"config": good["config"], "state": broken}]}, path)
    with pytest.raises(HeadError, match=str(path)):
        load_head(path)
    torch.save({"config": good["config"], "members": []}, path)
    with pytest.raises(HeadError, match=str(path)):
        load_head(path)
    other = dict(good["config"], feat_dim=7)
    torch.save({"config": good["config"], "members": [{"config": good["config"], "state": good["state"]},
                                                      {"config": other, "state": build_head(other).state_dict()}]},
               path)
    with pytest.raises(HeadError, match="different widths"):
        load_head(path)


def _fake_archive(path: Path, weights: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("model.safetensors", weights)
        z.writestr("config.json", "{}")
        z.writestr("tokenizer.json", "{}")


def test_encoder_archive_with_other_weights_is_refused(tmp_path):
    pytest.importorskip("tokenizers")
    path = tmp_path / "model.zip"
    _fake_archive(path, b"\x00" * 64)
    with pytest.raises(EncoderError, match="model.safetensors.*SHA-256"):
        load_encoder(path)


def test_encoder_archive_broken_or_incomplete(tmp_path):
    pytest.importorskip("tokenizers")
    path = tmp_path / "model.zip"
    path.write_bytes(b"PK not really a zip")
    with pytest.raises(EncoderError, match=str(path)):
        load_encoder(path)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("config.json", "{}")
    with pytest.raises(EncoderError, match="no model.safetensors"):
        load_encoder(path)


def test_unknown_attribution_mode():
    import quotecraft

    with pytest.raises(ValueError, match="rules.*learned"):
        quotecraft.Extractor(attribution="neural")


def test_default_attribution_is_learned_where_installed_and_rules_on_the_fast_path():
    import warnings

    import quotecraft

    _needs_encoder()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # installed: no warning
        assert quotecraft.Extractor().attribution == "learned"
        assert quotecraft.Extractor(model="fast").attribution == "rules"  # the fast path stays fast
        assert quotecraft.Extractor(attribution="rules").attribution == "rules"


def test_default_attribution_without_the_extra_warns_and_takes_the_rules(monkeypatch):
    import warnings

    import quotecraft
    from quotecraft.nlp import encoder

    monkeypatch.setattr(encoder, "installed", lambda: False)
    with pytest.warns(UserWarning, match=r"onnxruntime and tokenizers.*attribution='rules'"):
        ex = quotecraft.Extractor()
    # no encoder: the embedded Stanza model and the rules, and the warning says how to get the default
    assert ex.attribution == "rules" and "attribution='rules'" in repr(ex) and "model='embedded'" in repr(ex)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # asked for by name: nothing to warn about
        assert quotecraft.Extractor(attribution="rules").attribution == "rules"


# ------------------------------------------------------------------ the shipped model

TEXT = ("The harbour master said on Monday that the new pier would open in spring.\n\n"
        "\"We have waited for this for ten years,\" she told reporters. \"It changes everything.\"\n\n"
        "Critics argue that the pier is too small for cargo ships.\n")


def _needs_encoder() -> None:
    """The encoder ships in the package and runs on onnxruntime and tokenizers (install
    requirements); an install without them skips, saying so."""
    from quotecraft.nlp.encoder import installed

    if not installed():
        pytest.skip("the encoder cannot run here: pip install onnxruntime tokenizers (pip install quotecraft does)")


@pytest.fixture(scope="module")
def learned_extractor():
    import quotecraft

    _needs_encoder()

    return quotecraft.Extractor(attribution="learned")


@pytest.mark.model
def test_learned_extractor_is_deterministic_and_exact(learned_extractor):
    a = learned_extractor.extract(TEXT)
    b = learned_extractor.extract(TEXT)
    assert a.to_dict() == b.to_dict()
    assert a.quotes, "the model finds nothing in a plain attributed article"
    for q in a.quotes:
        assert 0.0 <= q.confidence <= 1.0
        for s in q.content:
            assert TEXT[s.start:s.end] == s.text
    # the quoted sentence keeps its marks exactly
    direct = [q for q in a.quotes if q.kind == "direct"]
    assert any(s.text == "\"We have waited for this for ten years,\"" for q in direct for s in q.content)


@pytest.mark.model
def test_learned_model_loads_offline(tmp_path):
    _needs_encoder()
    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -rn not permitted here")
    code = ("import quotecraft, json; ex = quotecraft.Extractor(attribution='learned'); "
            f"print(json.dumps([q.text for q in ex.extract({TEXT!r}).quotes]))")
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "HOME": str(tmp_path)}
    r = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1])


def test_shipped_head_is_small_float16():
    import torch

    assert HEAD_PATH.exists(), f"{HEAD_PATH} is not in the package"
    assert HEAD_PATH.stat().st_size < 60e6
    ckpt = torch.load(HEAD_PATH, map_location="cpu", weights_only=True)
    states = [m["state"] for m in ckpt["members"]] if "members" in ckpt else [ckpt["state"]]
    assert {v.dtype for st in states for v in st.values()} == {torch.float16}


def test_range_index_finds_exactly_the_overlapping_ranges():
    import random

    from quotecraft.attribution.merge import _RangeIndex

    rnd = random.Random(3)
    items = []
    for k in range(300):
        s = rnd.randrange(0, 5000)
        items.append((s, s + rnd.randrange(1, 400), k))
    index = _RangeIndex(items)
    for _ in range(200):
        lo = rnd.randrange(0, 5200)
        hi = lo + rnd.randrange(1, 300)
        want = sorted(k for s, e, k in items if s < hi and lo < e)
        assert sorted(index.overlapping(lo, hi)) == want
    assert _RangeIndex([]).overlapping(0, 10) == []


def test_warm_start_carries_a_conv_head_into_the_bilstm_design(tmp_path):
    import torch

    from quotecraft.train.attribution import warm_start

    old_cfg = {"feat_dim": 6, "proj": 8, "hidden": 0, "layers": 2, "arch": "conv", "flags": 5}
    old = build_head(old_cfg)
    path = tmp_path / "head.pt"
    torch.save({"config": old_cfg, "state": {k: v.half() for k, v in old.state_dict().items()}}, path)
    new = build_head({"feat_dim": 6, "proj": 8, "hidden": 4, "layers": 2, "arch": "convlstm", "flags": N_FLAGS})
    fresh = warm_start(new, path)
    assert fresh and all(name.startswith("lstm.") for name in fresh)
    o, n = old.state_dict(), new.state_dict()
    # inputs are [features, flags]: the old 6 + 5 columns, then the 4 new flags with no say yet
    assert torch.equal(n["proj.weight"][:, :11], o["proj.weight"].half().float())
    assert not n["proj.weight"][:, 11:].any()
    assert torch.equal(n["convs.1.weight"], o["convs.1.weight"].half().float())
    assert torch.equal(n["out.weight"][:, :8], o["out.weight"].half().float())


def test_training_keeps_every_epoch_installable(tmp_path):
    import torch

    from quotecraft.train.attribution import install, train

    gen = torch.Generator().manual_seed(0)

    def row(n: int) -> dict:
        labels = torch.zeros(n, 3, dtype=torch.int8)
        labels[2, 2], labels[3:6, 2] = B, I  # one content of four pieces
        return {"id": "x", "ids": [torch.arange(n, dtype=torch.int32)], "flags": [torch.zeros(n, N_FLAGS)],
                "feats": [torch.randn(n, 6, generator=gen)], "labels": [labels]}

    config = {"feat_dim": 6, "proj": 8, "hidden": 4, "layers": 2, "arch": "convlstm", "flags": N_FLAGS,
              "lr": 1e-2, "batch": 2, "name": "tiny", "decode": "viterbi"}
    best = train([row(12), row(9)], [row(10)], tmp_path, config, minutes=5, max_epochs=2, seed=1)
    runs = tmp_path / "runs" / "tiny"
    assert sorted(p.name for p in runs.glob("epoch-*.pt")) == ["epoch-01.pt", "epoch-02.pt"]
    assert best == runs / "best.pt" and best.exists()
    out = tmp_path / "head.pt"
    install(runs / "epoch-01.pt", out, {"min_confidence": 0.3})
    head, cfg = load_head(out)
    assert cfg["min_confidence"] == 0.3 and cfg["arch"] == "convlstm"
    first = torch.load(runs / "epoch-01.pt", weights_only=False)
    assert first["epoch"] == 1
    assert torch.equal(head.state_dict()["out.weight"], first["state"]["out.weight"].half().float())


def test_merge_takes_the_subject_before_a_parenthetical_cue():
    text = "Prices, the minister said, will fall next year."
    said = (text.index("said"), text.index("said") + 4)
    prices = (0, 6)
    rest = (text.index("will"), len(text) - 1)
    minister = (text.index("the minister"), text.index("the minister") + 12)
    rules = [Attribution([prices, rest], "indirect", cue=said, speaker=Party("the minister", minister))]
    # the tagger left "Prices" out of the content
    learned = [LearnedAttribution([rest], cue=said, source=minister, confidence=0.9)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert [text[s:e] for s, e in out[0].content] == ["Prices", "will fall next year"]
    assert out[0].confidence == 0.9  # still the learned call
    # another cue: the learned content stands as tagged
    learned[0].cue = (text.index("minister"), text.index("minister") + 8)
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert [text[s:e] for s, e in out[0].content] == ["will fall next year"]


def test_merge_reads_a_quoted_as_saying_frame_as_a_relay():
    text = "The agency quoted a manager as saying that output rose."
    agency = (0, 10)
    quoted = (text.index("quoted"), text.index("quoted") + 6)
    manager = (text.index("a manager"), text.index("a manager") + 9)
    that = (text.index("that"), len(text) - 1)
    rule = Attribution([that], "indirect", cue=quoted, speaker=Party("manager", manager),
                       reported_by=[("The agency", agency)])
    # the tagger: the agency's content "a manager as saying that output rose", cued by "quoted"
    learned = [LearnedAttribution([(manager[0], len(text) - 1)], cue=quoted, source=agency, confidence=0.9)]
    out = merge_with_rules(text, learned, [rule], name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert out == [decided(rule, "relay_frame")]  # the manager said it, the agency relayed it
    # no relay mention on the learned source: the learned reading stands
    rule.reported_by = []
    out = merge_with_rules(text, learned, [rule], name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert [text[s:e] for s, e in out[0].content] == ["a manager as saying that output rose"]


def test_merge_gives_a_sourceless_piece_of_the_resolver_content_to_the_resolver():
    text = "The mayor returned home on Friday after her first visit to Lisbon, the city paper reported."
    reported = (text.index("reported"), text.index("reported") + 8)
    paper = (text.index("the city paper"), text.index("the city paper") + 14)
    whole = (0, text.index(", the city"))
    piece = (text.index("her first"), whole[1])
    rules = [Attribution([whole], "indirect", cue=reported, speaker=Party("city paper", paper))]
    # the tagger took "her first visit to Lisbon" as the content and missed the source
    learned = [LearnedAttribution([piece], cue=reported, confidence=0.9)]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert out == [decided(rules[0], "cue_fragment")]
    # with a source of its own the learned call stands
    learned[0].source = paper
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert len(out) == 1 and out[0].content == [piece]
    # another cue: not a piece of the resolver's reading
    learned[0].source, learned[0].cue = None, (text.index("returned"), text.index("returned") + 8)
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r))
    assert out[0].content == [piece]


def test_merge_a_quote_kept_for_its_marks_takes_the_resolver_cue():
    text = 'Ms Okafor was quoted by the paper as saying that the bridge "must close at once".'
    quoted = (text.index("quoted"), text.index("quoted") + 6)
    saying = (text.index("saying"), text.index("saying") + 6)
    okafor = (0, 9)
    that = (text.index("that"), len(text) - 1)
    rules = [Attribution([that], "mixed", cue=quoted, speaker=Party("Okafor", okafor))]
    # a weak call (under the floor 0.5) kept only because it holds a quotation: its cue is weak too
    learned = [LearnedAttribution([that], cue=saying, confidence=0.3, kind="mixed")]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), floor=0.5)
    assert out[0].cue == quoted and out[0].speaker.name == "Okafor"
    # over the floor, the tagger's own cue stays
    learned[0].confidence = 0.8
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), floor=0.5)
    assert out[0].cue == saying and out[0].speaker.name == "Okafor"


def test_merge_keeps_the_resolver_attributions_an_unsure_content_vouches_for():
    # (a cue of "said": an "according to" reading would stand even unvouched, as a wire shape:
    # tests/test_reconcile.py)
    text = "Tenants, the landlords said, are afraid of losing their homes."
    according = (text.index("said"), text.index("said") + 4)
    survey = (text.index("the landlords"), text.index("the landlords") + 13)
    parts = [(0, 7), (text.index("are"), len(text) - 1)]
    rules = [Attribution(parts, "indirect", cue=according, speaker=Party("landlords", survey))]
    # the tagger took the whole sentence as one content with no cue outside it: under the floor
    unsure = [LearnedAttribution([(0, len(text) - 1)], confidence=0.4)]
    out = merge_with_rules(text, [], rules, name_of=lambda r: Party(text[r[0]:r[1]], r), unsure=unsure)
    assert out == [decided(rules[0], "vouched")]
    # nothing vouches: the tagger's silence stands
    assert merge_with_rules(text, [], rules, name_of=lambda r: Party(text[r[0]:r[1]], r)) == []
    # an unsure content elsewhere vouches for nothing
    unsure = [LearnedAttribution([(text.index("losing"), len(text) - 1)], confidence=0.4)]
    assert merge_with_rules(text, [], rules, name_of=lambda r: Party(text[r[0]:r[1]], r), unsure=unsure) == []


@pytest.mark.model
def test_learned_path_takes_lone_surrogates(learned_extractor):
    # scraped text with a broken decode: the Rust tokenizer refuses lone surrogates
    text = 'Residents said \ud800 the water "tastes \udc80 of metal," the council said.'
    art = learned_extractor.extract(text)
    assert art.error is None
    for q in art.quotes:
        for s in q.content:
            assert text[s.start:s.end] == s.text


def test_merge_a_weak_content_glued_across_a_sentence_to_a_linked_quote_gives_way():
    text = 'Fares rose, said Ann Lee. "We will act," said Bo Ames.'
    glued = (text.index("Ann Lee"), text.index(" said Bo"))
    quote = (text.index('"We'), text.index(" said Bo"))
    said = (text.rindex("said"), text.rindex("said") + 4)
    ames = (text.index("Bo Ames"), text.index("Bo Ames") + 7)
    rules = [Attribution([quote], "direct", cue=said, speaker=Party("Bo Ames", ames), confidence=0.95)]
    # the tagger's weak call (under the floor, kept for its marks) runs from the sentence before
    learned = [LearnedAttribution([glued], cue=said, source=(0, 5), confidence=0.4, kind="mixed")]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), floor=0.5)
    assert out == [decided(rules[0], "glued_before_quote")]
    # a confident call gives way too where its cue is the quote's, after it
    learned[0].confidence = 0.8
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), floor=0.5)
    assert out == [decided(rules[0], "glued_before_quote")]
    # (a confident call with its cue before the quotation stands: tests/test_reconcile.py)
    # no sentence end between the content's start and the quote: not glued
    learned[0].confidence, learned[0].content = 0.4, [(text.index("Lee. ") + 5, quote[1])]
    out = merge_with_rules(text, learned, rules, name_of=lambda r: Party(text[r[0]:r[1]], r), floor=0.5)
    assert out[0].origin == "tagger" and out[0].content == learned[0].content
    # (its source "Fares", a sentence before the quote, gives way to the resolver's "Bo Ames" at
    # the quote's own cue: the align step source_at_cue, issue 25)
    assert out[0].step == "source_at_cue" and out[0].speaker.name == "Bo Ames"
