"""benchmarks/polnear_gap.py: where a run loses -- each gold fragment's class, and the missed
attributions by cue lemma (hand-made attributions, no data needed)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import polnear_gap as gap  # noqa: E402
from polnear_score import Attribution  # noqa: E402


def test_edge_classes_say_which_edge_differs():
    assert gap.edge_class((10, 20), (8, 20)) == "S+E="
    assert gap.edge_class((10, 20), (12, 25)) == "S-E+"
    assert gap.edge_class((10, 20), (10, 15)) == "S=E-"


def test_fragment_classes_count_exact_bounds_none_and_spurious():
    gold = [Attribution(content=((0, 10),), cue=((12, 16),)), Attribution(content=((30, 40),), cue=((42, 46),)),
            Attribution(content=((60, 70),))]
    pred = [Attribution(content=((0, 10),), cue=((12, 17),)), Attribution(content=((28, 40),)),
            Attribution(content=((80, 90),))]
    content = gap.fragment_classes(gold, pred, "content")
    assert (content["exact"], content["S+E="], content["none"], content["spurious"]) == (1, 1, 1, 1)
    cue = gap.fragment_classes(gold, pred, "cue")
    assert (cue["exact"], cue["S=E+"], cue["none"], cue["spurious"]) == (0, 1, 1, 0)


def test_missed_attributions_by_speech_and_cue_lemma():
    text = "Ann said the port would reopen. Bo thinks it will not."
    said, thinks = (4, 8), (35, 41)
    gold = [Attribution(content=((9, 30),), cue=(said,)), Attribution(content=((42, 54),), cue=(thinks,), speech=False)]
    missed = gap.missed_by_lemma(text, gold, [Attribution(content=((9, 30),))])
    assert missed == {(False, "think"): 1}
