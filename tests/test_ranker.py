"""The learned antecedent ranker (`quotecraft.attribution.ranker`) and how the registry uses it (issue 25)."""
from __future__ import annotations

import json
import math

import pytest

from quotecraft.attribution.entities import EntityRegistry
from quotecraft.attribution.ranker import Ranker, candidate_features, load_ranker
from quotecraft.errors import HeadError
from quotecraft.lexicon import Lexicon
from syntax import doc

TEXT = "Clara Holm met Kim Ortiz on Monday. She smiled."


def _registry() -> tuple[EntityRegistry, int]:
    sentences = doc(TEXT, "Clara/PROPN/2/compound Holm/PROPN/3/nsubj met/VERB/0/root Kim/PROPN/5/compound "
                          "Ortiz/PROPN/3/obj on/ADP/7/case Monday/PROPN/3/obl ./PUNCT/3/punct",
                    "She/PRON/2/nsubj smiled/VERB/0/root ./PUNCT/2/punct")
    r = EntityRegistry(Lexicon.default())
    r.ranker = None
    r.add_sentences(TEXT, sentences)
    return r, TEXT.index("She")


def _features(r: EntityRegistry, pronoun: str, pos: int) -> dict[str, dict[str, float]]:
    return {e.name: f for e, f in candidate_features(r, pronoun, pos, r.allowed(pronoun, pos))}


def test_features_of_each_allowed_entity():
    r, pos = _registry()
    f = _features(r, "she", pos)
    assert set(f) == {"Clara Holm", "Kim Ortiz"}  # Monday is a date: no candidate at all
    holm, ortiz = f["Clara Holm"], f["Kim Ortiz"]
    assert ortiz["rank=0"] == 1 and holm["rank=1"] == 1 and holm["log_rank"] == pytest.approx(math.log(2))
    assert holm["sd=1"] == ortiz["sd=1"] == 1 and holm["log_sd"] == pytest.approx(math.log(2))
    assert holm["subject_d<=2"] == 1 and ortiz["subject_d<=2"] == 0
    assert holm["sentence_initial"] == 1 and ortiz["sentence_initial"] == 0
    assert holm["kind=person"] == 1 and holm["gender_none"] == 1 and holm["plural"] == 0
    assert ortiz["kind_latest"] == 1 and holm["kind_latest"] == 0  # Ortiz is the latest person
    # ("Kim" is no first name of one sex: "Daniel Ortiz" would be no antecedent of "she")
    assert holm["speaker_any"] == 0 and holm["log_mentions"] == pytest.approx(math.log(2))
    # each feature also for the pronoun's class: "she" shares its weights with "he"
    assert holm["hs|subject_d<=2"] == 1 and not any(k.startswith("it|") for k in holm)


def test_gender_evidence_and_speakers_are_features():
    r, pos = _registry()
    holm = r.lookup("Clara Holm")
    ortiz = r.lookup("Kim Ortiz")
    holm.genders.add("f")
    r.note_speaker(TEXT.index("met"), ortiz)
    f = _features(r, "she", pos)
    assert f["Clara Holm"]["gender_match"] == 1 and f["Clara Holm"]["gender_none"] == 0
    assert f["Kim Ortiz"]["gender_match"] == 0 and f["Kim Ortiz"]["gender_none"] == 1
    # he spoke at "met", before his name: a speaker, though his latest candidate is the object
    assert f["Kim Ortiz"]["speaker_d<=1"] == 1 and f["Kim Ortiz"]["latest_salience"] == 0
    assert f["Kim Ortiz"]["log_mentions"] == pytest.approx(math.log(3))  # named once, spoke once


def test_the_best_scored_entity_is_the_antecedent():
    r, pos = _registry()
    ok = r.allowed("she", pos)
    assert Ranker({"subject_d<=2": 1.0}).choose(r, "she", pos, ok).name == "Clara Holm"
    assert Ranker({"rank=0": 1.0}).choose(r, "she", pos, ok).name == "Kim Ortiz"
    assert Ranker({}).choose(r, "she", pos, ok).name == "Kim Ortiz"  # a tie: the latest
    # a class's own weight counts only for that class
    assert Ranker({"subject_d<=2": 1.0, "hs|rank=0": 2.0}).choose(r, "she", pos, ok).name == "Kim Ortiz"
    assert Ranker({"subject_d<=2": 1.0, "they|rank=0": 2.0}).choose(r, "she", pos, ok).name == "Clara Holm"


def test_a_close_speaker_can_stay_the_first_choice():
    r, pos = _registry()
    r.note_speaker(TEXT.index("met"), r.lookup("Kim Ortiz"))
    ok = r.allowed("she", pos)
    weights = {"subject_d<=2": 5.0, "speaker_any": -5.0}
    assert Ranker(weights).choose(r, "she", pos, ok).name == "Clara Holm"
    assert Ranker(weights, first_speaker=("hs",)).choose(r, "she", pos, ok).name == "Kim Ortiz"
    assert Ranker(weights, first_speaker=("it",)).choose(r, "she", pos, ok).name == "Clara Holm"


def test_the_registry_asks_its_ranker_within_the_constraints():
    r, pos = _registry()
    assert r.antecedent("she", pos).name == "Clara Holm"  # no ranker: the rule tiers (a subject nearby)
    r.ranker = Ranker({"rank=0": 1.0})
    assert r.antecedent("she", pos).name == "Kim Ortiz"
    r.lookup("Kim Ortiz").genders.add("m")
    assert r.antecedent("she", pos).name == "Clara Holm"  # the ranker never overrules gender evidence
    assert r.antecedent("it", pos) is None  # nor the entity type: no organisation or place here
    r.ranker = Ranker({"rank=0": 1.0}, pronouns=("he",))
    r.lookup("Kim Ortiz").genders.clear()
    assert r.antecedent("she", pos).name == "Clara Holm"  # a pronoun it was not chosen for: the tiers


def test_a_saved_ranker_reads_back(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(Ranker({"rank=0": 1.5}, ("he", "she"), ("hs",)).to_json()))
    r = load_ranker(path)
    assert r.weights == {"rank=0": 1.5} and r.pronouns == {"he", "she"} and r.first_speaker == {"hs"}
    assert load_ranker(path) is r  # read once per process
    assert load_ranker(tmp_path / "missing.json") is None


@pytest.mark.parametrize("content", ["not json at all", '{"format": "other", "weights": {}, "pronouns": []}',
                                     '{"format": "quotecraft-ranker-1", "weights": {"a": "x"}, "pronouns": ["he"]}',
                                     '{"format": "quotecraft-ranker-1", "weights": {"a": 1e999}, "pronouns": ["he"]}',
                                     '{"format": "quotecraft-ranker-1", "weights": {}, "pronouns": ["we"]}',
                                     '{"format": "quotecraft-ranker-1", "weights": {}}'])
def test_a_damaged_ranker_file_names_itself(tmp_path, content):
    bad = tmp_path / "ranker.json"
    bad.write_text(content)
    with pytest.raises(HeadError, match="ranker"):
        load_ranker(bad)


def test_the_shipped_ranker_reads():
    r = load_ranker()
    if r is None:
        pytest.skip("no ranker installed (models/attribution/ranker.json)")
    assert r.pronouns <= {"he", "she", "they", "it"} and r.weights


def test_training_prefers_what_the_right_candidates_share():
    pytest.importorskip("torch")
    from quotecraft.train.ranker import fit

    examples = [{"feats": [{"near": 1.0}, {"far": 1.0}, {}], "labels": [True, False, False]} for _ in range(5)]
    examples += [{"feats": [{"far": 1.0}, {"near": 1.0}], "labels": [False, True]} for _ in range(5)]
    w = fit(examples, l2=0.01)
    assert w.get("near", 0.0) > w.get("far", 0.0)
