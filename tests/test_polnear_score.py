"""The PolNeAR scorer on tiny synthetic articles (no PolNeAR text: it is copyrighted)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import polnear_score as ps  # noqa: E402

A = ps.Attribution


def span(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of `piece` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def t_line(tid: str, label: str, text: str, *frags: tuple[int, int]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in frags)}"


def one(text: str, gold: list[ps.Attribution], pred: list[ps.Attribution]) -> dict:
    return ps.score([("doc", text, gold, pred)])


# ---------------------------------------------------------------------------
# reading brat

ARTICLE = (
    'Smith said that taxes will rise.\n\n'
    '"We are ready," Jones said, "and we will win."\n\n'
    'The mayor believes the plan works and hopes it passes.\n'
)


def write_article(root: Path, name: str, ann: str, annotator: str = "ab12") -> None:
    (root / "dev" / "text").mkdir(parents=True, exist_ok=True)
    (root / "dev" / "attributions").mkdir(parents=True, exist_ok=True)
    (root / "dev" / "text" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "dev" / "attributions" / f"{name}_{annotator}.ann").write_text(ann, encoding="utf-8")


def article_ann() -> str:
    t = ARTICLE
    first, second = span(t, '"We are ready,"'), span(t, '"and we will win."')
    return "\n".join([
        t_line("T1", "Source", t, span(t, "Smith")),
        t_line("T2", "Cue", t, span(t, "said")),
        t_line("T3", "Content", t, span(t, "that taxes will rise.")),
        t_line("T4", "Attribution", t, span(t, "said")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        # one quote split by its cue: a discontinuous content span
        t_line("T5", "Content", t, first, second),
        t_line("T6", "Source", t, span(t, "Jones")),
        t_line("T7", "Cue", t, span(t, "said", 1)),
        t_line("T8", "Attribution", t, span(t, "said", 1)),
        "E2\tAttribution:T8 Cue:T7 Source:T6 Content:T5",
        # one source shared by two attributions, the second with a Content2 role
        t_line("T9", "Source", t, span(t, "The mayor")),
        t_line("T10", "Cue", t, span(t, "believes")),
        t_line("T11", "Content", t, span(t, "the plan works")),
        t_line("T12", "Attribution", t, span(t, "believes")),
        "E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9",
        t_line("T13", "Cue", t, span(t, "hopes")),
        t_line("T14", "Content", t, span(t, "it passes")[:1] + (t.index("it passes") + 2,)),
        t_line("T15", "Content", t, span(t, "passes")),
        t_line("T16", "Attribution", t, span(t, "hopes")),
        "E4\tAttribution:T16 Cue:T13 Content:T14 Source:T9 Content2:T15",
        # bookkeeping that must be ignored
        t_line("T17", "Discuss", t, span(t, "Smith said")),
        "#1\tAnnotatorNotes T17\tcheck this",
        "a continuation line of a T text that held a newline",
        "",
    ])


def test_read_split_builds_attributions(tmp_path: Path) -> None:
    write_article(tmp_path, "art", article_ann())
    [doc] = ps.read_split(tmp_path, "dev")
    assert doc.id == "art" and doc.annotator == "ab12"
    by_id = {a.id: a for a in doc.gold}
    assert set(by_id) == {"E1", "E2", "E3", "E4"}
    t = ARTICLE
    assert by_id["E1"].source == (span(t, "Smith"),)
    assert by_id["E1"].content == (span(t, "that taxes will rise."),)
    # discontinuous content keeps its two fragments (the gap holds words)
    assert by_id["E2"].content == (span(t, '"We are ready,"'), span(t, '"and we will win."'))
    assert by_id["E2"].cue == (span(t, "said", 1),)
    # the shared source appears in both attributions; Content2 joins the content
    assert by_id["E3"].source == by_id["E4"].source == (span(t, "The mayor"),)
    # "it" + "passes" are separated by a space only, so they merge into one fragment
    assert by_id["E4"].content == (span(t, "it passes"),)
    # speech from the cue words: said -> speech, believes/hopes -> not
    assert [by_id[e].speech for e in ("E1", "E2", "E3", "E4")] == [True, True, False, False]
    assert doc.warnings == []


def test_first_annotator_in_sorted_order_is_used(tmp_path: Path) -> None:
    write_article(tmp_path, "art", article_ann(), annotator="ff00")
    # a second, sparser annotation by an annotator id that sorts first
    lines = article_ann().splitlines()[:5]
    (tmp_path / "dev" / "attributions" / "art_0a0a.ann").write_text("\n".join(lines), encoding="utf-8")
    [doc] = ps.read_split(tmp_path, "dev")
    assert doc.annotator == "0a0a"
    assert [a.id for a in doc.gold] == ["E1"]


def test_event_without_content_is_skipped_with_warning() -> None:
    text = "Smith spoke."
    ann = "\n".join([
        t_line("T1", "Cue", text, span(text, "spoke")),
        t_line("T2", "Attribution-no-source", text, span(text, "spoke")),
        "E1\tAttribution-no-source:T2 Cue:T1",
    ])
    gold, warnings = ps.parse_ann(ann, text, "d")
    assert gold == []
    assert any("without content" in w for w in warnings)


def test_normalize_trims_and_merges_whitespace_gaps() -> None:
    text = "  He said: \"one\n\ntwo\" and \"three\"  "
    one_, two_, three_ = span(text, '"one'), span(text, 'two"'), span(text, '"three"')
    # padded with spaces on both sides, split across a paragraph break
    got = ps.normalize(text, [(one_[0] - 1, one_[1] + 1), two_, three_])
    assert got == ((one_[0], two_[1]), three_)
    assert ps.normalize(text, [(0, 2)]) == ()


# ---------------------------------------------------------------------------
# matching

TEXT = "abcdefghijklmnopqrstuvwxyz0123456789" * 3


def test_jaccard_and_threshold_boundary() -> None:
    gold = A(content=((0, 10),), source=((50, 55),))
    # 5 shared chars over a union of 10: exactly 0.5 matches (inclusive threshold)
    at = A(content=((0, 5),))
    assert ps.jaccard(gold.content, at.content) == 0.5
    assert one(TEXT, [gold], [at])["all"]["attribution"]["content"]["tp"] == 1
    # 4 shared over 10: 0.4 does not match, for attributions or for role fragments
    below = A(content=((0, 4),))
    s = one(TEXT, [gold], [below])
    assert s["all"]["attribution"]["content"]["tp"] == 0
    assert s["all"]["roles"]["content"]["overlap"]["tp"] == 0
    # overlap 5, union 10 + 11 - 5
    assert ps.jaccard(((0, 10),), ((5, 16),)) == pytest.approx(5 / 16)


def test_exact_versus_overlap_per_role() -> None:
    gold = [A(content=((0, 20),), source=((30, 35),), cue=((36, 40),))]
    pred = [A(content=((0, 18),), source=((30, 35),), cue=((36, 41),))]
    roles = one(TEXT, gold, pred)["all"]["roles"]
    assert roles["content"]["exact"]["tp"] == 0 and roles["content"]["overlap"]["tp"] == 1
    assert roles["source"]["exact"]["tp"] == 1 and roles["source"]["overlap"]["tp"] == 1
    assert roles["cue"]["exact"]["f1"] == 0.0 and roles["cue"]["overlap"]["f1"] == 1.0


def test_discontinuous_gold_scored_per_fragment_and_as_a_whole() -> None:
    gold = [A(content=((0, 10), (20, 30)), source=((40, 45),))]
    # one prediction per fragment: both fragments match at role level ...
    pred = [A(content=((0, 10),)), A(content=((20, 30),))]
    s = one(TEXT, gold, pred)["all"]
    assert s["roles"]["content"]["exact"]["tp"] == 2
    assert s["roles"]["content"]["exact"]["precision"] == 1.0
    # ... but each covers only half the attribution: Jaccard 0.5 lets one match, one-to-one
    assert s["attribution"]["content"]["tp"] == 1
    assert s["attribution"]["content"]["precision"] == 0.5
    # a prediction with both fragments matches exactly
    exact = one(TEXT, gold, [A(content=((20, 30), (0, 10)))])["all"]
    assert exact["roles"]["content"]["exact"]["recall"] == 1.0
    assert exact["attribution"]["content"]["f1"] == 1.0


def test_one_to_one_two_predictions_cannot_share_a_gold() -> None:
    gold = [A(content=((0, 20),))]
    pred = [A(content=((0, 19),)), A(content=((1, 20),)), A(content=((0, 20),))]
    s = one(TEXT, gold, pred)
    c = s["all"]["attribution"]["content"]
    assert (c["tp"], c["n_pred"], c["n_gold"]) == (1, 3, 1)
    assert c["precision"] == pytest.approx(1 / 3) and c["recall"] == 1.0
    assert s["all"]["roles"]["content"]["overlap"]["tp"] == 1
    # the best (exact) prediction took the gold, so no boundary error is logged
    assert s["errors"]["content_boundaries"] == {"exact": 1}
    assert s["errors"]["false_positives"]["total"] == 2


def test_content_plus_source() -> None:
    gold = [
        A(content=((0, 20),), source=((30, 40),)),
        A(content=((50, 60),), source=((70, 75),)),
        A(content=((80, 90),)),  # no source in gold (Attribution-no-source)
    ]
    pred = [
        A(content=((0, 20),), source=((35, 45),)),  # overlaps the gold source: right
        A(content=((50, 60),), source=((76, 80),)),  # next to it, not overlapping: wrong
        A(content=((80, 90),)),  # no source either: right
    ]
    a = one(TEXT, gold, pred)["all"]["attribution"]
    assert a["content"]["tp"] == 3
    assert a["content+source"]["tp"] == 2
    assert a["content+source"]["precision"] == pytest.approx(2 / 3)


def test_shared_source_counts_once_per_role() -> None:
    gold = [A(content=((0, 10),), source=((30, 35),)), A(content=((12, 20),), source=((30, 35),))]
    pred = [A(content=((0, 10),), source=((30, 35),))]
    src = one(TEXT, gold, pred)["all"]["roles"]["source"]["exact"]
    assert (src["tp"], src["n_gold"], src["n_pred"]) == (1, 1, 1)


def test_speech_only_view_ignores_predictions_of_nonspeech_gold() -> None:
    gold = [
        A(content=((0, 10),), speech=True),
        A(content=((20, 30),), speech=False),  # e.g. "she believes ..."
        A(content=((40, 50),), speech=True),
    ]
    pred = [
        A(content=((0, 10),)),  # speech, found
        A(content=((20, 30),)),  # finds the belief: not a false positive for speech
        A(content=((60, 70),)),  # matches nothing: false positive everywhere
    ]
    s = one(TEXT, gold, pred)
    allv, speech = s["all"]["attribution"]["content"], s["speech"]["attribution"]["content"]
    assert (allv["tp"], allv["n_gold"], allv["n_pred"]) == (2, 3, 3)
    assert (speech["tp"], speech["n_gold"], speech["n_pred"]) == (1, 2, 2)
    assert speech["precision"] == 0.5 and speech["recall"] == 0.5
    assert s["speech"]["roles"]["content"]["exact"]["n_gold"] == 2
    # the strict view counts the belief found as a false positive
    strict = s["strict"]["attribution"]["content"]
    assert (strict["tp"], strict["n_gold"], strict["n_pred"]) == (1, 2, 3)
    assert round(strict["precision"], 3) == 0.333 and strict["recall"] == 0.5


def test_direct_quote_recall() -> None:
    text = 'Joe said “we win” and added that voters’ mood is good. He said ‘no,’ then "yes."'
    direct1 = A(content=(span(text, "“we win”"),), source=(span(text, "Joe"),))
    indirect = A(content=(span(text, "that voters’ mood is good"),))  # apostrophe only
    direct2 = A(content=(span(text, "‘no,’"),))
    direct3 = A(content=(span(text, '"yes."'),))
    assert [ps.is_direct(text, a.content) for a in (direct1, indirect, direct2, direct3)] == [True, False, True, True]
    pred = [A(content=direct1.content), A(content=indirect.content), A(content=direct3.content, source=(span(text, "He"),))]
    d = one(text, [direct1, indirect, direct2, direct3], pred)["all"]["direct_recall"]
    assert (d["total"], d["found"], d["found+source"]) == (3, 2, 0)
    assert d["recall"] == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------
# error breakdown and helpers


def test_error_breakdown() -> None:
    text = "He says that prices rise. Acme Corp. claimed the deal failed. Voters think so. Odd."
    gold = [
        A(content=(span(text, "that prices rise"),), source=(span(text, "He"),), cue=(span(text, "says"),)),
        A(content=(span(text, "the deal failed"),), source=(span(text, "Acme Corp."),), cue=(span(text, "claimed"),)),
        A(content=(span(text, "so"),), source=(span(text, "Voters"),), cue=(span(text, "think"),), speech=False),
    ]
    pred = [
        A(content=(span(text, "prices rise"),), source=(span(text, "prices"),)),  # wrong speaker, too short
        A(content=(span(text, "Odd"),)),
    ]
    e = one(text, gold, pred)["errors"]
    missed = {row["lemma"]: (row["missed"], row["total"], row["speech"]) for row in e["missed_by_cue_lemma"]}
    assert missed == {"claim": (1, 1, True), "think": (1, 1, False)}
    assert e["wrong_speaker_by_gold_type"] == {"pronoun": {"wrong span": 1}}
    assert e["content_boundaries"] == {"too short (inside gold)": 1}
    assert e["content_boundary_edges"] == {"start -'that'": 1}
    assert e["false_positives"] == {"total": 1, "no gold content overlap": 1}
    assert e["false_positive_samples"][0]["content"] == "Odd"


@pytest.mark.parametrize(
    "word, want",
    [("said", "say"), ("says", "say"), ("saying", "say"), ("added", "add"), ("noted", "note"),
     ("argues", "argue"), ("denied", "deny"), ("admitted", "admit"), ("called", "call"), ("tweeted", "tweet")],
)
def test_lemma(word: str, want: str) -> None:
    assert ps.lemma(word) == want


def test_cue_lemma_and_speech() -> None:
    assert ps.cue_lemma("has also said") == "say"
    assert ps.cue_lemma("did not say") == "say"
    assert ps.cue_lemma("is expected") == "expect"
    assert ps.is_speech_cue("told reporters") and ps.is_speech_cue(":") and ps.is_speech_cue("according to")
    assert not ps.is_speech_cue("believes") and not ps.is_speech_cue("wants") and not ps.is_speech_cue("")


@pytest.mark.parametrize(
    "source, kind",
    [("he", "pronoun"), ("Who", "pronoun"), ("Trump", "single-token name"), ("Mr. Trump", "single-token name"),
     ("the Clinton campaign", "multi-word name/org"), ("a spokesman", "other"), ("", "none in gold")],
)
def test_source_type(source: str, kind: str) -> None:
    assert ps.source_type(source) == kind


# ---------------------------------------------------------------------------
# the CLI, end to end on a synthetic split


def test_cli_regex_baseline_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import polnear

    write_article(tmp_path / "data", "art", article_ann())
    out = tmp_path / "out"
    assert polnear.main(["--split", "dev", "--data", str(tmp_path / "data"), "--out", str(out), "--baseline", "regex"]) == 0
    lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    assert row["id"] == "art" and [q["text"] for q in row["quotes"]] == ['"We are ready,"', '"and we will win."']
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    # two fragment predictions against one two-fragment gold: both fragments exact, one attribution
    assert scores["all"]["roles"]["content"]["exact"]["tp"] == 2
    assert scores["all"]["attribution"]["content"]["tp"] == 1
    assert scores["all"]["attribution"]["content"]["n_gold"] == 4
    assert scores["speech"]["attribution"]["content"]["n_gold"] == 2
    assert scores["all"]["direct_recall"] == {"total": 1, "found": 1, "found+source": 0, "recall": 1.0, "recall+source": 0.0}
    assert scores["meta"]["exceptions"] == []
    assert "attribution content" in capsys.readouterr().out

    # re-scoring the written predictions gives the same numbers
    out2 = tmp_path / "out2"
    polnear.main(["--data", str(tmp_path / "data"), "--out", str(out2), "--predictions", str(out / "predictions.jsonl")])
    again = json.loads((out2 / "scores.json").read_text(encoding="utf-8"))
    assert again["all"] == scores["all"] and again["speech"] == scores["speech"]


def test_cli_counts_predictor_exceptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import polnear

    write_article(tmp_path / "data", "art", article_ann())

    def broken(text: str) -> dict:
        raise RuntimeError("boom")

    monkeypatch.setattr(polnear, "regex_baseline", broken)
    polnear.main(["--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"), "--baseline", "regex"])
    scores = json.loads((tmp_path / "out" / "scores.json").read_text(encoding="utf-8"))
    assert [f["error"] for f in scores["meta"]["exceptions"]] == ["RuntimeError: boom"]
    assert scores["all"]["attribution"]["content"]["n_pred"] == 0


def test_parse_cache_parses_each_text_once_and_follows_the_model(tmp_path: Path) -> None:
    import polnear  # noqa: E402  (the benchmark script beside the scorer)

    class FakeExtractor:
        calls = 0

        def parse(self, text, blocks):
            FakeExtractor.calls += 1
            return [text.upper(), list(blocks)]

    model = tmp_path / "model"
    model.mkdir()
    (model / "depparse.pt").write_bytes(b"v1")
    ex = FakeExtractor()
    polnear._cache_parses(ex, tmp_path / "cache", str(model))
    assert ex.parse("a b", [(0, 3)]) == ["A B", [(0, 3)]]
    assert ex.parse("a b", [(0, 3)]) == ["A B", [(0, 3)]] and FakeExtractor.calls == 1
    assert ex.parse("a b", [(0, 1)]) and FakeExtractor.calls == 2  # other blocks, other parse
    (model / "depparse.pt").write_bytes(b"version 2")  # a new model: parse again
    ex2 = FakeExtractor()
    polnear._cache_parses(ex2, tmp_path / "cache", str(model))
    ex2.parse("a b", [(0, 3)])
    assert FakeExtractor.calls == 3


# ---------------------------------------------------------------------------
# agreement between two annotators (benchmarks/polnear_agreement.py)


def test_agreement_scores_the_second_annotator_against_the_first(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import polnear_agreement as pa

    write_article(tmp_path, "same", article_ann(), annotator="0a0a")
    write_article(tmp_path, "same", article_ann(), annotator="ff00")
    write_article(tmp_path, "alone", article_ann(), annotator="0a0a")  # one annotator: not read
    [(doc_id, _, first, second)] = pa.doubly_annotated(tmp_path, "dev")
    assert doc_id == "same" and first == second
    same = pa.summary(ps.score([("same", ARTICLE, first, second)]))
    assert [round(same[k], 6) for k in pa.KEYS] == [100.0] * 4
    # the second annotator leaves out one attribution and cuts one content shorter
    t = ARTICLE
    lines = article_ann().splitlines()
    shorter = [ln if not ln.startswith("T3\t") else t_line("T3", "Content", t, span(t, "taxes will rise"))
               for ln in lines if not ln.startswith("E4")]
    (tmp_path / "dev" / "attributions" / "same_ff00.ann").write_text("\n".join(shorter), encoding="utf-8")
    [(_, _, first, second)] = pa.doubly_annotated(tmp_path, "dev")
    got = pa.summary(ps.score([("same", ARTICLE, first, second)]))
    assert (got["first"], got["second"]) == (4, 3)
    # content fragments: the first marks 5 (the split quote is two), the second 4, 3 the same
    assert got["content"] == pytest.approx(100 * 2 * 3 / (5 + 4))
    assert got["cue"] == pytest.approx(100 * 2 * 3 / (4 + 3))
    assert pa.main(["--data", str(tmp_path), "--splits", "dev", "--bootstrap", "0"]) == 0
    assert "dev (1 articles; 4 / 3 attributions)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        pa.main(["--data", str(tmp_path), "--splits", "test"])
